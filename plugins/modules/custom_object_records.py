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
    which is removed at the end. A schema with a relationship field that points at the schema itself is
    compared in memory, as its writes and deletes must be ordered over the whole set.
  - An interrupted run (a dropped connection, a killed process, a rejected batch) run again with the same input
    writes only the records that are still missing or differ.
  - A batch the server rejects stops the run; batches written before stay written and are listed in the failure.
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
      - accountNumber: acc-002
        customerName: Globex Inc
        status: active

- name: Make the org hold exactly the records of a CSV export, and note what changed
  genesys.cloud.custom_object_records:
    schema: customerAccounts
    key: accountNumber
    src: /data/accounts.csv
    purge: true
    changes_dest: /data/accounts-changes.jsonl

- name: Remove two records by id
  genesys.cloud.custom_object_records:
    schema: customerAccounts
    state: absent
    records:
      - id: acc-001
      - id: acc-002
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
keys:
  description:
    - The keys per outcome (C(created), C(updated), C(deleted), C(skipped)), each a dict with
      C(items) (at most 1000 keys), C(total) and C(truncated).
  returned: always
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

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff
from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.progress import Progress
from ansible_collections.genesys.cloud.plugins.module_utils.records_helper import SourceDigests, worth_it
from ansible_collections.genesys.cloud.plugins.module_utils.records_plan import RecordPlan
from ansible_collections.genesys.cloud.plugins.module_utils.records_writer import (
    ChangeLog,
    RecordWriter,
    RelationshipContext,
    find_schema,
    relationship_context,
)
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments, new_module, run_module

KEY_LIMIT = 1000
DIFF_SAMPLE = 20


def early_problems(params, fields):
    problems = []
    if params["key"] != "id" and not (params["key"] in fields and fields[params["key"]].get("unique")):
        problems.append("key: %s is neither id nor a unique field of %s" % (params["key"], params["schema"]))
    if not 1 <= params["batch_size"] <= 100:
        problems.append("batch_size: must be 1 to 100, not %d" % params["batch_size"])
    if params["concurrency"] < 1:
        problems.append("concurrency: must be at least 1")
    if params["purge"] and params["state"] == "absent":
        problems.append("purge: only applies to state=present")
    return problems


def desired_items(params, fields):
    if params["src"]:
        return rec.iter_source(params["src"], fields)
    return (("records[%d]" % index, item) for index, item in enumerate(params["records"] or []))


def capped(problems, limit):
    if len(problems) <= limit:
        return problems
    return problems[:limit] + ["... and %d more problems (%d in all)" % (len(problems) - limit, len(problems))]


def preview_without_schema(module, params):
    """Check mode, the schema does not exist yet: an earlier task of the run may create it.

    Nothing can be stored in a schema that does not exist, so every listed record would be created
    (with O(state=absent) nothing would be deleted). Without the schema's fields the records are
    not validated; a real run validates them (and fails if the schema still does not exist).
    """
    key = params["key"]
    fields = {} if key == "id" else {key: {"name": key, "type": "string", "unique": True}}
    problems = [problem for problem in early_problems(params, fields) if not problem.startswith("key: ")]
    if problems:
        raise InputError(problems)
    try:
        entries, problems = rec.resolve(desired_items(params, fields), params["schema"], fields, key, {},
                                        params["state"])
    except (IOError, OSError, ValueError) as exc:
        raise InputError(["src: %s" % exc])
    if problems:
        raise InputError(capped(problems, params["max_problems"]), what="the records for %s" % params["schema"])
    module.warn("flex schema %s does not exist; this preview assumes an earlier task creates it, so every listed "
                "record would be created (applying fails otherwise)" % params["schema"])
    plan = dict(create=[], update=[], unchanged=[], skipped=[])
    if params["state"] == "present":
        plan = rec.plan_records(entries, fields, params["conflict_resolution"])
    else:
        plan["unchanged"] = [(entry, None) for entry in entries]
    return check_mode_result(module, params, plan, [], lambda item: None)


def check_mode_result(module, params, plan, deletes, key_of):
    """What a check-mode run reports: counts, every planned key, a bounded diff sample."""
    keys = dict(create=[e.key for e, _b in plan["create"]], update=[e.key for e, _b in plan["update"]],
                delete=[key_of(item) for item in deletes], skipped=[e.key for e, _b in plan["skipped"]])
    return planned_result(module, params, keys, len(plan["unchanged"]), plan, deletes)


def planned_result(module, params, keys, unchanged, samples, deletes):
    """The check-mode result from every planned key; ``samples``/``deletes`` feed the bounded diff."""
    result = dict(schema=params["schema"], changed=bool(keys["create"] or keys["update"] or keys["delete"]),
                  unchanged=unchanged, skipped=len(keys["skipped"]),
                  created=len(keys["create"]), updated=len(keys["update"]), deleted=len(keys["delete"]),
                  planned=dict(create=keys["create"], update=keys["update"], delete=keys["delete"]),
                  keys=outcome_keys(keys["create"], keys["update"], keys["delete"], keys["skipped"]))
    if module._diff:
        result["diff"] = sample_diff(samples, deletes, keys)
    return result


def references_itself(schema, fields):
    return any(field["type"] == "relationship" and (field.get("relationship") or {}).get("schemaId") == schema["id"]
               for field in fields.values())


def sync_records(module, client, trail):
    params = module.params
    schema = find_schema(client, params["schema"], required=not module.check_mode)
    if schema is None:
        return preview_without_schema(module, params)
    fields = dict((field["name"], field) for field in schema["fields"])
    problems = early_problems(params, fields)
    if problems:
        raise InputError(problems)
    path = "/api/v2/customobjects/%s/records" % params["schema"]
    progress = Progress(getattr(module, "progress", None), label="%s records" % params["schema"])
    progress.note(helper=False)
    if references_itself(schema, fields):
        result = run_in_memory(module, client, trail, schema, fields, path, progress)
    else:
        plan = RecordPlan(params["schema"], fields, params["key"], params["state"], params["conflict_resolution"],
                          params["purge"], progress,
                          portable=worth_it(params["src"], fields, params["key"], params["state"]))
        try:
            result = run_streaming(module, client, trail, plan, fields, path, progress)
        finally:
            plan.close()
    result["stats"] = progress.stats()
    return result


def run_streaming(module, client, trail, plan, fields, path, progress):
    """Any number of records in bounded memory (see module_utils/records_plan.py)."""
    params = module.params

    def source():
        return desired_items(params, fields)

    # A large src is read by a helper process on another core while the pages come in (records_helper.py).
    helper = SourceDigests(params["src"], params["key"], fields, plan.scratch.directory) if plan.portable else None
    try:
        for page in client.paginate_pages(path, page_size=500, concurrency=params["concurrency"]):
            if progress.totals["read"] is None and isinstance(page.get("total"), int):
                progress.expect("read", page["total"])
            plan.add_stored(page["entities"])
        try:
            if helper is not None and helper.ready():
                plan.add_desired_digested(helper.entries(), source)
                helper.check_unchanged()
                progress.note(helper=True)
            else:
                plan.add_desired(source())
        except (IOError, OSError, ValueError) as exc:
            raise InputError(["src: %s" % exc])
    finally:
        if helper is not None:
            helper.close()
    plan.finish()
    check_targets(client, plan, fields, params["concurrency"])
    if plan.problems:
        raise InputError(capped(plan.problems, params["max_problems"]), what="the records for %s" % params["schema"])

    def key_of(item):
        return RelationshipContext.key_of(item, params["key"])

    keys = dict(create=plan.keys("create"), update=plan.keys("update"), skipped=plan.keys("skipped"))
    keys["delete"] = [key_of(item) for item in plan.deletes()] if module.check_mode or module._diff else []
    if module.check_mode:
        return planned_result(module, params, keys, plan.counts["unchanged"], plan.samples, plan.samples["delete"])
    result = dict(schema=params["schema"], unchanged=plan.counts["unchanged"], skipped=len(keys["skipped"]))
    if module._diff:
        result["diff"] = sample_diff(plan.samples, plan.samples["delete"], keys)
    progress.expect("written", plan.counts["create"] + plan.counts["update"] + plan.counts["delete"])
    return apply(module, client, trail, path, [plan.writes()], [plan.deletes()], key_of, keys["skipped"], result,
                 progress)


def check_targets(client, plan, fields, concurrency):
    """Relationship values the input gives must exist in the target schema (read once per schema)."""
    by_schema = {}
    for name in fields:
        if name in plan.referenced:
            by_schema.setdefault(fields[name]["relationship"]["schemaId"], []).append(name)
    for schema_id, names in by_schema.items():
        target = client.get("/api/v2/data/flex/schemas/%s" % schema_id).data
        held = dict((name, plan.new_set()) for name in names)
        for page in client.paginate_pages("/api/v2/customobjects/%s/records" % target["name"], page_size=500,
                                          concurrency=concurrency):
            for item in page["entities"]:
                for name in names:
                    value = item.get(fields[name]["relationship"]["fieldName"])
                    if value is not None:
                        held[name].put(str(value), 1)
        for name in names:
            plan.check_references(name, held[name], target["name"])


def run_in_memory(module, client, trail, schema, fields, path, progress):
    """A schema whose records reference each other: writes and deletes are ordered over the whole graph."""
    params = module.params
    stored = {}
    for page in client.paginate_pages(path, page_size=500, concurrency=params["concurrency"]):
        stored.update((item["id"], item) for item in page["entities"])
        progress.add("read", len(page["entities"]))
    try:
        entries, problems = rec.resolve(desired_items(params, fields), params["schema"], fields, params["key"],
                                        stored, params["state"])
    except (IOError, OSError, ValueError) as exc:
        raise InputError(["src: %s" % exc])
    progress.add("compared", len(entries))
    context = relationship_context(client, schema, fields, entries, stored)
    writes, deletes, plan = [], [], dict(create=[], update=[], unchanged=[], skipped=[])
    if params["state"] == "present":
        problems += rec.validate(entries, fields, stored, context.targets)
        plan = rec.plan_records(entries, fields, params["conflict_resolution"])
        writes = plan["create"] + plan["update"]
        if params["purge"]:
            listed = set(entry.record_id for entry in entries)
            deletes = [stored[rid] for rid in sorted(stored) if rid not in listed]
    else:
        deletes = [entry.stored for entry in entries if entry.stored is not None]
        plan["unchanged"] = [(entry, None) for entry in entries if entry.stored is None]
    write_levels, cycle = context.write_levels(writes)
    delete_levels, delete_problems = context.delete_levels(deletes, entries if params["state"] == "present" else [])
    problems += ["%s (%s): its references form a cycle and cannot be written in any order" % (e.where, e.key)
                 for e, _body in cycle] + delete_problems
    if problems:
        raise InputError(capped(problems, params["max_problems"]), what="the records for %s" % params["schema"])

    def key_of(item):
        return context.key_of(item, params["key"])

    if module.check_mode:
        return check_mode_result(module, params, plan, deletes, key_of)

    keys = dict(skipped=[e.key for e, _b in plan["skipped"]])
    result = dict(schema=params["schema"], unchanged=len(plan["unchanged"]), skipped=len(keys["skipped"]))
    if module._diff:
        result["diff"] = sample_diff(plan, deletes, dict(
            create=[e.key for e, _b in plan["create"]], update=[e.key for e, _b in plan["update"]],
            delete=[key_of(item) for item in deletes]))
    progress.expect("written", len(writes) + len(deletes))
    return apply(module, client, trail, path, write_levels, delete_levels, key_of, keys["skipped"], result, progress)


def apply(module, client, trail, path, write_levels, delete_levels, key_of, skipped, result, progress):
    """Send the writes, then the deletes, level after level; fill in what was done."""
    params = module.params
    changes = ChangeLog(params["changes_dest"], params["schema"])
    writer = RecordWriter(client, trail, params["schema"], path, params["concurrency"], changes, key_of=key_of,
                          progress=progress)
    try:
        for level in write_levels:
            writer.upsert(rec.iter_batches(level, params["batch_size"]))
        for level in delete_levels:
            writer.remove(level, params["batch_size"])
    finally:
        changes.close()
    done = writer.outcome
    result.update(created=len(done["created"]), updated=len(done["updated"]), deleted=len(done["deleted"]),
                  keys=outcome_keys(done["created"], done["updated"], done["deleted"], skipped))
    result["unchanged"] += len(done["unchanged"])
    result["changed"] = bool(done["created"] or done["updated"] or done["deleted"])
    if skipped:
        module.warn("%d records were skipped by conflict_resolution=%s" % (len(skipped), params["conflict_resolution"]))
    return result


PURGE_ALL = "purge with an empty record list: every stored record is deleted"


def run(module, client, trail):
    """:func:`sync_records`, and a plain statement when ``purge`` with an empty list asks to delete every record.

    Readers refuse empty, truncated or garbled files, so an empty list is always a deliberate one
    (C(records: []) or a .json file holding C([])); the result still says what it does.
    """
    result = sync_records(module, client, trail)
    listed = sum(result.get(name, 0) for name in ("created", "updated", "unchanged", "skipped"))
    if module.params["purge"] and module.params["state"] == "present" and not listed:
        count = result.get("deleted", 0)
        result["msg"] = "%s (%d record%s%s)" % (PURGE_ALL, count, "" if count == 1 else "s",
                                                " would be" if module.check_mode else "")
        module.warn(result["msg"])
    return result


def outcome_keys(created, updated, deleted, skipped):
    return dict(created=rec.bounded(created, KEY_LIMIT), updated=rec.bounded(updated, KEY_LIMIT),
                deleted=rec.bounded(deleted, KEY_LIMIT), skipped=rec.bounded(skipped, KEY_LIMIT))


def sample_diff(plan, deletes, keys):
    """Before/after of at most DIFF_SAMPLE records per outcome, plus every key per outcome.

    Each record is its own entry, named by its key and outcome and present on both sides (a
    created record is "(not stored)" before, a deleted one "(deleted)" after), so a deleted and a
    created record never read as one record that changed.
    """
    before, after = {}, {}
    for entry, _body in plan["create"][:DIFF_SAMPLE]:
        label = "%s (create)" % entry.key
        before[label], after[label] = "(not stored)", rec.merged_record(entry)
    for entry, _body in plan["update"][:DIFF_SAMPLE]:
        label = "%s (update)" % entry.key
        before[label] = dict((k, v) for k, v in entry.stored.items() if k not in rec.METADATA)
        after[label] = rec.merged_record(entry)
    for stored in deletes[:DIFF_SAMPLE]:
        label = "id=%s (delete)" % stored["id"]
        before[label], after[label] = dict((k, v) for k, v in stored.items() if k not in rec.METADATA), "(deleted)"
    summary = dict(create=keys["create"], update=keys["update"], delete=keys["delete"])
    diff = make_diff(dict(records=before), dict(records=after, keys=summary))
    diff["before_header"] = "stored records (sample of at most %d per outcome)" % DIFF_SAMPLE
    diff["after_header"] = "desired records (sample) and every key per outcome"
    return diff


ARGUMENTS = module_arguments(
    dict(
        schema=dict(type="str", required=True),
        records=dict(type="list", elements="dict"),
        src=dict(type="path"),
        key=dict(type="str", default="id", no_log=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        purge=dict(type="bool", default=False),
        conflict_resolution=dict(type="str", default="upsert", choices=["upsert", "create_only", "update_only"]),
        batch_size=dict(type="int", default=100),
        concurrency=dict(type="int", default=4),
        changes_dest=dict(type="path"),
        max_problems=dict(type="int", default=100),
    ),
    mutually_exclusive=[("records", "src")],
    required_one_of=[("records", "src")],
)


def client_options(params):
    """Client settings this module needs beyond the connection options: a pool for its writers."""
    return dict(pool_size=max(10, params["concurrency"] + 2))


def main():
    module = new_module(ARGUMENTS)
    if not rec.HAS_JSONSCHEMA:
        module.fail_json(msg=missing_required_lib("jsonschema"))
    run_module(module, run, **client_options(module.params))


if __name__ == "__main__":
    main()
