#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: datatable_info
short_description: Read Genesys Cloud Architect data tables and their rows
version_added: 0.3.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Lists the data tables of an org, all of them or those with the given names, in the shape
    M(genesys.cloud.datatable) takes, so the output can be fed back into it.
  - With O(rows), each table comes with its rows in full (read with C(showbrief=false), 100 a page), in the shape
    M(genesys.cloud.datatable_rows) takes.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
  - genesys.cloud.attributes.info_module
options:
  name:
    description:
      - Only the tables with these names (case-insensitive). A name with no table is listed in RV(missing).
      - Left out, every table is listed.
    type: list
    elements: str
  rows:
    description: Read every row of each listed table too (one request per 100 rows).
    type: bool
    default: false
notes:
  - Needs the OAuth scope C(architect:readonly).
seealso:
  - module: genesys.cloud.datatable
  - module: genesys.cloud.datatable_rows
"""

EXAMPLES = r"""
- name: Every data table
  genesys.cloud.datatable_info:
  register: genesys_datatables

- name: One table with its rows
  genesys.cloud.datatable_info:
    name: storeRouting
    rows: true
  register: genesys_store_table

- name: Copy the table into a new one with the same columns (the way out of a change tables refuse)
  genesys.cloud.datatable:
    name: storeRoutingCopy
    description: "{{ genesys_store_table.datatables[0].description }}"
    key_title: "{{ genesys_store_table.datatables[0].key_title }}"
    properties: "{{ genesys_store_table.datatables[0].properties }}"

- name: And its rows
  genesys.cloud.datatable_rows:
    datatable: storeRoutingCopy
    rows: "{{ genesys_store_table.datatables[0].rows }}"
"""

RETURN = r"""
datatables:
  description: The tables, in the shape M(genesys.cloud.datatable) takes, plus their ids.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The table's id.
      type: str
    name:
      description: The table's name.
      type: str
    description:
      description: The table's description.
      type: str
    key_title:
      description: The label of the key column.
      type: str
    properties:
      description: The columns besides C(key), in display order, with C(name), C(type), C(title), C(default) and C(max_length).
      type: list
      elements: dict
    rows:
      description: Every row in full, in key order (with O(rows)).
      type: list
      elements: dict
      returned: when O(rows) is set
missing:
  description: The names asked for that no table has.
  returned: always
  type: list
  elements: str
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
  description: Always empty; the module only reads.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.info import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
