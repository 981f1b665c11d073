#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: workitem_schema
short_description: Manage a Genesys Cloud task-management workitem schema
version_added: 0.3.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Creates, updates or deletes one workitem schema under C(/api/v2/taskmanagement/workitems/schemas), identified by
    its name (names compare case-insensitively, as the server does).
  - The module is idempotent. A write is only sent when the description, O(enabled) or a field differs.
  - O(fields) is the whole list of the schema's fields. A stored field left out is removed; a listed field is stored
    exactly as written. Left out, the stored fields are kept.
  - A schema carries a C(version). An update sends the version it read; when someone changed the schema in between
    the server refuses it (with a 409, or a 400 saying the version does not match). The module then reads the schema
    again, applies only this task's change to it (the options and fields that differed when it planned, so a field
    someone else added in between is kept) and sends it again, up to three times.
  - A deleted schema is soft-deleted by the server (it still reads, marked deleted). The module treats it as absent.
  - What the service refuses or what would lose data silently is refused before any write, in check mode too,
    naming the schema, the field and the way out. A field's type cannot change (its stored key is
    C({name}_{type})), a schema has at most as many fields as the org's limit allows (50 unless raised), and an org
    has at most as many schemas (100 unless raised). The limits are read from C(GET .../schemas/limits).
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
attributes:
  check_mode:
    support: full
    description: Reads the schemas and their limits, reports what would change and sends no write.
  diff_mode:
    support: full
    description: Shows the schema before and after, in the shape of the module's options.
options:
  name:
    description:
      - The schema's name, 1 to 50 characters; it identifies the schema.
    type: str
    required: true
  description:
    description:
      - The schema's description, at most 512 characters. Left out, the stored one is kept.
    type: str
  enabled:
    description:
      - Whether workitems can use the schema.
    type: bool
    default: true
  fields:
    description:
      - The schema's fields. Left out, the stored fields are kept. A new schema lists them in this order; fields added
        to a stored schema come after its other fields (order is not compared).
      - A stored field not listed here is removed. Workitems that hold a value for it may keep it; the service does
        not document what happens to it, so review the diff (C(--check --diff)) first.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The field's name, starting with a letter, then letters, digits and C(_). The server stores the field under
            the key C({name}_{type}).
        type: str
        required: true
      type:
        description:
          - The field's core type. It cannot change once the field is stored; add a field under another name instead.
        type: str
        required: true
        choices: [text, longtext, url, identifier, enum, date, datetime, integer, number, checkbox, tag]
      title:
        description:
          - The label people see. Defaults to the field's name.
        type: str
      description:
        description:
          - A longer explanation of the field.
        type: str
      min_length:
        description:
          - The shortest value of a C(text), C(longtext), C(url) or C(identifier) field; for a C(tag) field, the
            shortest tag.
        type: int
      max_length:
        description:
          - The longest value of a C(text), C(longtext), C(url) or C(identifier) field; for a C(tag) field, the
            longest tag.
        type: int
      minimum:
        description:
          - The smallest value of an C(integer) or C(number) field; for a C(tag) field, the fewest tags.
        type: float
      maximum:
        description:
          - The largest value of an C(integer) or C(number) field; for a C(tag) field, the most tags.
        type: float
      values:
        description:
          - The values of an C(enum) field, in order; required for it and for no other type.
        type: list
        elements: str
  state:
    description:
      - V(present) creates or updates the schema, V(absent) deletes it (soft, as the server does). A schema that is
        already deleted is absent, and a new one may then be created with the same name.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Whether a deleted schema's name is free again at once is not documented by the service. When a create is refused
    because the name is taken while only a deleted schema holds it, the module says so; run it again later.
  - Needs the C(workitems) scope (C(workitems:readonly) for check mode).
seealso:
  - module: genesys.cloud.workitem_schema_info
  - module: genesys.cloud.trigger
"""

EXAMPLES = r"""
- name: Describe insurance claims for workitems
  genesys.cloud.workitem_schema:
    name: claimDetails
    description: What a claim workitem carries
    fields:
      - name: policy
        type: identifier
        title: Policy number
        min_length: 1
        max_length: 100
      - name: severity
        type: enum
        values: [low, high]
      - name: amount
        type: number
        minimum: 0
      - name: labels
        type: tag
        maximum: 5
        max_length: 30

- name: Stop new workitems from using the schema, keeping its fields
  genesys.cloud.workitem_schema:
    name: claimDetails
    enabled: false

- name: Delete the schema (the server keeps it, marked deleted)
  genesys.cloud.workitem_schema:
    name: claimDetails
    state: absent
"""

RETURN = r"""
workitem_schema:
  description:
    - The schema as stored after the run (as it would be, in check mode), in the shape of the module's options, with
      its id and version. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 4b7e5f0a-2d8c-4a51-9b1e-6a3f0e2d9c11
    version: 2
    name: claimDetails
    description: What a claim workitem carries
    enabled: true
    fields:
      - {name: policy, type: identifier, title: Policy number, min_length: 1, max_length: 100}
      - {name: severity, type: enum, title: severity, values: [low, high]}
action:
  description: What the task did (or would do), one of C(create), C(update), C(delete) and C(none).
  returned: always
  type: str
  sample: update
changes:
  description: The options and the fields that were (or would be) changed.
  returned: always
  type: dict
  contains:
    options:
      description: Schema options that change (C(description), C(enabled)).
      type: list
      elements: str
    added:
      description: Names of the fields added.
      type: list
      elements: str
    modified:
      description: Names of the fields changed.
      type: list
      elements: str
    removed:
      description: Names of the fields removed.
      type: list
      elements: str
  sample: {options: [], added: [amount], modified: [], removed: [notes]}
diff:
  description: The schema before and after (with C(--diff)).
  returned: when changed
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
      description: Always C(workitem_schema).
      type: str
    name:
      description: The workitem schema's name.
      type: str
    id:
      description: The workitem schema's id.
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
      description: The last correlation id the server sent.
      type: str
    error:
      description: The error code when the change failed.
      type: str
    fields:
      description: For an update, the options that changed.
      type: list
      elements: str
"""

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.task import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
