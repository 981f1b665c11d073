#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: custom_object_records
short_description: Make the records of a Genesys Cloud custom object match a list or a file
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Declares the records a custom object (a flex schema) should hold and makes the org match with as few
    requests as possible. Stored records are read in pages of 500, each desired record is compared with the
    stored one by field type, and only new or differing records are written, in batches.
  - Every record is validated against the schema before anything is written (types, options, maximum
    length, required and unknown fields, unique values across the whole input and against stored records,
    relationship targets). All problems are reported at once with the record's key and field.
  - Records that reference other records of the same input are written in an order that satisfies the
    references. Records without an id get one derived from the input, so a retried request never creates
    a duplicate.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
options:
  schema:
    description:
      - The name of the flex schema whose records are managed (exact, case-sensitive).
    type: str
    required: true
  records:
    description:
      - The desired records, each a mapping of field names to values, optionally with an C(id).
      - A field given as V(null) is cleared; a field not given is left as stored.
      - Mutually exclusive with O(src).
    type: list
    elements: dict
  src:
    description:
      - A file on the host that runs the module holding the desired records, read as a stream.
      - V(.json) files hold an array of records, V(.jsonl) files one record per line, V(.csv) files a header
        row of field names. The file must be UTF-8 text that reads completely and correctly. An empty file, a
        missing closing bracket, text after the array, a line that is not JSON, a CSV row with more or fewer cells
        than the header, an unclosed quote or a repeated header column is refused, naming the file and line.
        A V(.jsonl) or V(.csv) file must hold at least one record.
      - CSV cells are converted by the schema's field types (V(true)/V(false)/V(yes)/V(no)/V(1)/V(0)
        for booleans); an empty cell means the field is not given.
      - A file of 2 MiB or more is read by a helper process (the same Python) on another core while the stored
        records are read, when O(state=present), O(key) is a text field and the schema has no other unique or
        relationship field; without it the module reads the file itself, with the same outcome. A file that
        changes while the run reads it fails the run before anything is written.
      - Mutually exclusive with O(records).
    type: path
  key:
    description:
      - The field that identifies a record. V(id), or the name of a unique field of the schema.
      - With a unique field, stored records are found by that field and keep their ids; new records get an id
        derived from the schema and the key value.
      - With V(id), a record without an id gets an id derived from its content.
    type: str
    default: id
  state:
    description:
      - V(present) writes the records; V(absent) deletes the listed records (only their key is needed).
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), also delete stored records that the input does not list.
      - The input is read completely before anything is written; an O(src) file that is empty, cut short or
        not valid in any way is refused. To delete every stored record, give O(records=[]) or a V(.json) file
        holding V([]); the result's RV(msg) then says so.
    type: bool
    default: false
  conflict_resolution:
    description:
      - V(upsert) creates missing records and updates differing ones.
      - V(create_only) creates missing records and never changes stored ones (differing ones are reported as skipped).
      - V(update_only) updates stored records and never creates (missing ones are reported as skipped).
    type: str
    choices: [upsert, create_only, update_only]
    default: upsert
  batch_size:
    description:
      - The most records sent in one request (1 to 100). A batch is also cut before its body passes 2 MiB.
    type: int
    default: 100
  concurrency:
    description:
      - How many batches are sent in parallel.
    type: int
    default: 4
  changes_dest:
    description:
      - A path on the host that runs the module that receives every created, updated and deleted record as
        JSON lines (C({"action", "schema", "id", "key", "record"})), written after each successful batch,
        so that a following task can synchronise another system. The file is replaced on every run that is
        not in check mode.
    type: path
  max_problems:
    description:
      - The most validation problems listed in the failure message (the total is always given).
    type: int
    default: 100
attributes:
  check_mode:
    support: full
    description:
      - Writes nothing; returns the counts and the full lists of keys that would be created, updated and deleted.
      - When the schema does not exist yet (an earlier task of the same run may create it), every listed record
        is reported as one to create, with a warning; the records are validated only by a real run, which fails
        if the schema still does not exist.
  diff_mode:
    support: full
    description: Shows a bounded sample of records before and after, and the keys per outcome.
requirements:
  - jsonschema
notes:
  - The records API merges updates, so only the differing fields of a record are sent.
  - Memory stays bounded at any size (about 150 MB at 100,000 records, 250 MB at 1,000,000); stored records, the
    plan and the whole-input checks spill to a temporary SQLite database in the system's temporary directory,
    (created 0600 in a 0700 directory), which is removed at the end. A schema with a relationship field that
    points at the schema itself is planned the same way; its writes go out in levels (a record after the records
    it points at) and its deletes in the reverse order.
  - An interrupted run (a dropped connection, a killed process, a rejected batch) run again with the same input
    writes only the records that are still missing or differ.
  - A batch the server rejects stops the run; batches written before stay written and are listed in the failure.
  - SIGINT or SIGTERM (a cancelled CI job, Ctrl-C) stops the run between batches; the failure says how many
    records were written (and names the O(changes_dest) file that lists them), the temporary files are removed,
    and a run with the same input writes only what is still missing.
seealso:
  - module: genesys.cloud.custom_object_record_info
"""

EXAMPLES = r"""
- name: Load customer accounts, matched on their unique account number
  genesys.cloud.custom_object_records:
    schema: customerAccounts
    key: accountNumber
    records:
      - accountNumber: acc-001
        customerName: Acme Corp
        status: active
        tier: gold
      - accountNumber: acc-002
        customerName: Globex Inc
        status: active

- name: Make the org hold exactly the records of a CSV export, and note what changed
  genesys.cloud.custom_object_records:
    schema: customerAccounts
    key: accountNumber
    src: "{{ playbook_dir }}/data/accounts.csv"
    purge: true
    changes_dest: "{{ playbook_dir }}/data/accounts-changes.jsonl"

- name: Remove two records by their account number
  genesys.cloud.custom_object_records:
    schema: customerAccounts
    key: accountNumber
    state: absent
    records:
      - accountNumber: acc-003
      - accountNumber: acc-004
"""

RETURN = r"""
created:
  description: How many records were created (would be, in check mode).
  returned: always
  type: int
  sample: 120
updated:
  description: How many records were updated (would be, in check mode).
  returned: always
  type: int
  sample: 3
unchanged:
  description: How many listed records already matched (with O(state=absent), listed records not stored).
  returned: always
  type: int
  sample: 9877
deleted:
  description: How many records were deleted (would be, in check mode).
  returned: always
  type: int
  sample: 0
skipped:
  description: How many records O(conflict_resolution) kept from being written.
  returned: always
  type: int
  sample: 0
record_keys:
  description:
    - The keys per outcome (C(created), C(updated), C(deleted), C(skipped)), each a dict with
      C(items) (at most 1000 keys), C(total) and C(truncated).
    - Called C(keys) before 0.2.0; renamed because C(result.keys) names the dict method in Jinja.
  returned: always
  version_added: 0.2.0
  type: dict
  sample: {"created": {"items": ["accountNumber=acc-001"], "total": 1, "truncated": false}}
planned:
  description: In check mode, the full lists of keys that would be created, updated and deleted.
  returned: check mode
  type: dict
  sample: {"create": ["accountNumber=acc-001"], "update": [], "delete": []}
schema:
  description: The name of the schema.
  returned: always
  type: str
  sample: customerAccounts
msg:
  description:
    - With O(purge=true) and an empty list of records, says that every stored record is deleted (would be, in
      check mode), and how many. Empty, truncated or unreadable O(src) files are refused instead.
  returned: when O(purge=true) and the list of records is empty
  type: str
  sample: "purge with an empty record list: every stored record is deleted (42 records)"
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
stats:
  description:
    - How far the run got, for long loads; the same figures a run on the controller shows as progress lines
      at most every 10 seconds.
    - C(read) stored records read, C(compared) desired records compared, C(written) records sent in batches
      the server accepted (deletes included), C(seconds) since the module started, C(rate) records written
      per second of writing, C(helper) true when a helper process read the O(src) file on another core
      while the stored records were read (a file of 2 MiB or more, O(state=present), O(key) a text field,
      no other unique or relationship field).
  returned: success
  type: dict
  sample: {"read": 100000, "compared": 100000, "written": 1000, "seconds": 4.2, "rate": 480.5, "helper": true}
audit:
  description:
    - One entry per batch written (never a secret); read by the C(genesys.cloud.audit) callback.
  returned: always
  type: list
  elements: dict
  sample: [{"action": "upsert", "name": "customerAccounts", "outcome": "success", "size": 100}]
  contains:
    time:
      description: When the change ended, RFC 3339 UTC.
      type: str
    org:
      description: The org's API host.
      type: str
    resource:
      description: Always C(custom_object_records).
      type: str
    name:
      description: The schema's name.
      type: str
    id:
      description: Not set, as a batch holds many records.
      type: str
    action:
      description: C(upsert) or C(delete).
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
      description: The correlation id of the server's answer.
      type: str
    error:
      description: The error code when the change failed.
      type: str
    schema:
      description: The schema's name.
      type: str
    size:
      description: How many records the batch held.
      type: int
    first_key:
      description: The key of the batch's first record.
      type: raw
    last_key:
      description: The key of the batch's last record.
      type: raw
    created:
      description: For an upsert, records the batch created.
      type: int
    updated:
      description: For an upsert, records the batch updated.
      type: int
    unchanged:
      description: For an upsert, records the batch left as they were.
      type: int
    deleted:
      description: For a delete, records the batch deleted.
      type: int
"""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.genesys.cloud.plugins.module_utils.records import HAS_JSONSCHEMA
from ansible_collections.genesys.cloud.plugins.module_utils.records_resource import ARGUMENTS, client_options, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    module = new_module(ARGUMENTS)
    if not HAS_JSONSCHEMA:
        module.fail_json(msg=missing_required_lib("jsonschema"))
    run_module(module, run, **client_options(module.params))


if __name__ == "__main__":
    main()
