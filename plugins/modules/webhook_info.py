#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: webhook_info
short_description: List Genesys Cloud compliance webhooks
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Lists the webhooks of an org, all of them or those with the given names, in the shape
    M(genesys.cloud.webhook) accepts, so the output can be fed back into it.
  - Secrets are never returned (the server does not return them either); C(secret_set) in
    RV(metadata) says whether one is stored. Header values are masked unless O(reveal_headers) is set.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
  - genesys.cloud.attributes.info_module
options:
  name:
    description:
      - Only the webhooks with these names (case-insensitive). A name with no webhook is listed in RV(missing).
      - Left out, every webhook is listed.
    type: list
    elements: str
  reveal_headers:
    description:
      - Return header values as stored instead of masking them.
      - Header values often carry credentials; only set this when the output is handled as a secret.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Read every webhook
  genesys.cloud.webhook_info:
  register: genesys_webhook_list

- name: Read one webhook by name
  genesys.cloud.webhook_info:
    name: compliance-accounts
  register: genesys_compliance_hook

- name: Disable every listed webhook, feeding the listing back into the module
  genesys.cloud.webhook:
    name: "{{ item.name }}"
    endpoint: "{{ item.endpoint }}"
    event_types: "{{ item.event_types }}"
    filter: "{{ item.filter | default(omit, true) }}"
    enabled: false
  loop: "{{ genesys_webhook_list.webhooks }}"
  loop_control:
    label: "{{ item.name }}"
"""

RETURN = r"""
webhooks:
  description:
    - The webhooks, by creation, in the shape M(genesys.cloud.webhook) accepts (no secret; header values
      masked unless O(reveal_headers)).
    - A stored filter that cannot be written as structured terms is returned as C(filter_expression) instead of C(filter).
  returned: always
  type: list
  elements: dict
  sample:
    - name: compliance-accounts
      endpoint: https://compliance.example.com/genesys/events
      event_types: [data.flex.schema.updated]
      enabled: true
      headers: {Authorization: "********"}
      filter: {schema_name: customerAccounts}
metadata:
  description: Read-only facts about each webhook, in the same order as RV(webhooks).
  returned: always
  type: list
  elements: dict
  contains:
    id: {description: The server-made id., type: str}
    name: {description: The webhook's name., type: str}
    secret_set: {description: Whether a signing secret is stored., type: bool}
    date_created: {description: When it was created., type: str}
    date_modified: {description: When it was last changed., type: str}
missing:
  description: Names asked for in O(name) that no webhook has.
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

from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module
from ansible_collections.genesys.cloud.plugins.module_utils.webhook_info import ARGUMENTS, run


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
