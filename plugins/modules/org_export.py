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
  - "Reads the org with one API client (one list of schemas, one of webhooks, of workitem schemas, of triggers
    and of data tables, every schema's records in pages of 500 and every table's rows in pages of 100, in parallel)
    and writes C(schemas/<name>.yml), C(records/<schema>.jsonl), C(webhooks/<name>.yml),
    C(workitem_schemas/<name>.yml), C(triggers/<name>.yml), C(datatables/<name>.yml) and
    C(datatable_rows/<table>.jsonl) (full rows; C(org.yml) gains C(datatable_rows: {<table>: {purge: true}}))
    under O(dest), the directory M(genesys.cloud.org) applies."
  - A trigger's workflow is written by its name when no other workflow of the org has that name, else by its id.
    Soft-deleted workitem schemas are not exported.
  - Ordering and formatting are stable, so an unchanged org exports to an unchanged directory (and the task
    reports no change).
  - The folder may hold other files. A file that already defines an exported object (found by the name in it,
    or a records file by its stem, any of C(.jsonl), C(.json), C(.csv), C(.yml)) is where that object goes, in
    that file's format; it is not rewritten when it means the same as the object (its comments and layout stay),
    and options in it that are no part of the object (C(purge_fields), C(secret)) are kept when it is.
  - C(.genesys-export.json) in O(dest) lists the files the export wrote or keeps up to date. Only those are ever
    removed, and only when their object is gone (within O(include), O(exclude) and O(records)); a README, a
    C(.gitkeep) or a file of an object not applied yet stays. See docs/export.md.
  - A schema whose relationships point at a schema the patterns leave out pulls that schema in (listed in
    RV(dependencies); with O(records=true) its records too), so the export applies on its own; a target that
    O(exclude) names stays out, with a warning.
  - Refuses a O(dest) whose C(org.yml) says C(templated=true) (an export writes literal values), or names a base
    other than O(base).
  - C(org.yml) names each exported record set's C(key) (a unique field every record has, the required one first;
    C(id) when there is none or a records file with no key was already there) and C(purge=true), so the directory is
    the whole truth about its record sets; options an existing C(org.yml) sets are kept, and so are its comments.
  - Records matched by a field are written without ids; with key C(id) they keep their ids (server-made ones too).
    Server bookkeeping is left out.
  - Every object gets a file name the org directory loader reads back as that object; a name that is no plain
    file name (C(README), C(...), C(a/b)) is written as its plain part and a digest of the name, the name inside.
  - Writes only its own regular files in O(dest) - a C(schemas), C(records) or C(webhooks) folder that is a symbolic
    link is refused, temporary files are created exclusively under fresh names, no link is followed or replaced,
    and only regular files the manifest lists (and that still define their object) are removed.
  - CSV text that starts like a formula (C(=), C(+), C(-), C(@), a tab, a carriage return) or with C(') is written
    with one C(') in front, which the records reader removes again; a value holding a NUL is refused for a CSV file.
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
  include:
    description:
      - Name patterns (shell style, C(*) C(?) C([ab]), any case) per kind; only matching objects are exported.
      - Once O(include) is given, a kind it does not name is not exported (the pattern V(*) under C(schemas) exports every schema).
    type: dict
    version_added: 0.2.0
    suboptions:
      schemas:
        description: Patterns of schema names.
        type: list
        elements: str
      webhooks:
        description: Patterns of webhook names.
        type: list
        elements: str
      workitem_schemas:
        description: Patterns of workitem schema names.
        type: list
        elements: str
        version_added: 0.3.0
      triggers:
        description: Patterns of trigger names.
        type: list
        elements: str
        version_added: 0.3.0
      datatables:
        description: Patterns of data table names (a table's rows go with it).
        type: list
        elements: str
        version_added: 0.3.0
  exclude:
    description:
      - Name patterns per kind never to export (applied after O(include)).
    type: dict
    version_added: 0.2.0
    suboptions:
      schemas:
        description: Patterns of schema names.
        type: list
        elements: str
      webhooks:
        description: Patterns of webhook names.
        type: list
        elements: str
      workitem_schemas:
        description: Patterns of workitem schema names.
        type: list
        elements: str
        version_added: 0.3.0
      triggers:
        description: Patterns of trigger names.
        type: list
        elements: str
        version_added: 0.3.0
      datatables:
        description: Patterns of data table names (a table's rows go with it).
        type: list
        elements: str
        version_added: 0.3.0
  records:
    description:
      - V(true) exports the records of every exported schema, V(false) none, a list of schema names (or patterns)
        only theirs. A name that matches no exported schema is an error.
    type: raw
    default: true
    version_added: 0.2.0
  base:
    description:
      - An org directory (relative paths are taken from O(dest), as C(base:) in C(org.yml)) to write an overlay of.
        Only objects that differ from the base are written, under the base's file name so they replace it in the
        merge; an object the base defines that the org no longer has gets a file saying C(state=absent); C(org.yml)
        names the base. The merge of base and overlay equals the full export.
    type: path
    version_added: 0.2.0
attributes:
  check_mode:
    support: full
    description: Nothing is written; RV(written) and RV(removed) list what would be.
  diff_mode:
    support: full
    description:
      - One entry per file that would be written or removed. Webhook header values, secrets and endpoint
        credentials are masked; files over 64 KiB are summed up as a line count.
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
    dest: "{{ playbook_dir }}/exports/acme-public"
    headers: false

- name: Export one schema and its records only
  genesys.cloud.org_export:
    dest: "{{ playbook_dir }}/exports/acme-regions"
    include:
      schemas: [regions]

- name: Export everything but test webhooks, without records
  genesys.cloud.org_export:
    dest: "{{ playbook_dir }}/exports/acme-config"
    exclude:
      webhooks: ["test-*"]
    records: false

- name: Export prod as an overlay of the shared definition
  genesys.cloud.org_export:
    dest: "{{ playbook_dir }}/orgs/prod"
    base: ../common
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
  description: Files an earlier export wrote (listed in its manifest) whose object no longer exists, removed.
  returned: success
  type: list
  elements: str
dependencies:
  description: Schemas exported because an exported schema's relationships point at them, each with those schemas.
  returned: success
  type: dict
  sample: {"regions": ["customerAccounts"]}
  version_added: 0.2.0
counts:
  description: How many objects of each kind were exported (records and data table rows counted one by one).
  returned: success
  type: dict
  sample: {"schemas": 4, "records": 66, "webhooks": 2, "workitem_schemas": 1, "triggers": 1}
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
