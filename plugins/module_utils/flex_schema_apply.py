# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Applying one flex schema: plan against a :class:`Catalog` of the org's schemas, then create,
update or delete it and describe the outcome.

``genesys.cloud.flex_schema`` reads the catalog and calls :func:`apply_schema`; a whole-org run
(``genesys.cloud.org``) reads the catalog once and calls it for every schema. ``module`` is
anything with ``params``, ``check_mode``, ``_diff`` and ``warn`` (AnsibleModule or
plugin_utils.inprocess.TaskModule).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    SCHEMAS_PATH, SELF_ID, SchemaChangeRefused, blank_schema, build_intent, desired_field, no_changes, plan_update,
    readable_schema, resolve_relationships, user_schema)


def find_by_name(client, name):
    for schema in client.paginate(SCHEMAS_PATH, {"name": name}, page_size=100):
        if schema["name"].lower() == name.lower():
            return schema
    return None


def outcome(module, catalog, action, before, after, changes):
    result = dict(changed=action != "none", action=action, changes=changes,
                  schema=user_schema(after, catalog) if after else {},
                  id=(after or before or {}).get("id"), version=(after or {}).get("version"))
    if result["id"] == SELF_ID:
        result["id"] = None
    if module._diff:
        result["diff"] = make_diff(readable_schema(before, catalog), readable_schema(after, catalog))
    return result


def create(module, client, trail, intent, catalog):
    allow = module.params["allow_unsafe_type_changes"]
    blank = blank_schema(intent["name"])
    body, changes = plan_update(intent, blank, catalog, allow)
    body = body or {"name": intent["name"], "description": "", "fields": []}
    if module.check_mode:
        return outcome(module, catalog, "create", None, dict(blank, **body), changes)
    # A relationship to the schema itself needs the schema's id: add such fields once it exists.
    later = [field for field in body["fields"] if (field.get("relationship") or {}).get("schemaId") == SELF_ID]
    first = dict(body, fields=[field for field in body["fields"] if field not in later])
    with trail.change("flex_schema", "create", name=intent["name"]) as info:
        stored = client.create(SCHEMAS_PATH, first, lookup=lambda: find_by_name(client, intent["name"])).data
        info["id"] = stored["id"]
    catalog.remember(stored)
    if later:
        for field in intent["set"]:
            if (field.get("relationship") or {}).get("schemaId") == SELF_ID:
                field["relationship"]["schemaId"] = stored["id"]
        with trail.change("flex_schema", "update", name=intent["name"], resource_id=stored["id"]):
            stored = client.update_versioned(
                "%s/%s" % (SCHEMAS_PATH, stored["id"]),
                lambda fresh: plan_update(intent, fresh, catalog, allow)[0], current=stored)[0]
        catalog.remember(stored)
    return outcome(module, catalog, "create", None, stored, changes)


def update(module, client, trail, intent, current, catalog):
    allow = module.params["allow_unsafe_type_changes"]
    last = {}

    def compute(fresh):
        """The body to PUT on ``fresh``: this task's intent, the safety checks run on ``fresh`` itself."""
        body, changes = plan_update(intent, fresh, catalog, allow)
        last.update(before=fresh, changes=changes)
        return body

    body = compute(current)
    if body is None:
        return outcome(module, catalog, "none", current, current, last["changes"])
    if module.check_mode:
        return outcome(module, catalog, "update", current, dict(current, **body), last["changes"])
    with trail.change("flex_schema", "update", name=intent["name"], resource_id=current["id"]) as info:
        stored, changed = client.update_versioned("%s/%s" % (SCHEMAS_PATH, current["id"]), compute, current=current)
        info["version"] = stored.get("version")
    catalog.remember(stored)
    if not changed:
        return outcome(module, catalog, "none", stored, stored, no_changes())
    return outcome(module, catalog, "update", last["before"], stored, last["changes"])


def delete(module, client, trail, current, catalog):
    if current is None:
        return outcome(module, catalog, "none", None, None, no_changes())
    changes = dict(no_changes(), removed=[field["name"] for field in current["fields"]])
    users = sorted(schema["name"] for schema in catalog.by_id.values() if schema["id"] != current["id"] and any(
        (field.get("relationship") or {}).get("schemaId") == current["id"] for field in schema["fields"]))
    if module.check_mode:
        if users:
            module.warn("flex schema %s is the target of relationship fields in %s; deleting it will fail until "
                        "those fields are removed" % (current["name"], ", ".join(users)))
        return outcome(module, catalog, "delete", current, None, changes)
    params = {"force": "true"} if module.params["force"] else None
    try:
        with trail.change("flex_schema", "delete", name=current["name"], resource_id=current["id"]):
            client.request("DELETE", "%s/%s" % (SCHEMAS_PATH, current["id"]), params=params)
    except GenesysCloudError as exc:
        if exc.code == "schema.in.use":
            exc.message += " Remove the relationship fields that target %s first%s." % (
                current["name"], " (in %s)" % ", ".join(users) if users else "")
        elif exc.code == "schema.has.records":
            exc.message += " Set force: true to delete the schema together with its records."
        raise
    result = outcome(module, catalog, "delete", current, None, changes)
    catalog.forget(current)
    result["id"] = current["id"]
    return result


def apply_schema(module, client, trail, catalog):
    """Apply the validated ``module.params`` of one schema against ``catalog``; return the task result.

    The catalog is updated with what was written, so the next schema of a run sees it.
    """
    params = module.params
    name = params["name"]
    present = params["state"] == "present"
    catalog = catalog.for_schema(name)
    current = catalog.find(name)
    if not present:
        return delete(module, client, trail, current, catalog)
    fields = [desired_field(field) for field in params["fields"] or []]
    pending = [] if module.check_mode else None
    problems = resolve_relationships(fields, catalog, name, current["id"] if current else None, pending)
    for target in sorted(set(pending or [])):
        module.warn("flex schema %s does not exist; this preview assumes an earlier task creates it (applying "
                    "fails otherwise)" % target)
    intent = build_intent(name, fields, params["description"], current["fields"] if current else [],
                          params["purge_fields"])
    if problems:
        # Report the planning problems too, so that one run lists everything to fix, and keep the
        # change summary (type changes with their verdict) in the result for previews.
        try:
            changes = plan_update(intent, current or blank_schema(name), catalog,
                                  params["allow_unsafe_type_changes"])[1]
        except SchemaChangeRefused as exc:
            problems += exc.problems
            changes = exc.changes
        raise SchemaChangeRefused(problems, changes, what="the definition of flex schema %r" % name)
    if current is None:
        return create(module, client, trail, intent, catalog)
    return update(module, client, trail, intent, current, catalog)
