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
    readable_schema, resolve_relationships, user_paths_of_server_errors, user_schema)


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
    try:
        with trail.change("flex_schema", "create", name=intent["name"]) as info:
            stored = client.create(SCHEMAS_PATH, first, lookup=lambda: find_by_name(client, intent["name"])).data
            info["id"] = stored["id"]
    except GenesysCloudError as exc:
        exc.errors = user_paths_of_server_errors(exc.errors, first["fields"], intent)
        raise
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


def records_path(name):
    return "/api/v2/customobjects/%s/records" % name


def stored_record_count(client, name):
    return client.request("GET", records_path(name), params={"pageSize": 1, "pageNumber": 1}).data.get("total", 0)


def risky_fields(changes):
    """Removed fields and unsafe type changes: the ones whose stored values may be lost or refused."""
    unsafe = dict((change["field"], change) for change in changes["type_changes"] if change["verdict"] != "safe")
    return list(changes["removed"]), unsafe


def holders_of(client, name, field_names):
    """How many stored records hold a value in each of ``field_names`` (read only for a --diff that needs it)."""
    counts = dict.fromkeys(field_names, 0)
    for record in client.paginate(records_path(name), page_size=500):
        for field_name in field_names:
            if record.get(field_name) is not None:
                counts[field_name] += 1
    return counts


def mark_risks(diff, changes, counts):
    """Say in the diff which changes touch stored data: a removed field's values go, an unsafe type change converts."""
    removed, unsafe = risky_fields(changes)
    after_fields = diff["after"].setdefault("fields", {})
    for field_name in removed:
        held = counts.get(field_name, 0)
        after_fields[field_name] = ("(REMOVED: the values of %d stored record%s are deleted)"
                                    % (held, "" if held == 1 else "s") if held else "(removed: no record holds a value)")
    for field_name, change in unsafe.items():
        shown = after_fields.get(field_name)
        if isinstance(shown, dict):
            held = counts.get(field_name, 0)
            shown["warning"] = ("UNSAFE type change from %s to %s: %d stored record%s hold a value the server must "
                                "convert, or it refuses the change"
                                % (change["from"], change["to"], held, "" if held == 1 else "s"))


def update(module, client, trail, intent, current, catalog):
    allow = module.params["allow_unsafe_type_changes"]
    last = {}

    def compute(fresh):
        """The body to PUT on ``fresh``: this task's intent, the safety checks run on ``fresh`` itself."""
        body, changes = plan_update(intent, fresh, catalog, allow)
        last.update(before=fresh, changes=changes, body=body)
        return body

    body = compute(current)
    if body is None:
        return outcome(module, catalog, "none", current, current, last["changes"])
    removed, unsafe = risky_fields(last["changes"])
    counts = holders_of(client, current["name"], removed + list(unsafe)) if module._diff and (removed or unsafe) else {}
    if module.check_mode:
        result = outcome(module, catalog, "update", current, dict(current, **body), last["changes"])
        if module._diff:
            mark_risks(result["diff"], last["changes"], counts)
        return result
    try:
        with trail.change("flex_schema", "update", name=intent["name"], resource_id=current["id"]) as info:
            stored, changed = client.update_versioned("%s/%s" % (SCHEMAS_PATH, current["id"]), compute,
                                                      current=current)
            info["version"] = stored.get("version")
    except GenesysCloudError as exc:
        if last.get("body"):
            exc.errors = user_paths_of_server_errors(exc.errors, last["body"]["fields"], intent)
        raise
    catalog.remember(stored)
    if not changed:
        return outcome(module, catalog, "none", stored, stored, no_changes())
    result = outcome(module, catalog, "update", last["before"], stored, last["changes"])
    if module._diff:
        mark_risks(result["diff"], last["changes"], counts)
    return result


def delete(module, client, trail, current, catalog):
    if current is None:
        return outcome(module, catalog, "none", None, None, no_changes())
    changes = dict(no_changes(), removed=[field["name"] for field in current["fields"]])
    held = stored_record_count(client, current["name"])
    users = sorted(schema["name"] for schema in catalog.by_id.values() if schema["id"] != current["id"] and any(
        (field.get("relationship") or {}).get("schemaId") == current["id"] for field in schema["fields"]))
    if module.check_mode:
        if users:
            module.warn("flex schema %s is the target of relationship fields in %s; deleting it will fail until "
                        "those fields are removed" % (current["name"], ", ".join(users)))
        if held and not module.params["force"]:
            module.warn("flex schema %s holds %d records; deleting it will fail unless force: true deletes them "
                        "with it" % (current["name"], held))
        return deleted_outcome(module, catalog, current, changes, held)
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
    result = deleted_outcome(module, catalog, current, changes, held)
    catalog.forget(current)
    result["id"] = current["id"]
    return result


def deleted_outcome(module, catalog, current, changes, held):
    """The delete result: how many records go with the schema, in the result and the diff."""
    result = outcome(module, catalog, "delete", current, None, changes)
    result["records_deleted"] = held if module.params["force"] else 0
    if module._diff and held:
        result["diff"]["before"]["records"] = held
        result["diff"]["after"]["records"] = ("0 (force: true deletes the %d stored records with the schema)" % held
                                              if module.params["force"] else held)
    if held and module.params["force"]:
        module.warn("force: true deletes the %d stored records of flex schema %s with it" % (held, current["name"]))
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
    if current is not None and current["name"] != name:
        module.warn("flex schema %r is stored as %r: names compare case-insensitively, so this task manages the "
                    "stored schema and keeps its name (a schema is never renamed by case alone, its records path "
                    "/api/v2/customobjects/%s would change for every consumer). Write name: %s to silence this "
                    "warning." % (name, current["name"], current["name"], current["name"]))
        name = current["name"]
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
