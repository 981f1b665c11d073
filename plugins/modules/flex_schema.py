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
      - Schemas are found by name without regard to case.
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
diff:
  description: The schema before and after, fields keyed by name.
  returned: with --diff
  type: dict
metrics:
  description: What the API client did for this task; the same keys in every module of the collection.
  returned: always
  type: dict
  contains:
    org:
      description: The org's API host.
      type: str
    requests:
      description: API requests sent, retries included.
      type: int
    token_requests:
      description: Token requests sent.
      type: int
    retries:
      description: Requests sent again after a transient failure.
      type: int
    waits:
      description: Times the client waited for backoff or rate-limit pacing.
      type: int
    wait_seconds:
      description: Seconds spent waiting.
      type: float
    rate_limited:
      description: 429 answers received.
      type: int
    reauthentications:
      description: Tokens fetched again after a 401.
      type: int
    conflicts:
      description: Version conflicts met.
      type: int
    recovered_writes:
      description: Creates found applied after a failure in transit.
      type: int
    seconds:
      description: Wall-clock seconds the client was in use.
      type: float
audit:
  description:
    - One entry per write (never a secret); read by the C(genesys.cloud.audit) callback.
  returned: always
  type: list
  elements: dict
  contains:
    time:
      description: When the change ended, RFC 3339 UTC.
      type: str
    org:
      description: The org's API host.
      type: str
    resource:
      description: Always C(flex_schema).
      type: str
    name:
      description: The schema's name.
      type: str
    id:
      description: The schema's id.
      type: str
    action:
      description: One of C(create), C(update) and C(delete).
      type: str
    outcome:
      description: C(success) or C(failed).
      type: str
    latency_ms:
      description: Milliseconds the change took.
      type: int
    requests:
      description: API requests the change used.
      type: int
    correlation_id:
      description: The correlation id of the server's answer.
      type: str
    error:
      description: The error code when the change failed.
      type: str
    version:
      description: For an update, the schema's version after it.
      type: int
"""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR, SCHEMAS_PATH, SELF_ID, Catalog, SchemaChangeRefused, blank_schema,
    build_intent, check_definition, desired_field, no_changes, plan_update, readable_schema, resolve_relationships,
    user_schema)
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
    with trail.change("flex_schema", "create", name=intent["name"]) as info:
        stored = client.create(SCHEMAS_PATH, first, lookup=lambda: find_by_name(client, intent["name"])).data
        info["id"] = stored["id"]
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
    result["id"] = current["id"]
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
