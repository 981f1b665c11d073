# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One webhook as a resource contract: read, plan (a value), apply.

- read: :func:`stored_webhooks` (every stored webhook, one list);
- plan: :func:`plan_webhook` ``(params, stored) -> WebhookPlan``, a pure function (no request): create,
  update, delete or none, the options that change, the stored webhook it was planned against
  (its ``dateModified``);
- apply: :func:`apply_plan` ``(client, trail, plan)`` sends exactly the plan's write.

``genesys.cloud.webhook`` is :func:`run` (check, read, plan, apply); the whole-org run plans every webhook from one
read of the list and applies the plans later.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError, InputError
from ansible_collections.genesys.cloud.plugins.module_utils.paging import WEBHOOK_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

ARGUMENTS = module_arguments(
    dict(
        name=dict(type="str", required=True),
        endpoint=dict(type="str"),
        event_types=dict(type="list", elements="str"),
        enabled=dict(type="bool", default=True),
        headers=dict(type="dict", no_log=True),
        filter=dict(type="dict", options=dict(schema_name=dict(type="str"), schema_id=dict(type="str"))),
        secret=dict(type="str", no_log=True),
        update_secret=dict(type="str", choices=["on_create", "always", "remove"], default="on_create", no_log=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ),
    required_if=[("state", "present", ("endpoint", "event_types"))],
)


def stored_webhooks(client):
    return list(client.paginate(wh.WEBHOOKS_PATH, page_size=WEBHOOK_PAGE_SIZE))


def check_webhook(params):
    """Raise InputError listing every problem of a webhook's parameters, before any request."""
    problems = wh.validate(params)
    if problems:
        if params.get("endpoint"):  # the failure result echoes the arguments: never a credential in them
            params["endpoint"] = wh.mask_endpoint(params["endpoint"])
        raise InputError(problems)


class WebhookPlan:
    """What one webhook task will do: ``action`` (create, update, delete, none), the options that
    change (``changes``), the stored webhook it was planned against (``current``) and the user-shaped
    ``after``; whether the secret is sent or removed."""

    def __init__(self, params, action, current=None, changes=None, after=None, send_secret=False,
                 clear_secret=False):
        self.params, self.action, self.current, self.after = params, action, current, after
        self.changes = changes or []
        self.send_secret, self.clear_secret = send_secret, clear_secret
        self.problems = []

    @property
    def name(self):
        return self.params["name"]

    @property
    def changed(self):
        return self.action != "none"

    @property
    def version(self):
        return (self.current or {}).get("dateModified")

    def diff(self):
        before = wh.diff_view(wh.to_user(self.current), self.current) if self.current else None
        if self.action == "delete":
            return wh.webhook_diff(before, None)
        return wh.webhook_diff(before, wh.diff_view(self.after, self.current, self.send_secret, self.clear_secret))

    def predicted(self):
        if self.action == "delete":
            return {}
        if self.action == "none":
            return wh.result_view(self.current)
        secret_set = (bool((self.current or {}).get("secretSet")) or self.send_secret) and not self.clear_secret
        return wh.result_view(dict(wh.to_api(self.after), secretSet=secret_set,
                                   id=self.current["id"] if self.current else None))

    def result(self, diff, webhook=None):
        result = dict(changed=self.changed, changes=list(self.changes),
                      webhook=self.predicted() if webhook is None else webhook)
        if diff and self.changed:
            result["diff"] = self.diff()
        return result


def plan_webhook(params, stored):
    """Plan one webhook's checked ``params`` against every stored webhook (no request)."""
    current = wh.find_by_name(stored, params["name"])
    if params["state"] == "absent":
        return WebhookPlan(params, "delete" if current else "none", current, ["state"] if current else [])
    desired = wh.desired_from_params(params)
    send_secret = wh.secret_action(params, current)[0]
    if current is None:
        after = wh.merged(dict(headers={}, filter=None), desired)
        changes = sorted(desired) + (["secret"] if send_secret else [])
        return WebhookPlan(params, "create", None, changes, after, send_secret)
    current_user = wh.to_user(current)
    clear_secret = wh.clears_secret(params, current)
    changes = wh.differing_options(desired, current_user) + (["secret"] if send_secret or clear_secret else [])
    if not changes:
        return WebhookPlan(params, "none", current, [], current_user)
    return WebhookPlan(params, "update", current, changes, wh.merged(current_user, desired), send_secret,
                       clear_secret)


def apply_plan(client, trail, plan, diff=False):
    """Send the plan's write; return the task result."""
    params = plan.params
    if plan.action == "none":
        return plan.result(diff)
    if plan.action == "delete":
        current = plan.current
        with trail.change("webhook", "delete", name=current["name"], resource_id=current["id"]):
            try:
                client.request("DELETE", "%s/%s" % (wh.WEBHOOKS_PATH, current["id"]))
            except GenesysCloudError as exc:
                # Gone already: an earlier attempt of this DELETE landed, or someone else removed it.
                if exc.status != 404:
                    raise
        return plan.result(diff, webhook={})
    secret = params["secret"] if plan.send_secret else None
    if plan.action == "create":
        body = wh.to_api(plan.after, secret)
        with trail.change("webhook", "create", name=params["name"]) as info:
            stored = client.create(wh.WEBHOOKS_PATH, body,
                                   lookup=lambda: wh.find_by_name(stored_webhooks(client), params["name"])).data
            info["id"] = stored.get("id")
        return plan.result(diff, webhook=wh.result_view(stored))
    body = wh.to_api(plan.after, secret, clear_secret=plan.clear_secret)
    with trail.change("webhook", "update", name=params["name"], resource_id=plan.current["id"]) as info:
        info["fields"] = plan.changes
        stored = client.request("PUT", "%s/%s" % (wh.WEBHOOKS_PATH, plan.current["id"]), json=body).data
    return plan.result(diff, webhook=wh.result_view(stored))


def run_webhook(module, client, trail, stored):
    """What ``genesys.cloud.webhook`` does with its ``module.params`` (checked) and every stored webhook."""
    plan = plan_webhook(module.params, stored)
    if module.check_mode:
        return plan.result(module._diff)
    return apply_plan(client, trail, plan, module._diff)


def run(module, client, trail):
    """The ``genesys.cloud.webhook`` task: check the parameters, read the list, plan, preview or apply."""
    check_webhook(module.params)
    return run_webhook(module, client, trail, stored_webhooks(client))
