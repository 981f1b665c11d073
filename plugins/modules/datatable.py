#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: datatable
short_description: Manage a Genesys Cloud Architect data table
version_added: 0.3.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Creates, updates or deletes one Architect data table under C(/api/v2/flows/datatables), identified by its
    name (names compare case-insensitively, as the service does). Its rows are managed by
    M(genesys.cloud.datatable_rows).
  - The module is idempotent. Every option given is compared with the stored table, and a write is sent only when
    something differs. Options left out keep what is stored.
  - Data tables are additive only. The service refuses to remove a property or to change its type or
    O(properties[].max_length), whether the table holds rows or not. The module refuses such a change itself, in
    check mode too and before any write, naming the table, the property and the way out (create a new table and
    copy the rows).
  - Tables carry no version, so the last writer wins. The module reads the table right before it writes and sends
    it back with only this task's changes.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
attributes:
  check_mode:
    support: full
    description: Reads the tables, reports what would change and sends no write. A change the service would
      refuse fails here too.
  diff_mode:
    support: full
    description: Shows the table before and after, in the shape the module takes.
options:
  name:
    description:
      - The table's name, 1 to 256 characters; it identifies the table.
      - A stored table whose name differs only in case is this table, and is renamed to O(name).
    type: str
    required: true
  description:
    description:
      - The table's description, at most 512 characters. Left out, the stored one is kept.
    type: str
  key_title:
    description:
      - The label of the key column (the property C(key), a string of 1 to 256 characters that names a row).
      - Left out, the stored label is kept.
    type: str
  properties:
    description:
      - The table's columns besides C(key), in display order, at most O(max_properties).
      - Every stored property must be listed, since none can be removed. Left out, the stored properties are kept.
      - A property's options left out keep what is stored (a new property is a C(string) without a title, default
        or length limit).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The property's name, its id in the API and in rows (1 to 64 letters, digits or C(_)). Never C(key).
        type: str
        required: true
      type:
        description:
          - The type of its values. Cannot change once stored.
          - Left out, C(string) for a new property and the stored type for a stored one.
        type: str
        choices: [string, integer, number, boolean]
      title:
        description: The column's label.
        type: str
      default:
        description:
          - The value the service stores when a row leaves the property out, of the property's type.
          - Without a default the service stores V(""), V(0) or V(false).
        type: raw
      max_length:
        description: The most characters a value may have (string properties only). Cannot change once stored.
        type: int
  state:
    description:
      - V(present) creates or updates the table, V(absent) deletes it with all its rows.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Delete the table even when a flow uses it (the service refuses otherwise). The flows then fail where they
        read it.
      - Whether a flow uses a table cannot be read, so check mode does not know; the delete fails, naming this option.
    type: bool
    default: false
  max_properties:
    description:
      - The most properties (besides C(key)) a table may have; the documented limit is 50.
      - No endpoint tells an org's own limit; raise this when your org's limit was raised.
    type: int
    default: 50
  max_tables:
    description:
      - The most data tables the org may have; the documented limit is 200. A create past it is refused before
        any write.
      - No endpoint tells an org's own limit; raise this when your org's limit was raised.
    type: int
    default: 200
notes:
  - Needs the OAuth scope C(architect) (C(architect:readonly) in check mode).
  - There is no version and no ETag on a table; a change someone else makes between this task's read and its
    write is overwritten where this task changes the same property.
seealso:
  - module: genesys.cloud.datatable_rows
  - module: genesys.cloud.datatable_info
"""

EXAMPLES = r"""
- name: A table that routes calls by store code
  genesys.cloud.datatable:
    name: storeRouting
    description: Queue and opening state of each store
    key_title: Store code
    properties:
      - name: queue
        title: Queue
        max_length: 100
      - name: open
        type: boolean
        title: Open
        default: true
      - name: priority
        type: integer
        title: Priority
        default: 5

- name: Add a column (tables only grow; a new column is filled with its default in every row)
  genesys.cloud.datatable:
    name: storeRouting
    properties:
      - name: queue
      - name: open
      - name: priority
      - name: region
        title: Region
        default: north

- name: A scratch table
  genesys.cloud.datatable:
    name: scratchTable
    properties:
      - name: note

- name: Delete the scratch table and its rows, even if a flow still reads it
  genesys.cloud.datatable:
    name: scratchTable
    state: absent
    force: true
"""

RETURN = r"""
datatable:
  description:
    - The table as stored after the run (as it would be, in check mode), in the shape the module takes, plus its
      id. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 5b4d8a1e-0f3c-4a53-9d1e-2b6f7c8d9e01
    name: storeRouting
    description: Queue and opening state of each store
    key_title: Store code
    properties:
      - {name: queue, type: string, title: Queue, default: null, max_length: 100}
      - {name: open, type: boolean, title: Open, default: true, max_length: null}
changes:
  description: What was (or would be) changed, such as C(description) or C(properties.region (added)).
  returned: always
  type: list
  elements: str
  sample: ["properties.region (added)"]
diff:
  description: The table before and after, in the shape of RV(datatable) (with C(--diff)).
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
    - One entry per write (never a row's values); read by the C(genesys.cloud.audit) callback.
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
      description: Always C(datatable).
      type: str
    name:
      description: The webhook's name.
      type: str
    id:
      description: The webhook's id.
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
      description: For an update, what changed.
      type: list
      elements: str
"""

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.task import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
