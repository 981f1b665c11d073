#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: custom_object_record_info
short_description: Read the records of a Genesys Cloud custom object
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Reads the records of a flex schema, all of them (in pages of 500), or those with the given ids, or those
    whose unique field holds one of the given values.
  - Also returns the schema's relationship targets, which the C(genesys.cloud.custom_object_data) role uses
    to load referenced records first.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
  - genesys.cloud.attributes.info_module
options:
  schema:
    description:
      - The name of the flex schema (exact, case-sensitive).
    type: str
    required: true
  ids:
    description:
      - Read only the records with these ids (one request each for up to 25 ids, else one paged read).
      - Mutually exclusive with O(field).
    type: list
    elements: str
  field:
    description:
      - A unique field of the schema to look records up by; requires O(values).
    type: str
  values:
    description:
      - The values of O(field) to look up. Numbers and strings are compared by value.
    type: list
    elements: raw
  include_records:
    description:
      - Set to V(false) to read only the schema's references, without any record.
    type: bool
    default: true
seealso:
  - module: genesys.cloud.custom_object_records
"""

EXAMPLES = r"""
- name: Read every record of a schema
  genesys.cloud.custom_object_record_info:
    schema: customerAccounts
  register: accounts

- name: Read two records by their account number
  genesys.cloud.custom_object_record_info:
    schema: customerAccounts
    field: accountNumber
    values: [acc-001, acc-002]
"""

RETURN = r"""
records:
  description: The records found, ordered by id, each with its fields, C(id), C(version), C(dateCreated) and C(dateModified).
  returned: always
  type: list
  elements: dict
  sample: [{"id": "acc-001", "accountNumber": "acc-001", "version": 1}]
count:
  description: How many records were found.
  returned: always
  type: int
  sample: 1
missing:
  description: The requested ids or values that matched no record.
  returned: always
  type: list
  elements: raw
  sample: []
references:
  description: The names of the other schemas this schema's relationship fields point at.
  returned: always
  type: list
  elements: str
  sample: [regions]
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
  description: Always empty, this module does not change anything.
  returned: always
  type: list
  elements: dict
  sample: []
"""

from ansible_collections.genesys.cloud.plugins.module_utils.record_info import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
