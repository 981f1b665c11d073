#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: org_export
short_description: Write a Genesys Cloud org as an org-as-code directory
version_added: 0.2.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Reads the org with one API client (one list of schemas, one of webhooks, every schema's records in pages of
    500, in parallel) and writes C(schemas/<name>.yml), C(records/<schema>.jsonl) and C(webhooks/<name>.yml)
    under O(dest), the directory M(genesys.cloud.org) applies.
  - Ordering and formatting are stable; files are only rewritten when their content changes and files of
    objects that no longer exist are removed, so an unchanged org exports to a byte-identical directory
    (and the task reports no change).
  - Records keep their ids (server-made ones too), ordered by id, without server bookkeeping.
  - Webhook secrets are never exported (the API never returns them). Header values are, unless O(headers=false);
    webhook files are then written readable by their owner only (mode 0600). The result never holds a value.
  - This is an action plugin; it always runs on the control node and writes there.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
options:
  dest:
    description:
      - The directory to write.
    type: path
    required: true
  headers:
    description:
      - Whether webhook header values (which may hold credentials) are written in clear.
      - Without them a re-apply leaves stored headers alone.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: Nothing is written; RV(written) and RV(removed) list what would be.
  diff_mode:
    support: none
    description: No diff (files may hold header values).
  action:
    support: full
    description: Runs on the control node.
seealso:
  - module: genesys.cloud.org
"""

EXAMPLES = r"""
- name: Export the org to a Git working copy
  genesys.cloud.org_export:
    dest: "{{ playbook_dir }}/orgs/acme"

- name: Export without header values (safe to publish)
  genesys.cloud.org_export:
    dest: /tmp/acme-public
    headers: false
"""

RETURN = r"""
dest:
  description: The directory written.
  returned: success
  type: str
files:
  description: Every file of the export, relative to RV(dest).
  returned: success
  type: list
  elements: str
  sample: [records/regions.jsonl, schemas/regions.yml, webhooks/audit.yml]
written:
  description: Files written because they were new or differed (content or mode).
  returned: success
  type: list
  elements: str
removed:
  description: Files of objects that no longer exist, removed.
  returned: success
  type: list
  elements: str
counts:
  description: How many schemas, records and webhooks were exported.
  returned: success
  type: dict
  sample: {"schemas": 4, "records": 66, "webhooks": 2}
metrics:
  description: What the client did; the same keys as in every module of the collection.
  returned: success
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
  description: Always empty (an export only reads); kept for the audit callback, as in every module.
  returned: success
  type: list
  elements: dict
"""
