# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Webhooks in an org run: ``webhooks/NAME.yml``, planned against the one list the run reads.

Nothing a webhook plan says in a report or a saved plan may be secret: header values and the secret are
shown as changed with their value hidden, endpoints masked, the secret sent only as a keyed digest.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils import webhook_apply as resource
from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import Kind, short
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.webhook import export

HIDDEN = "changed, value hidden"
REMOVAL_PARAMS = dict(state="absent", description=None, endpoint=None, event_types=None, enabled=True,
                      headers=None, filter=None, secret=None, update_secret="on_create")


def _shown_option(option, value):
    if option in ("secret",):
        return None
    if option == "endpoint":
        return wh.mask_endpoint(value)
    return value


class WebhookKind(Kind):
    name = "webhooks"
    noun = "webhook"
    change_kind = "webhook"
    label = "webhook"
    of_label = "webhook"
    module = "webhook"
    arguments = resource.ARGUMENTS
    file_limits = {"webhooks": (256 * 1024, "a webhook file")}
    ignorable = True
    secret_fields = "a webhook's secret or a header value"
    ignore_example = "eda-*"
    basis_what = "dateModified"
    example = "webhooks/*.yml"

    def item_problems(self, params):
        return wh.validate(params)

    def removal_items(self, org):
        return list(org[self.name])  # removed in file order, as listed

    def read_objects(self, client):
        return resource.stored_webhooks(client)

    def read_note(self, read):
        return "%d webhooks" % len(read.objects[self.name])

    def plan_step(self, plan, step):
        params = dict(step.item.params) if step.item is not None else dict(REMOVAL_PARAMS, name=step.name)
        if step.direction == "remove":
            params["state"] = "absent"
        try:
            step.plan = resource.plan_webhook(params, plan.read.objects[self.name])
        except GenesysCloudError as exc:  # two stored webhooks share the name
            step.problems = [exc.message]

    def apply_step(self, client, trail, step, shared, diff):
        return resource.apply_plan(client, trail, step.plan, diff)

    def details(self, plan, step):
        before = wh.to_user(step.plan.current) if step.plan.current else {}
        after = step.plan.after or {}
        options = []
        for option in step.plan.changes:
            if option in ("secret", "headers"):
                entry = dict(option=option, before=HIDDEN if option == "headers" and before.get("headers") else None,
                             after=HIDDEN)
                if option == "headers":
                    entry["names"] = sorted(set((before.get("headers") or {})) | set((after.get("headers") or {})))
                options.append(entry)
                continue
            options.append(dict(option=option, before=_shown_option(option, before.get(option)),
                                after=None if step.plan.action == "delete" else _shown_option(option, after.get(option))))
        return dict(options=options)

    def detail_text(self, key, value):
        if key != "options":
            return None
        return ", ".join("%s: %s -> %s" % (item["option"], short(item["before"]), short(item["after"])) for item in value)

    export_masks = True
    export_filtered = True

    def export_read(self, client):
        return [wh.to_user(hook) for hook in self.read_objects(client)]

    def export_text(self, item, with_headers):
        return export.export_webhook(item, with_headers)

    def export_meaning(self, data, stem, with_headers):
        return export.webhook_meaning(data, stem, with_headers)

    def export_keys(self, with_headers):
        return export.export_keys(with_headers)

    def export_private(self, data):
        return export.private(data)

    def export_masked(self, data):
        return export.masked(data)

    def saved_values(self, step, digest):
        plan = step.plan
        if plan.action == "delete":
            return {"id": digest((plan.current or {}).get("id"))}
        values = dict(("option %s" % key, digest(value)) for key, value in (plan.after or {}).items())
        if plan.send_secret:
            values["secret sent"] = digest(plan.params.get("secret"))
        if plan.clear_secret:
            values["secret removed"] = digest(True)
        return values

    def basis(self, read):
        return dict((h.get("name"), None if h.get("dateModified") is None else str(h.get("dateModified")))
                    for h in read.objects[self.name])


KIND = WebhookKind()
