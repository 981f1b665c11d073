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
  - genesys.cloud.attributes
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
- name: Define the employees schema, which the accounts schema below refers to
  genesys.cloud.flex_schema:
    name: employees
    fields:
      - name: employeeId
        type: string
        required: true
        unique: true
      - name: fullName
        type: string

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
      - name: customerName
        type: string
      - name: status
        type: string
        options: [active, closed]
      - name: tier
        type: string
        options: [gold, silver, bronze]
      - name: owner
        type: relationship
        relationship:
          schema: employees
          field: employeeId

- name: Make the schema exactly this list of fields (owner and its stored values are dropped)
  genesys.cloud.flex_schema:
    name: customerAccounts
    purge_fields: true
    fields:
      - {name: accountNumber, type: string, required: true, unique: true, max_length: 32}
      - {name: customerName, type: string}
      - {name: status, type: string, options: [active, closed]}
      - {name: tier, type: string, options: [gold, silver, bronze]}

- name: Delete a schema and its records (no other schema may refer to it)
  genesys.cloud.flex_schema:
    name: employees
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

from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema_apply import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
