# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom-object records as a resource: read, then plan (a value), then apply that plan.

``genesys.cloud.custom_object_records`` (module and in-process action) and the whole-org run call
exactly these functions; nothing else plans or writes records.

read
    The stored records of a schema are pages: :func:`read_pages` is
    ``client.paginate_pages(records_path(name), page_size=RECORD_PAGE_SIZE, concurrency=...)``.
    A caller that already read them (the org run, in parallel) hands the pages it holds: any
    iterable of lists of stored records, in the order read (an empty one for a new schema).

plan
    ``plan_records(spec, schema, stored_pages, targets=None, progress=None) -> RecordsPlan``, no
    request. ``spec`` is the validated task parameters (``schema`` (the name), ``records`` or ``src``,
    ``key``, ``state``, ``purge``, ``conflict_resolution``, ``batch_size``, ``concurrency``,
    ``changes_dest``, ``max_problems``; missing ones take the module's defaults). ``schema`` is the
    schema as it will be after the run, in the API's shape (``name``, ``id`` if known, ``fields``
    with ``relationship: {schemaId and/or schemaName, fieldName}``), or None for a schema that
    does not exist and that nothing creates first (then every record is new and only the key is
    checked; the plan carries a warning). ``targets(relationship)`` answers relationship checks
    for fields that point at another schema: given the field's ``relationship`` dict it returns
    ``(target schema name, values)`` where ``values`` supports ``in`` and holds, as strings, the
    values of the target field AFTER the run (stored + what that schema's plan writes - what it
    deletes; :meth:`RecordsPlan.values_left` of the target's own plan gives exactly that). It is
    called once per relationship field that the input gives values for, after the input was read.
    Without ``targets``, such values are not checked. A relationship to the schema itself is
    checked by the plan (it sees both sides) and orders its writes and deletes.

the plan value (:class:`RecordsPlan`)
    ``counts`` (create, update, unchanged, skipped, delete), ``problems`` (every refusal, naming
    the file and line or ``records[i]``, the key and the field, values cut to a short prefix;
    nothing may be applied while it is not empty), ``warnings``, ``samples`` (the first
    ``DIFF_SAMPLE`` created, updated and deleted records with their before/after), ``planned_against``
    (``records`` and ``pages`` read and a ``digest`` of the pages as read: a saved plan is stale
    when a fresh read gives another digest), :meth:`values_left` (the values a field holds after the
    run, for dependants' ``targets``), :meth:`RecordsPlan.writes` / :meth:`RecordsPlan.deletes`
    (streams), :meth:`RecordsPlan.keys`, :meth:`RecordsPlan.to_dict` (JSON-safe) and
    :meth:`RecordsPlan.close` (removes the spill files; the plan is a context manager).

apply
    ``apply_records(client, plan, trail, progress=None) -> result`` sends exactly the plan's writes,
    then its deletes, in batches (levels first where self-references need an order), and returns
    the module's result (``created``, ``updated``, ``deleted``, ``unchanged``, ``skipped``,
    ``record_keys`` ...). A rejected batch or SIGINT/SIGTERM stops it between batches; the error
    says what was written (and the ``changes_dest`` file that lists it).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils.api_paths import schema_path
from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff
from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.paging import RECORD_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.progress import Progress
from ansible_collections.genesys.cloud.plugins.module_utils.record_query import find_schema, records_path
from ansible_collections.genesys.cloud.plugins.module_utils.records_helper import SourceDigests, worth_it
from ansible_collections.genesys.cloud.plugins.module_utils.records_plan import DIFF_SAMPLE, RecordPlan
from ansible_collections.genesys.cloud.plugins.module_utils.records_read import iter_source
from ansible_collections.genesys.cloud.plugins.module_utils.records_writer import (
    ChangeLog, RecordWriter, StopOnSignal)
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

PURGE_ALL = "purge with an empty record list: every stored record is deleted"

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
DEFAULTS = dict((name, option.get("default")) for name, option in ARGUMENTS["argument_spec"].items()
                if name in ("records", "src", "key", "state", "purge", "conflict_resolution", "batch_size",
                            "concurrency", "changes_dest", "max_problems"))


def client_options(params):
    """Client settings this resource needs beyond the connection options: a pool for its writers."""
    return dict(pool_size=max(10, params["concurrency"] + 2))


def early_problems(params, fields):
    """The task's own options, checked before anything is read (``fields`` as far as known)."""
    problems = []
    if params["key"] != "id" and not (params["key"] in fields and fields[params["key"]].get("unique")):
        problems.append("key: %s is neither id nor a unique field of %s" % (params["key"], params["schema"]))
    if not 1 <= params["batch_size"] <= 100:
        problems.append("batch_size: must be 1 to 100, not %d" % params["batch_size"])
    if params["concurrency"] < 1:
        problems.append("concurrency: must be at least 1")
    if params["purge"] and params["state"] == "absent":
        problems.append("purge: only applies to state=present")
    problems.extend(changes_dest_problems(params.get("changes_dest")))
    return problems


def changes_dest_problems(path):
    """``changes_dest`` must be a file that can be written, checked before the first request."""
    if not path:
        return []
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return ["changes_dest: %s is a directory; give the path of a file in it" % path]
    if not os.path.isdir(folder):
        return ["changes_dest: the folder %s does not exist; create it first or choose another path" % folder]
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        return ["changes_dest: %s cannot be written (permissions)" % path]
    return []


def capped(problems, limit):
    if len(problems) <= limit:
        return problems
    return problems[:limit] + ["... and %d more problems (%d in all)" % (len(problems) - limit, len(problems))]


def read_pages(client, schema_name, concurrency=4):
    """The stored records of ``schema_name`` as pages (a lazy iterable: the requests go out as it is read)."""
    return client.paginate_pages(records_path(schema_name), page_size=RECORD_PAGE_SIZE, concurrency=concurrency)


def desired_items(spec, fields):
    """``(where, record)`` of every desired record, streamed from ``src`` or from ``records``."""
    if spec["src"]:
        return iter_source(spec["src"], fields)
    return (("records[%d]" % index, item) for index, item in enumerate(spec["records"] or []))


def _self_references(schema, fields):
    """``[(field, target field)]`` of the relationship fields that point at ``schema`` itself (by id or name)."""
    def points_home(relationship):
        if schema.get("id") is not None and relationship.get("schemaId") == schema["id"]:
            return True
        return relationship.get("schemaName") == schema["name"]

    return [(name, field["relationship"]["fieldName"]) for name, field in fields.items()
            if field["type"] == "relationship" and field.get("relationship") and points_home(field["relationship"])]


class RecordsPlan:
    """What applying a records spec to one schema does; see the module docstring for the contract."""

    def __init__(self, spec, schema, planner, warnings):
        self.spec, self.schema, self.name = spec, schema, spec["schema"]
        self._planner, self.warnings = planner, warnings
        self.counts, self.problems, self.samples = planner.counts, planner.problems, planner.samples
        self.planned_against = dict(records=planner.pages.records, pages=planner.pages.count,
                                    digest=planner.pages.digest())
        self.helper_used = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._planner.close()

    @property
    def changed(self):
        return bool(self.counts["create"] or self.counts["update"] or self.counts["delete"])

    def key_of(self, item):
        """The label of a stored record in results: ``key=value``, or ``id=<id>`` when it holds no key value."""
        if item.get(self.spec["key"]) is None:
            return rec.key_label("id", item.get("id"))
        return rec.key_label(self.spec["key"], item.get(self.spec["key"]))

    @property
    def untouched(self):
        """How many stored records the input leaves alone (planned with ``untouched=True``, without purge)."""
        return self._planner.untouched

    def untouched_keys(self):
        """The labels of the first ``DIFF_SAMPLE`` stored records the input leaves alone."""
        return [self.key_of(item) for item in self._planner.untouched_sample]

    def keys(self, outcome):
        """Every key of ``outcome`` (create, update, skipped, delete), in plan order."""
        if outcome == "delete":
            return [self.key_of(item) for item in self._planner.deletes()]
        return self._planner.keys(outcome)

    def writes(self):
        """``(entry, body)`` of every create and update, in the order they are sent."""
        for level in self._planner.write_levels():
            yield from level

    def deletes(self):
        """Every stored record to delete, in the order deletes are sent."""
        for level in self._planner.delete_levels():
            yield from level

    def write_levels(self):
        return self._planner.write_levels()

    def delete_levels(self):
        return self._planner.delete_levels()

    def values_left(self, field):
        """The values (as strings) field ``field`` holds in this schema's records after the run."""
        going, held = self._planner.going, {}
        for item in self._planner.pages.all_records():
            if item["id"] not in going and item.get(field) is not None:
                held[item["id"]] = item[field]
        if self.spec["state"] == "present":
            for entry, _body in self.writes():
                value = entry.record_id if field == "id" else rec.merged_record(entry).get(field)
                if value is None:
                    held.pop(entry.record_id, None)
                else:
                    held[entry.record_id] = value
        return set(str(value) for value in held.values())

    def changes(self):
        """The sampled records with their changed fields, before and after (first ``DIFF_SAMPLE`` per outcome)."""
        created = [dict(key=entry.key, id=entry.record_id, after=body) for entry, body in self.samples["create"]]
        updated = [dict(key=entry.key, id=entry.record_id, fields=dict(
            (name, dict(before=(entry.stored or {}).get(name), after=value))
            for name, value in sorted(body.items()) if name not in ("id", "conflictResolution")))
            for entry, body in self.samples["update"]]
        deleted = [dict(key=self.key_of(item), id=item["id"], before=_values(item)) for item in self.samples["delete"]]
        return dict(create=created, update=updated, delete=deleted)

    def to_dict(self):
        """A JSON-safe summary: counts, problems, warnings, sampled changes, what the plan was made against."""
        changes = self.changes()
        more = dict((outcome, max(0, self.counts[outcome] - len(changes[outcome])))
                    for outcome in ("create", "update", "delete"))
        return dict(schema=self.name, counts=dict(self.counts), problems=list(self.problems),
                    warnings=list(self.warnings), changes=changes, more_changes=more,
                    planned_against=dict(self.planned_against))


def _without_metadata(item):
    return dict((k, v) for k, v in item.items() if k not in rec.METADATA)


def _values(item):
    return dict((k, v) for k, v in item.items() if k != "id" and k not in rec.METADATA)


def _targets_reader(targets):
    cache = {}

    def values_for(relationship):
        marker = (relationship.get("schemaId"), relationship.get("schemaName"), relationship["fieldName"])
        if marker not in cache:
            cache[marker] = targets(relationship)
        return cache[marker]
    return values_for


def plan_records(spec, schema, stored_pages, targets=None, progress=None, untouched=False):
    """Plan ``spec`` against ``schema`` and its ``stored_pages``; see the module docstring. No request.

    ``untouched``: count the stored records a set without ``purge`` leaves alone (``RecordsPlan.untouched``)."""
    spec = dict(DEFAULTS, **spec)
    fields = None if schema is None else dict((field["name"], field) for field in schema["fields"])
    problems = early_problems(spec, fields if fields is not None else {})
    if fields is None:
        problems = [problem for problem in problems if not problem.startswith("key: ")]
    if problems:
        raise InputError(problems)
    warnings = []
    if schema is None:
        warnings.append("flex schema %s does not exist; this preview assumes an earlier task creates it, so every "
                        "listed record would be created (applying fails otherwise)" % spec["schema"])
    portable = fields is not None and worth_it(spec["src"], fields, spec["key"], spec["state"])
    planner = RecordPlan(spec["schema"], fields, spec["key"], spec["state"], spec["conflict_resolution"],
                         spec["purge"], progress, portable=portable,
                         self_refs=_self_references(schema, fields) if fields else (), untouched=untouched)
    plan = RecordsPlan(spec, schema, planner, warnings)
    try:
        _fill(plan, planner, spec, fields, stored_pages, targets, progress)
    except BaseException:
        plan.close()
        raise
    return plan


def _fill(plan, planner, spec, fields, stored_pages, targets, progress):
    def source():
        return desired_items(spec, planner.fields)

    # A large src is read by a helper process on another core while the pages come in (records_helper.py).
    helper = SourceDigests(spec["src"], spec["key"], fields, planner.scratch) if planner.portable else None
    try:
        for page in stored_pages:
            if isinstance(page, dict):  # a page as the API answers it
                if progress is not None and progress.totals["read"] is None and isinstance(page.get("total"), int):
                    progress.expect("read", page["total"])
                page = page["entities"]
            planner.add_stored(page)
        try:
            if helper is not None and helper.ready():
                planner.add_desired_digested(helper.entries(), source)
                helper.check_unchanged()
                plan.helper_used = True
            else:
                planner.add_desired(source())
        except (IOError, OSError, ValueError) as exc:
            raise InputError(["src: %s" % exc])
    finally:
        if helper is not None:
            helper.close()
    planner.finish()
    plan.planned_against.update(records=planner.pages.records, pages=planner.pages.count,
                                digest=planner.pages.digest())
    if targets is not None:
        values_for = _targets_reader(targets)
        for name in sorted(planner.referenced):
            relationship = fields[name]["relationship"]
            if (name, relationship["fieldName"]) in planner.self_refs:
                continue
            target_name, values = values_for(relationship)
            planner.check_references(name, values, target_name)


def check_plan(plan):
    """Raise the plan's problems (at most ``max_problems`` of them) as an InputError, if it has any."""
    if plan.problems:
        raise InputError(capped(plan.problems, plan.spec["max_problems"]), what="the records for %s" % plan.name)


def outcome_keys(created, updated, deleted, skipped):
    return dict((name, rec.bounded(keys, rec.KEY_LIMIT)) for name, keys in (
        ("created", created), ("updated", updated), ("deleted", deleted), ("skipped", skipped)))


def preview_result(plan, diff=False, sample=DIFF_SAMPLE):
    """What a check-mode run reports: counts, every planned key, a diff of at most ``sample`` records per
    outcome (an org run shares one budget between its record sets; see ``org_report.DiffBudget``)."""
    keys = dict((outcome, plan.keys(outcome)) for outcome in ("create", "update", "delete", "skipped"))
    result = dict(schema=plan.name, changed=plan.changed, unchanged=plan.counts["unchanged"],
                  skipped=plan.counts["skipped"], created=plan.counts["create"], updated=plan.counts["update"],
                  deleted=plan.counts["delete"],
                  planned=dict(create=keys["create"], update=keys["update"], delete=keys["delete"]),
                  record_keys=outcome_keys(keys["create"], keys["update"], keys["delete"], keys["skipped"]))
    if diff and plan.changed:  # a set that does not change shows no diff (not an empty block)
        result["diff"] = sample_diff(plan, keys, sample)
    return result


def sample_diff(plan, keys, sample=DIFF_SAMPLE):
    """Before/after of at most ``sample`` records per outcome, plus the keys per outcome (at most
    ``KEY_LIMIT`` each, then how many more).

    Each record is its own entry, named by its key and outcome and present on both sides (a
    created record is "(not stored)" before, a deleted one "(deleted)" after), so a deleted and a
    created record never read as one record that changed. ``sample=0`` gives counts only.
    """
    if sample <= 0:
        counts = plan.counts
        line = "%d to create, %d to update, %d to delete" % (counts["create"], counts["update"], counts["delete"])
        return dict(before="" if plan.changed else line + "\n", after=line + "\n",
                    after_header="%s records (not shown)" % plan.name)
    before, after = {}, {}
    for entry, _body in plan.samples["create"][:sample]:
        label = "%s (create)" % entry.key
        before[label], after[label] = "(not stored)", rec.merged_record(entry)
    for entry, _body in plan.samples["update"][:sample]:
        label = "%s (update)" % entry.key
        before[label], after[label] = _without_metadata(entry.stored), rec.merged_record(entry)
    for stored in plan.samples["delete"][:sample]:
        label = "%s (delete)" % plan.key_of(stored)
        before[label], after[label] = _without_metadata(stored), "(deleted)"
    summary = dict((outcome, _listed(keys[outcome])) for outcome in ("create", "update", "delete") if keys[outcome])
    diff = make_diff(dict(records=before), dict(records=after, keys=summary))
    diff["before_header"] = "%s records as stored (sample of at most %d per outcome)" % (plan.name, sample)
    diff["after_header"] = "%s records as desired (sample) and the keys per outcome" % plan.name
    return diff


def _listed(keys):
    """``keys`` for a diff: at most KEY_LIMIT, then a line telling how many more there are."""
    if len(keys) <= rec.KEY_LIMIT:
        return keys
    return keys[:rec.KEY_LIMIT] + ["... and %d more" % (len(keys) - rec.KEY_LIMIT)]


def apply_records(client, plan, trail, progress=None, diff=False):
    """Send the plan's writes, then its deletes, level after level; the module's result."""
    check_plan(plan)
    spec = plan.spec
    skipped = plan.keys("skipped")
    result = dict(schema=plan.name, unchanged=plan.counts["unchanged"], skipped=len(skipped))
    if diff and plan.changed:
        result["diff"] = sample_diff(plan, dict(create=plan.keys("create"), update=plan.keys("update"),
                                                delete=plan.keys("delete")))
    if progress is not None:
        progress.expect("written", plan.counts["create"] + plan.counts["update"] + plan.counts["delete"])
    changes = ChangeLog(spec["changes_dest"], plan.name)
    writer = RecordWriter(client, trail, plan.name, records_path(plan.name), spec["concurrency"], changes,
                          key_of=plan.key_of, progress=progress)
    try:
        with StopOnSignal() as stop:
            writer.stop = stop
            for level in plan.write_levels():
                writer.upsert(rec.iter_batches(level, spec["batch_size"]))
            for level in plan.delete_levels():
                writer.remove(level, spec["batch_size"])
    finally:
        changes.close()
    done = writer.outcome
    result.update(created=len(done["created"]), updated=len(done["updated"]), deleted=len(done["deleted"]),
                  record_keys=outcome_keys(done["created"], done["updated"], done["deleted"], skipped))
    result["unchanged"] += len(done["unchanged"])
    result["changed"] = bool(done["created"] or done["updated"] or done["deleted"])
    return result


def run(module, client, trail):
    """The ``custom_object_records`` task: find the schema, read, plan, then preview or apply."""
    params = module.params
    schema = find_schema(client, params["schema"], required=not module.check_mode)
    progress = Progress(getattr(module, "progress", None), label="%s records" % params["schema"])
    progress.note(helper=False)
    targets = None if schema is None else target_reader(client, schema, params["concurrency"])
    pages = [] if schema is None else read_pages(client, schema["name"], params["concurrency"])
    with StopOnSignal(immediate=True):
        with plan_records(params, schema, pages, targets, progress) as plan:
            for warning in plan.warnings:
                module.warn(warning)
            progress.note(helper=plan.helper_used)
            check_plan(plan)
            if module.check_mode:
                result = preview_result(plan, module._diff)
            else:
                result = apply_records(client, plan, trail, progress, module._diff)
    if schema is not None:
        result["stats"] = progress.stats()
    listed = sum(result.get(name, 0) for name in ("created", "updated", "unchanged", "skipped"))
    if params["purge"] and params["state"] == "present" and not listed:
        count = result.get("deleted", 0)
        result["msg"] = "%s (%d record%s%s)" % (PURGE_ALL, count, "" if count == 1 else "s",
                                                " would be" if module.check_mode else "")
        module.warn(result["msg"])
    if result.get("skipped") and not module.check_mode:
        module.warn("%d records were skipped by conflict_resolution=%s" % (result["skipped"],
                                                                           params["conflict_resolution"]))
    return result


def target_reader(client, schema, concurrency):
    """``targets`` for :func:`plan_records` from the org as stored: reads a target schema's records once."""
    def targets(relationship):
        target = relationship.get("schemaName")
        if target is None:
            target = client.get(schema_path(relationship["schemaId"])).data["name"]
        field = relationship["fieldName"]
        values = set()
        for page in read_pages(client, target, concurrency):
            values.update(str(item[field]) for item in page["entities"] if item.get(field) is not None)
        return target, values
    return targets
