#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: flex_schema
short_description: Manage a Genesys Cloud flex (custom data) schema
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Creates, updates and deletes a flex schema, the definition of a custom object's records.
  - Updates are made under optimistic locking. When another administrator changed the schema
    between the read and the write, the module reads it again and re-applies only what this task
    adds, changes or removes, so the other change is kept.
  - The whole definition is checked before any request and every problem is reported at once,
    each with the path of the field it concerns.
extends_documentation_fragment:
  - genesys.cloud.auth
options:
  name:
    description:
      - The schema's name; it is also the C({schemaName}) of the records API.
      - Schemas are found by name without regard to case. A stored schema whose name differs only in case is
        managed under its stored name (never renamed), with a warning naming both spellings.
    type: str
    required: true
  description:
    description:
      - The schema's description, at most 512 characters.
      - When not set, an existing schema keeps its description.
    type: str
  fields:
    description:
      - The fields this task manages. Each listed field is set to exactly this definition.
      - Without O(purge_fields), stored fields that are not listed are left alone.
      - At most 100 fields.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The field's name, C(^[A-Za-z][A-Za-z0-9_]{0,63}$), unique in the schema without regard to case.
          - C(id), C(version), C(dateCreated), C(dateModified) and C(conflictResolution) are reserved.
        type: str
        required: true
      type:
        description:
          - The field's type.
        type: str
        required: true
        choices: [string, number, boolean, date, relationship]
      required:
        description:
          - Whether every record must have a value.
        type: bool
        default: false
      unique:
        description:
          - Whether values must not repeat. Only string and number fields can be unique.
        type: bool
        default: false
      options:
        description:
          - The allowed values of a string field.
        type: list
        elements: str
      max_length:
        description:
          - The longest allowed value of a string field, 1 to 10000. C(maxLength) is accepted too.
        type: int
      relationship:
        description:
          - The record a relationship field refers to. Required for, and only allowed on, relationship fields.
        type: dict
        suboptions:
          schema:
            description:
              - The name of the target schema; the module looks its id up.
              - A schema may refer to itself.
            type: str
          schema_id:
            description:
              - The id of the target schema, instead of O(fields[].relationship.schema).
            type: str
          field:
            description:
              - The target schema's field whose value a record stores, C(id) or a unique field.
            type: str
            default: id
  state:
    description:
      - Whether the schema should exist.
    type: str
    default: present
    choices: [present, absent]
  purge_fields:
    description:
      - Remove stored fields that O(fields) does not list. Their stored values are dropped.
      - Needs O(fields) (give an empty list to remove every field).
    type: bool
    default: false
  allow_unsafe_type_changes:
    description:
      - Without this, a type change other than string to date, number to boolean or boolean to number
        is refused before anything is sent.
      - With it, the change is sent and the server refuses it if a stored value does not convert.
      - Changes to or from C(relationship) are always refused.
    type: bool
    default: false
  force:
    description:
      - With O(state=absent), delete the schema even when it still has records (they are deleted too).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Nothing is written; the result reports what would change.
  diff_mode:
    support: full
    description: Shows the schema before and after, fields by name.
notes:
  - In check mode, a relationship target that does not exist yet is assumed to be created by an earlier
    task of the same run (with a warning), so that a preview of several related schemas works.
  - A schema that another schema's relationship field targets cannot be deleted; the
    M(genesys.cloud.flex_schema_info) module and the C(genesys.cloud.flex_schemas) role help to order changes.
seealso:
  - module: genesys.cloud.flex_schema_info
requirements:
  - jsonschema
"""

EXAMPLES = r"""
- name: Define the accounts schema (other stored fields are kept)
  genesys.cloud.flex_schema:
    name: customerAccounts
    description: Customer accounts
    fields:
      - name: accountNumber
        type: string
        required: true
        unique: true
        max_length: 32
      - name: tier
        type: string
        options: [gold, silver, bronze]
      - name: owner
        type: relationship
        relationship:
          schema: employees
          field: employeeId

- name: Make the schema exactly this list of fields
  genesys.cloud.flex_schema:
    name: customerAccounts
    purge_fields: true
    fields:
      - name: accountNumber
        type: string
        unique: true

- name: Delete a schema and its records
  genesys.cloud.flex_schema:
    name: customerAccounts
    state: absent
    force: true
"""

RETURN = r"""
action:
  description: What the task did or, in check mode, would do.
  returned: always
  type: str
  sample: update
  choices: [create, update, delete, none]
schema:
  description:
    - The schema as stored after the task (as predicted in check mode), in the shape O(name),
      O(description) and O(fields) take. Empty after a delete.
  returned: always
  type: dict
  sample: {"name": "customerAccounts", "description": "", "fields": [{"name": "tier", "type": "string",
           "required": false, "unique": false, "options": ["gold", "silver"]}]}
id:
  description: The schema's id (none for a schema that check mode would create).
  returned: always
  type: str
  sample: 0b6a1a4e-3f0c-4a8e-9d35-0f5c5f1f2d11
version:
  description: The schema's version after the task.
  returned: always
  type: int
  sample: 4
changes:
  description: What changed (or would change) in the schema's fields.
  returned: always
  type: dict
  contains:
    added:
      description: Names of added fields.
      type: list
      elements: str
    removed:
      description: Names of removed fields.
      type: list
      elements: str
    modified:
      description: Names of fields whose definition changed.
      type: list
      elements: str
    type_changes:
      description:
        - Type changes with their verdict, C(safe), C(unsafe) (needs O(allow_unsafe_type_changes))
          or C(forbidden).
      type: list
      elements: dict
      sample: [{"field": "status", "from": "string", "to": "date", "safe": true, "verdict": "safe"}]
    description_changed:
      description: Whether the description changed.
      type: bool
records_deleted:
  description: With O(state=absent), how many stored records are deleted with the schema (would be, in check mode).
  returned: when O(state=absent) and the schema exists
  type: int
  sample: 120
diff:
  description:
    - The schema before and after, fields keyed by name.
    - A removed field is shown as C((REMOVED ...)) with how many stored records hold a value in it; an unsafe
      type change carries a C(warning) with how many records the server must convert. With O(state=absent)
      C(records) gives how many records go with the schema.
  returned: with --diff
  type: dict
metrics:
  description: What the client did (requests, retries, waits, conflicts, seconds).
  returned: always
  type: dict
audit:
  description: One entry per write, with its outcome, latency and correlation id.
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR, SCHEMAS_PATH, SELF_ID, Catalog, SchemaChangeRefused, blank_schema,
    build_intent, check_definition, desired_field, no_changes, plan_update, readable_schema, resolve_relationships,
    user_paths_of_server_errors, user_schema)
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


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
    catalog.by_id[stored["id"]] = stored
    if later:
        for field in intent["set"]:
            if (field.get("relationship") or {}).get("schemaId") == SELF_ID:
                field["relationship"]["schemaId"] = stored["id"]
        with trail.change("flex_schema", "update", name=intent["name"], resource_id=stored["id"]):
            stored = client.update_versioned(
                "%s/%s" % (SCHEMAS_PATH, stored["id"]),
                lambda fresh: plan_update(intent, fresh, catalog, allow)[0], current=stored)[0]
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


def run(module, client, trail):
    if not HAS_JSONSCHEMA:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=str(JSONSCHEMA_IMPORT_ERROR))
    params = module.params
    name = params["name"]
    present = params["state"] == "present"
    check_definition(dict(name=name, description=params["description"], fields=params["fields"] if present else None),
                     params["purge_fields"] and present)
    catalog = Catalog(list(client.paginate(SCHEMAS_PATH, page_size=100)), own_name=name)
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


def main():
    run_module(new_module(dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        fields=dict(type="list", elements="dict"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        purge_fields=dict(type="bool", default=False),
        allow_unsafe_type_changes=dict(type="bool", default=False),
        force=dict(type="bool", default=False),
    )), run)


if __name__ == "__main__":
    main()
