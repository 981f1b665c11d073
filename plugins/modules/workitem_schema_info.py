#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: workitem_schema_info
short_description: List Genesys Cloud task-management workitem schemas
version_added: 0.3.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Lists the workitem schemas of an org, all of them or those with the given names, in the shape
    M(genesys.cloud.workitem_schema) accepts, with their ids and versions. One request.
  - Deleted schemas (the server keeps them, marked deleted) are left out unless O(include_deleted) is set.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
  - genesys.cloud.attributes.info_module
options:
  name:
    description:
      - Only the schemas with these names (case-insensitive). A name with no live schema is listed in RV(missing).
      - Left out, every schema is listed.
    type: list
    elements: str
  include_deleted:
    description:
      - List deleted schemas too (with C(deleted=true)).
    type: bool
    default: false
notes:
  - Needs the C(workitems:readonly) scope.
"""

EXAMPLES = r"""
- name: Read every workitem schema
  genesys.cloud.workitem_schema_info:
  register: genesys_workitem_schemas

- name: Read one schema by name
  genesys.cloud.workitem_schema_info:
    name: claimDetails
  register: genesys_claim_schema
"""

RETURN = r"""
workitem_schemas:
  description:
    - The schemas, in the shape M(genesys.cloud.workitem_schema) accepts, with C(id), C(version) and C(deleted).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 4b7e5f0a-2d8c-4a51-9b1e-6a3f0e2d9c11
      version: 2
      deleted: false
      name: claimDetails
      description: What a claim workitem carries
      enabled: true
      fields:
        - {name: policy, type: identifier, title: Policy number, min_length: 1, max_length: 100}
missing:
  description: Names asked for in O(name) that no live schema has.
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
  description: Always empty (the module does not write); present because every module of the collection returns it.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.info import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
