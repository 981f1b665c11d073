#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: flex_schema_info
short_description: Read Genesys Cloud flex (custom data) schemas
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Reads one flex schema by name, or every schema of the org (all pages).
  - Returns each schema in the shape M(genesys.cloud.flex_schema) and the C(genesys.cloud.flex_schemas)
    role take, with relationships naming their target schema, so the output can be fed back in.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
  - genesys.cloud.attributes.info_module
options:
  name:
    description:
      - The name of the schema to read, compared without regard to case.
      - When not set, every schema is returned.
    type: str
seealso:
  - module: genesys.cloud.flex_schema
"""

EXAMPLES = r"""
- name: Read one schema
  genesys.cloud.flex_schema_info:
    name: customerAccounts
  register: accounts

- name: Read every schema of the org
  genesys.cloud.flex_schema_info:
  register: all_schemas

- name: Copy every schema to another org, relationship targets first
  genesys.cloud.flex_schema:
    name: "{{ item.name }}"
    description: "{{ item.description | default(omit, true) }}"
    fields: "{{ item.fields }}"
    region: eu-west-1
    client_id: "{{ vault_other_org_client_id }}"
    client_secret: "{{ vault_other_org_client_secret }}"
  loop: "{{ all_schemas.schemas | genesys.cloud.schema_order }}"
  loop_control:
    label: "{{ item.name }}"
"""

RETURN = r"""
schemas:
  description:
    - The schemas found, in creation order, each with C(name), C(description) and C(fields) as
      M(genesys.cloud.flex_schema) takes them. Empty when O(name) names no schema.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "customerAccounts", "description": "Customer accounts", "fields": [
           {"name": "owner", "type": "relationship", "required": false, "unique": false,
            "relationship": {"schema": "employees", "field": "id"}}]}]
metadata:
  description: What the server keeps about each schema in RV(schemas), in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The schema's name.
      type: str
    id:
      description: The schema's id.
      type: str
    version:
      description: The schema's version.
      type: int
    date_created:
      description: When the schema was created.
      type: str
    date_modified:
      description: When the schema was last changed.
      type: str
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
  description: Always empty; this module does not write.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module
from ansible_collections.genesys.cloud.plugins.module_utils.schema_info import ARGUMENTS, run


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
