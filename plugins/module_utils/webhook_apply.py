# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Applying one webhook against the list of stored webhooks: create, update or delete it.

``genesys.cloud.webhook`` reads the list and calls :func:`apply_webhook`; a whole-org run
(``genesys.cloud.org``) reads it once and calls it for every webhook.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError, InputError
from ansible_collections.genesys.cloud.plugins.module_utils.paging import WEBHOOK_PAGE_SIZE


def stored_webhooks(client):
    return list(client.paginate(wh.WEBHOOKS_PATH, page_size=WEBHOOK_PAGE_SIZE))


def delete(module, client, trail, current):
    if current is None:
        return dict(changed=False, webhook={}, changes=[])
    result = dict(changed=True, webhook={}, changes=["state"])
    if module._diff:
        result["diff"] = wh.webhook_diff(wh.diff_view(wh.to_user(current), current), None)
    if module.check_mode:
        return result
    with trail.change("webhook", "delete", name=current["name"], resource_id=current["id"]):
        try:
            client.request("DELETE", "%s/%s" % (wh.WEBHOOKS_PATH, current["id"]))
        except GenesysCloudError as exc:
            # Gone already: an earlier attempt of this DELETE landed, or someone else removed it.
            if exc.status != 404:
                raise
    return result


def create(module, client, trail, desired):
    params = module.params
    after = wh.merged(dict(headers={}, filter=None), desired)
    send_secret, dummy = wh.secret_action(params, None)
    body = wh.to_api(after, params["secret"] if send_secret else None)
    changes = sorted(desired) + (["secret"] if send_secret else [])
    result = dict(changed=True, changes=changes)
    if module._diff:
        result["diff"] = wh.webhook_diff(None, wh.diff_view(after, None, send_secret))
    if module.check_mode:
        predicted = dict(wh.to_api(after), secretSet=send_secret, id=None)
        result["webhook"] = wh.result_view(predicted)
        return result

    def lookup():
        return wh.find_by_name(stored_webhooks(client), params["name"])

    with trail.change("webhook", "create", name=params["name"]) as info:
        created = client.create(wh.WEBHOOKS_PATH, body, lookup=lookup).data
        info["id"] = created.get("id")
    result["webhook"] = wh.result_view(created)
    return result


def update(module, client, trail, desired, current):
    params = module.params
    current_user = wh.to_user(current)
    differing = wh.differing_options(desired, current_user)
    send_secret, dummy = wh.secret_action(params, current)
    clear_secret = wh.clears_secret(params, current)
    changes = differing + (["secret"] if send_secret or clear_secret else [])
    if not changes:
        return dict(changed=False, webhook=wh.result_view(current), changes=[])
    after = wh.merged(current_user, desired)
    result = dict(changed=True, changes=changes)
    if module._diff:
        before_view = wh.diff_view(current_user, current)
        result["diff"] = wh.webhook_diff(before_view, wh.diff_view(after, current, send_secret, clear_secret))
    if module.check_mode:
        secret_set = (bool(current.get("secretSet")) or send_secret) and not clear_secret
        predicted = dict(wh.to_api(after), secretSet=secret_set, id=current["id"])
        result["webhook"] = wh.result_view(predicted)
        return result
    body = wh.to_api(after, params["secret"] if send_secret else None, clear_secret=clear_secret)
    with trail.change("webhook", "update", name=params["name"], resource_id=current["id"]) as info:
        info["fields"] = changes
        stored = client.request("PUT", "%s/%s" % (wh.WEBHOOKS_PATH, current["id"]), json=body).data
    result["webhook"] = wh.result_view(stored)
    return result


def check_webhook(params):
    """Raise InputError listing every problem of a webhook's parameters, before any request."""
    problems = wh.validate(params)
    if problems:
        if params.get("endpoint"):  # the failure result echoes the arguments: never a credential in them
            params["endpoint"] = wh.mask_endpoint(params["endpoint"])
        raise InputError(problems)


def apply_webhook(module, client, trail, stored):
    """Apply the ``module.params`` of one webhook (checked by :func:`check_webhook`), given every stored
    webhook; return the task result."""
    params = module.params
    current = wh.find_by_name(stored, params["name"])
    if params["state"] == "absent":
        return delete(module, client, trail, current)
    desired = wh.desired_from_params(params)
    if current is None:
        return create(module, client, trail, desired)
    return update(module, client, trail, desired, current)
