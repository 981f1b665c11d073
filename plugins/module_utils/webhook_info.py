# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``webhook_info`` task: its arguments and its run (header values and endpoint credentials masked)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.paging import WEBHOOK_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments


def run(module, client, trail):
    wanted = module.params["name"]
    stored = list(client.paginate(wh.WEBHOOKS_PATH, page_size=WEBHOOK_PAGE_SIZE))
    if wanted is not None:
        names = set(name.lower() for name in wanted)
        stored = [hook for hook in stored if hook.get("name", "").lower() in names]
    found_names = set(hook.get("name", "").lower() for hook in stored)
    listed = []
    for hook in stored:
        user = wh.to_user(hook)
        user["endpoint"] = wh.mask_endpoint(user.get("endpoint"))
        listed.append(user if module.params["reveal_headers"] else wh.mask_headers(user))
    return dict(
        changed=False,
        webhooks=listed,
        metadata=[wh.metadata(hook) for hook in stored],
        missing=[name for name in (wanted or []) if name.lower() not in found_names],
    )


ARGUMENTS = module_arguments(dict(
    name=dict(type="list", elements="str"),
    reveal_headers=dict(type="bool", default=False),
))
