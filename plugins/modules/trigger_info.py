#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: trigger_info
short_description: List Genesys Cloud process-automation triggers
version_added: 0.3.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Lists the triggers of an org, all of them or those with the given names, in the shape
    M(genesys.cloud.trigger) accepts (O(genesys.cloud.trigger#module:workflow) as the workflow's id), with their ids
    and versions.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
  - genesys.cloud.attributes.info_module
options:
  name:
    description:
      - Only the triggers with these names (compared exactly). A name with no trigger is listed in RV(missing).
      - Left out, every trigger is listed.
    type: list
    elements: str
notes:
  - Needs the C(process-automation:readonly) scope.
"""

EXAMPLES = r"""
- name: Read every trigger
  genesys.cloud.trigger_info:
  register: genesys_triggers

- name: Disable every listed trigger, feeding the listing back into the module
  genesys.cloud.trigger:
    name: "{{ item.name }}"
    topic: "{{ item.topic }}"
    workflow: "{{ item.workflow }}"
    enabled: false
  loop: "{{ genesys_triggers.triggers }}"
  loop_control:
    label: "{{ item.name }}"
"""

RETURN = r"""
triggers:
  description:
    - The triggers, in the shape M(genesys.cloud.trigger) accepts, with C(id) and C(version).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7d1c2a4e-9b0f-4e55-8c3a-2f6b1e0d4a77
      version: 1
      name: claimEscalation
      topic: v2.taskmanagement.workitems.{id}
      workflow: 0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f
      data_format: Json
      match_criteria:
        - {json_path: $.priority, operator: GreaterThanOrEqual, value: 5}
      enabled: true
      event_ttl_seconds: 60
      delay_by_seconds:
      description: Starts the escalation workflow for urgent claims
missing:
  description: Names asked for in O(name) that no trigger has.
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

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.info import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
