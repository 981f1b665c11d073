# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send exactly a :class:`~.plan.SchemaPlan`'s write.

An update PUTs the whole schema with the ``version`` it was planned against. A stale version (409,
or the 400 that says the version does not match: REAL_API.md §9) is a conflict: the schema is read
again and only this task's change (``plan.delta``) is applied to it, so a field someone else added
in between is kept; then the PUT is retried (``client.update_versioned``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema import shape
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.read import read_workitem_schemas

PUT_KEYS = ("name", "enabled", "appliesTo", "jsonSchema")


def updated_body(current, delta):
    """The PUT body that applies ``delta`` to the schema as read, or None when it already holds it."""
    if current.get("deleted"):
        raise GenesysCloudError("workitem schema %s was deleted by someone else while this task ran; nothing was "
                                "changed. Run the task again to create it anew." % current.get("name"),
                                status=404, code="not.found")
    body = dict((k, copy.deepcopy(current[k])) for k in PUT_KEYS if k in current)
    json_schema = body.setdefault("jsonSchema", {})
    if "description" in delta["options"]:
        json_schema["description"] = delta["options"]["description"]
    if "enabled" in delta["options"]:
        body["enabled"] = delta["options"]["enabled"]
    properties = json_schema.setdefault("properties", {})
    by_name = dict((shape.to_field(key, prop)["name"], key) for key, prop in properties.items())
    for name in delta["removed"]:
        properties.pop(by_name.get(name), None)
    for name, field in delta["set_fields"].items():
        key, prop = shape.to_property(field)
        stored_key = by_name.get(name)
        if stored_key is not None and stored_key != key:
            raise GenesysCloudError("field %s of workitem schema %s changed its type to %s while this task ran; "
                                    "nothing was changed. Run the task again to plan against it."
                                    % (name, current.get("name"), stored_key[len(name) + 1:]), status=409,
                                    code="version.mismatch")
        properties[key] = prop
    if body == dict((k, current[k]) for k in PUT_KEYS if k in current):
        return None
    body["version"] = current["version"]
    return body


def _create(client, trail, plan):
    body = shape.create_body(plan.after)
    with trail.change(plan.kind, "create", name=plan.name) as info:
        try:
            stored = client.create(shape.SCHEMAS_PATH, body,
                                   lookup=lambda: shape.find_live(read_workitem_schemas(client, False).schemas,
                                                                  plan.name)).data
        except GenesysCloudError as exc:
            if exc.status == 409:
                exc.message += (" A deleted workitem schema may still hold the name %s: the service frees a deleted "
                                "schema's name at a time it does not document. Run again later, or use another "
                                "name." % plan.name)
            raise
        info["id"] = stored.get("id")
    return stored


def apply_plan(client, trail, plan):
    """Send the plan's write; return the stored schema ({} after a delete; the one read when nothing changes)."""
    if plan.action == "none":
        return plan.current
    if plan.action == "create":
        return _create(client, trail, plan)
    path = "%s/%s" % (shape.SCHEMAS_PATH, plan.id)
    if plan.action == "delete":
        with trail.change(plan.kind, "delete", name=plan.name, resource_id=plan.id):
            try:
                client.request("DELETE", path)
            except GenesysCloudError as exc:
                if exc.status != 404:  # gone already: a soft-deleted schema is absent
                    raise
        return {}
    with trail.change(plan.kind, "update", name=plan.name, resource_id=plan.id) as info:
        changes = plan.changes()
        info["fields"] = sorted(changes["options"] + changes["added"] + changes["modified"] + changes["removed"])
        stored = client.update_versioned(path, lambda current: updated_body(current, plan.delta),
                                         current=plan.current, version_in_body=True)[0]
    return stored
