# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send exactly a :class:`~.plan.TriggerPlan`'s write.

An update PUTs the whole trigger with the ``version`` it was planned against; a stale version (409 or
400, REAL_API.md §10) is a conflict: the trigger is read again, only this task's options
(``plan.delta``) are applied to it and the PUT is retried. A replacement reads the trigger by id first:
when its version moved since the plan, the new trigger is built from that fresh read (someone else's
change to an option this task leaves out is carried over); then the old one is deleted and the new one
created.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger import shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.read import TRIGGER_PAGE_SIZE


def _with_delta(current, delta):
    user = dict((k, v) for k, v in shape.to_user(current).items() if k not in ("id", "version"))
    user.update(delta)
    return user


def updated_body(current, delta):
    """The PUT body applying ``delta`` to the trigger as read, or None when it already holds it."""
    before = shape.to_user(current)
    if all(shape.same(option, value, before.get(option)) for option, value in delta.items()):
        return None
    return dict(shape.to_api(_with_delta(current, delta)), version=current["version"])


def _lookup(client, name, topic):
    def find():
        stored = client.paginate(shape.TRIGGERS_PATH, params={"topicName": topic}, page_size=TRIGGER_PAGE_SIZE)
        return next(iter(shape.find_by_name(list(stored), name)), None)
    return find


def _create(client, trail, plan, after):
    with trail.change(plan.kind, "create", name=plan.name) as info:
        stored = client.create(shape.TRIGGERS_PATH, shape.to_api(after),
                               lookup=_lookup(client, plan.name, after["topic"])).data
        info["id"] = stored.get("id")
    return stored


def _delete(client, trail, plan):
    with trail.change(plan.kind, "delete", name=plan.name, resource_id=plan.id):
        try:
            client.request("DELETE", "%s/%s" % (shape.TRIGGERS_PATH, plan.id))
        except GenesysCloudError as exc:
            if exc.status != 404:  # gone already
                raise


def _fresh(client, plan):
    """The trigger as it is now, or None when it is gone. A trigger created moments ago may answer 404 by id
    for a while (REAL_API.md §11) while lists already show it, so a 404 is confirmed by the list."""
    fresh = client.get_or_none("%s/%s" % (shape.TRIGGERS_PATH, plan.id))
    if fresh is None:
        listed = client.paginate(shape.TRIGGERS_PATH, params={"topicName": plan.before["topic"]},
                                 page_size=TRIGGER_PAGE_SIZE)
        fresh = next((t for t in listed if t.get("id") == plan.id), None)
    return fresh


def _replace(client, trail, plan):
    fresh = _fresh(client, plan)
    after = plan.after if fresh is None or fresh.get("version") == plan.version else _with_delta(fresh, plan.delta)
    if fresh is not None:
        _delete(client, trail, plan)
    try:
        return _create(client, trail, plan, after)
    except GenesysCloudError as exc:
        exc.message += (" The trigger %s on topic %s was deleted before this create failed; run the task again to "
                        "create it on topic %s." % (plan.name, plan.before["topic"], after["topic"]))
        raise


def apply_plan(client, trail, plan):
    """Send the plan's write; return the stored trigger ({} after a delete; the one read when nothing changes)."""
    if plan.action == "none":
        return plan.current
    if plan.action == "create":
        return _create(client, trail, plan, plan.after)
    if plan.action == "delete":
        _delete(client, trail, plan)
        return {}
    if plan.action == "replace":
        return _replace(client, trail, plan)
    with trail.change(plan.kind, "update", name=plan.name, resource_id=plan.id) as info:
        info["fields"] = sorted(plan.delta)
        stored = client.update_versioned("%s/%s" % (shape.TRIGGERS_PATH, plan.id),
                                         lambda current: updated_body(current, plan.delta),
                                         current=plan.current, version_in_body=True)[0]
    return stored
