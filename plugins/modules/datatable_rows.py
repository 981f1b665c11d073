#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: datatable_rows
short_description: Manage the rows of a Genesys Cloud Architect data table
version_added: 0.3.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Makes the rows of one data table (made by M(genesys.cloud.datatable)) hold the rows given in O(rows) or O(src),
    each named by its C(key). With O(purge), rows the input does not name are deleted.
  - Reads every stored row in full (C(showbrief=false), 100 a page; the service's default gives keys only) and
    compares as the service stores rows, with every property a row leaves out filled by its default (else V(""),
    V(0), V(false)), so a re-run writes nothing.
  - Writes only the rows that differ, one request each (the service has no batch row write), up to O(concurrency)
    at a time per token of the pool (O(token_pool_size)), each token paced under its own rate limit.
  - Every row is checked against the table's schema (known properties, types, lengths) and the table's row limit
    before the first write; every bad row of the input is reported in one run (up to O(max_problems)) and nothing is
    written.
  - The service's asynchronous CSV import job is not used. It reports only counts, so every row would have to be
    read back to know which failed.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
attributes:
  check_mode:
    support: full
    description: Reads the table and its rows, reports what would change and sends no write. When the table does not
      exist (an earlier task of the run would create it), it warns and reports every row as created, having checked
      only their keys.
  diff_mode:
    support: full
    description: Shows the changed rows before and after, by key (the first 50).
options:
  datatable:
    description: The name of the table (case-insensitive).
    type: str
    required: true
  rows:
    description:
      - The rows, each a mapping of property name to value with a C(key) (a string of 1 to 256 characters).
      - A property a row leaves out gets its default, as the service does.
      - Mutually exclusive with O(src).
    type: list
    elements: raw
  src:
    description:
      - A file of rows, read completely before anything is written. By extension, C(.csv) (a header row of property
        names, then one row a line; an empty cell means the property's default; numbers and C(true)/C(false) are
        converted by the property's type), C(.jsonl) (one JSON object a line) or C(.json) (an array of objects).
      - A relative path is relative to the directory the playbook runs from.
      - Mutually exclusive with O(rows).
    type: path
  purge:
    description:
      - Delete the stored rows that the input does not name. Only an input read completely and without a problem
        deletes anything.
    type: bool
    default: false
  max_rows:
    description:
      - The most rows the table may hold; the documented limit is 5000. A run that would go past it is refused
        before any write.
      - No endpoint tells an org's own limit; raise this when your org's limit was raised.
    type: int
    default: 5000
  concurrency:
    description:
      - Row writes in flight at once per token of the pool, 1 to 32. With O(token_pool_size) tokens, up to that
        many times O(concurrency) writes are in flight (at most 32 in all); the row pages are read up to 8 at a time
        per token.
      - The rate limit of each token, which the client keeps to, bounds the speed.
    type: int
    default: 8
  max_problems:
    description: The most bad rows listed in a failure (they are all counted).
    type: int
    default: 100
notes:
  - Needs the OAuth scope C(architect) (C(architect:readonly) in check mode).
  - Rows carry no version; a row someone else changes between this task's read and its write is overwritten.
  - When a write fails, no further row is sent and the failure says how many were written; run the task again to
    write only what is still missing.
seealso:
  - module: genesys.cloud.datatable
  - module: genesys.cloud.datatable_info
"""

EXAMPLES = r"""
- name: Two stores; the columns left out get their defaults
  genesys.cloud.datatable_rows:
    datatable: storeRouting
    rows:
      - key: S001
        queue: Store 1 support
        open: true
      - key: S002
        queue: Store 2 support
        priority: 2

- name: An export of the stores, as another system writes it
  ansible.builtin.copy:
    dest: stores.csv
    mode: "0644"
    content: |
      key,queue,open,priority
      S001,Store 1 support,true,1
      S002,Store 2 support,false,
      S003,Store 3 support,true,3

- name: Load it, deleting every stored row it does not name
  genesys.cloud.datatable_rows:
    datatable: storeRouting
    src: stores.csv
    purge: true
  register: genesys_store_rows

- name: Say what changed
  ansible.builtin.debug:
    msg: "{{ genesys_store_rows.created }} created, {{ genesys_store_rows.updated }} updated, {{ genesys_store_rows.deleted }} deleted"
"""

RETURN = r"""
datatable:
  description: The table the rows belong to.
  returned: success
  type: dict
  contains:
    id:
      description: The table's id.
      type: str
    name:
      description: The table's name.
      type: str
created:
  description: Rows created (that would be, in check mode).
  returned: success
  type: int
updated:
  description: Rows replaced because a value differs.
  returned: success
  type: int
deleted:
  description: Rows deleted by O(purge).
  returned: success
  type: int
unchanged:
  description: Rows given that are stored as given.
  returned: success
  type: int
row_keys:
  description: The keys of the rows created, updated and deleted, the first 100 of each.
  returned: success
  type: dict
  sample: {created: [S003], updated: [S002], deleted: []}
diff:
  description:
    - The changed rows before and after, as mappings of key to row (with C(--diff)), the first 50.
  returned: when changed
  type: dict
problems:
  description: Why the input was refused, one entry a bad row (up to O(max_problems)), when it was.
  returned: failure
  type: list
  elements: str
bad_rows:
  description: How many rows of the input are bad, when any is.
  returned: failure
  type: int
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
    - One entry for the run's row writes (never a row's values); read by the C(genesys.cloud.audit) callback.
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
      description: Always C(datatable_rows).
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
    created:
      description: Rows created.
      type: int
    updated:
      description: Rows updated.
      type: int
    deleted:
      description: Rows deleted.
      type: int
    size:
      description: Rows written.
      type: int
    first_key:
      description: The smallest key written.
      type: str
    last_key:
      description: The largest key written.
      type: str
"""

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.task import ARGUMENTS, client_options, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    module = new_module(ARGUMENTS)
    run_module(module, run, **client_options(module.params))


if __name__ == "__main__":
    main()
