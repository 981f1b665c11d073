#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: webhook
short_description: Manage a Genesys Cloud compliance webhook
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Creates, updates or deletes one webhook under C(/api/v2/platform/webhooks), identified by its name
    (names compare case-insensitively, as the server does).
  - The module is idempotent. Every option given is compared with the stored webhook and a write is only sent when
    something differs. The write-only O(secret) cannot be compared; see O(update_secret).
  - The server delivers each matching event (schema created, updated, deleted; records changed) to the
    endpoint, signed with C(X-Genesys-Signature) when a secret is set.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
attributes:
  check_mode:
    support: full
    description: Reads the webhooks, reports what would change and sends no write.
  diff_mode:
    support: full
    description: Shows the webhook before and after; header values and the secret are masked.
options:
  name:
    description:
      - The webhook's name, 1 to 128 characters; it identifies the webhook.
      - When two stored webhooks share the name the module fails, naming both ids, and changes nothing.
    type: str
    required: true
  endpoint:
    description:
      - Where deliveries are POSTed. Must be an absolute C(https) URL.
      - Plain C(http) is accepted only to a loopback address (for a local test receiver).
      - Credentials in the URL (C(user:password@), or a query parameter such as C(token), C(api_key) or
        C(signature)) are refused; pass them with O(headers) or sign deliveries with O(secret). Such credentials
        stored by other means are masked in results and diffs.
      - Required with O(state=present).
    type: str
  event_types:
    description:
      - The events to deliver, 1 to 10 of C(data.flex.schema.created), C(data.flex.schema.updated),
        C(data.flex.schema.deleted) and C(customobjects.records.changed). Order does not matter.
      - Required with O(state=present).
    type: list
    elements: str
  enabled:
    description:
      - Whether the server delivers events to this webhook.
    type: bool
    default: true
  headers:
    description:
      - HTTP headers sent with every delivery, at most 20. C(Content-Type) and C(X-Genesys-Signature)
        are set by the server and cannot be configured.
      - Their values are treated as secrets, hidden from logs, results and diffs; a diff marks a header whose value
        changes as C(******** (changed, value hidden)).
      - Left out, the stored headers are kept; V({}) removes them all.
    type: dict
  filter:
    description:
      - Deliver only events about a given schema. The module writes the filter expression itself and
        quotes every value, so a value containing C(') or C( and ) cannot change the filter's meaning.
      - Terms given together must all match. Left out, the stored filter is kept; V({}) removes it.
    type: dict
    suboptions:
      schema_name:
        description: Only events about the schema with this exact name.
        type: str
      schema_id:
        description: Only events about the schema with this id.
        type: str
  secret:
    description:
      - The HMAC-SHA256 key the server signs deliveries with. Write-only; the server never returns it.
      - When and whether it is sent is chosen by O(update_secret).
    type: str
  update_secret:
    description:
      - V(on_create) sends O(secret) when the webhook is created, or when the stored webhook has no secret yet;
        a changed secret value is not noticed, because the server never returns it.
      - V(always) sends O(secret) on every run. Because it cannot be compared, every such run reports
        C(changed=true).
      - V(remove) removes a stored secret, so deliveries are no longer signed; leave O(secret) out.
        Whether a secret is stored can be read, so this is idempotent.
    type: str
    choices: [on_create, always, remove]
    default: on_create
  state:
    description:
      - V(present) creates or updates the webhook, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Webhooks carry no version, so an update is a full replacement built from a read made just before it;
    options the task leaves out (O(headers), O(filter)) are carried over from that read.
  - Header values are declared C(no_log). Ansible then masks those strings wherever they occur in the
    task output, so avoid very short header values.
seealso:
  - module: genesys.cloud.webhook_info
  - module: genesys.cloud.flex_schema
"""

EXAMPLES = r"""
- name: Tell the compliance platform about every change to the customerAccounts schema
  genesys.cloud.webhook:
    name: compliance-accounts
    endpoint: https://compliance.example.com/genesys/events
    event_types:
      - data.flex.schema.updated
      - data.flex.schema.deleted
    filter:
      schema_name: customerAccounts
    headers:
      Authorization: "Bearer {{ compliance_token }}"
    secret: "{{ compliance_signing_secret }}"

- name: Stop signing deliveries (removes the stored secret; no change once it is gone)
  genesys.cloud.webhook:
    name: schema-audit
    endpoint: https://compliance.example.com/genesys
    event_types: [data.flex.schema.updated]
    update_secret: remove

- name: Rotate the signing secret (reports a change on every run)
  genesys.cloud.webhook:
    name: compliance-accounts
    endpoint: https://compliance.example.com/genesys/events
    event_types: [data.flex.schema.updated, data.flex.schema.deleted]
    secret: "{{ new_signing_secret }}"
    update_secret: always

- name: Pause deliveries
  genesys.cloud.webhook:
    name: compliance-accounts
    endpoint: https://compliance.example.com/genesys/events
    event_types: [data.flex.schema.updated, data.flex.schema.deleted]
    enabled: false

- name: Remove the webhook
  genesys.cloud.webhook:
    name: compliance-accounts
    state: absent
"""

RETURN = r"""
webhook:
  description:
    - The webhook as stored after the run (as it would be, in check mode), in the shape the module accepts,
      plus its id and whether a secret is stored. Header values are masked. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 3f0c9a52-3c1e-4bbf-9a59-0c6a1d2b7e11
    name: compliance-accounts
    endpoint: https://compliance.example.com/genesys/events
    event_types: [data.flex.schema.updated]
    enabled: true
    headers: {Authorization: "********"}
    filter: {schema_name: customerAccounts}
    secret_set: true
changes:
  description: The options that were (or would be) changed; C(secret) when the secret is sent.
  returned: always
  type: list
  elements: str
  sample: [endpoint, secret]
diff:
  description: The webhook before and after, header values and the secret masked (with C(--diff)).
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
      description: Always C(webhook).
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
      description: For an update, the options that changed.
      type: list
      elements: str
"""

from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module
from ansible_collections.genesys.cloud.plugins.module_utils.webhook_apply import ARGUMENTS, run


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
