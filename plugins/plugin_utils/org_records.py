# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records part of an org plan: plan one record set from the pages the run read, apply that plan.

:func:`plan_record_set` and :func:`apply_record_set` are the only two calls the org run makes for
records (plugin_utils/org_plan.py, org_apply.py), so moving to the records resource contract
(``module_utils/records_resource.py``: ``plan_records`` / ``apply_records``) is a change here only.

The source is parsed once, by the planner (``RecordPlan``, bounded memory, spilling to disk); a
schema whose records point at each other is planned in memory (its writes ordered by reference).
Relationship values are checked against the values the target field holds *after* the run:
stored records the run keeps plus the records this plan writes (``targets``), so records that point
at records created by the same run are checked by the preview exactly as the apply needs them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils.records_plan import RecordPlan
from ansible_collections.genesys.cloud.plugins.module_utils.records_writer import (
    ChangeLog, RecordWriter, RelationshipContext)

KEY_SAMPLE = 20
# Below these a record set is planned in memory (a spill database per schema costs more than the set);
# above, by the streaming planner within its memory bound.
IN_MEMORY_BYTES = 1 << 20
IN_MEMORY_STORED = 5000


def records_path(name):
    return "/api/v2/customobjects/%s/records" % name


def pages_digest(pages):
    """What the plan read of a schema's records: ids and versions of every stored record, hashed."""
    digest = hashlib.sha256()
    for page in pages:
        for item in page:
            digest.update(("%s\0%s\0%s\n" % (item.get("id"), item.get("version"), item.get("dateModified")))
                          .encode("utf-8"))
    return digest.hexdigest()


class RecordSetPlan:
    """One schema's records in the org plan: counts, keys and samples per outcome, problems."""

    def __init__(self, item, schema, fields, stored_count):
        self.item, self.name, self.fields = item, schema, fields
        self.params = item.params
        self.problems = []
        self.counts = dict(create=0, update=0, delete=0, unchanged=0, skipped=0)
        self.keys = dict(create=[], update=[], delete=[], skipped=[])
        self.samples = dict(create=[], update=[], delete=[])
        self.stored_count = stored_count
        self.digest = None
        self._planner = None      # RecordPlan (streamed)
        self._memory = None       # (write levels, delete levels) of a self-referencing schema
        self._after = {}          # target field -> values after the run (filled on demand)

    @property
    def changed(self):
        return bool(self.counts["create"] or self.counts["update"] or self.counts["delete"])

    def key_of(self, item):
        return RelationshipContext.key_of(item, self.params["key"])

    def writes(self):
        if self._memory is not None:
            return [write for level in self._memory[0] for write in level]
        return self._planner.writes() if self._planner else []

    def deletes(self):
        if self._memory is not None:
            return [item for level in self._memory[1] for item in level]
        return self._planner.deletes() if self._planner else []

    def values_after(self, field, stored_pages):
        """The values ``field`` holds in this schema's records once the plan is applied."""
        if field not in self._after:
            going = set(item["id"] for item in self.deletes())
            values = set()
            for page in stored_pages:
                for item in page:
                    if item["id"] not in going and item.get(field) is not None:
                        values.add(str(item[field]))
            for entry, _body in self.writes():
                value = entry.record_id if field == "id" else rec.merged_record(entry).get(field)
                if value is not None:
                    values.add(str(value))
            self._after[field] = values
        return self._after[field]

    def close(self):
        if self._planner is not None:
            self._planner.close()


def _source(params, fields):
    if params["src"]:
        return rec.iter_source(params["src"], fields)
    return (("records[%d]" % index, item) for index, item in enumerate(params["records"] or []))


def _small(params, stored_count):
    if stored_count > IN_MEMORY_STORED:
        return False
    if params["src"]:
        return os.path.getsize(params["src"]) <= IN_MEMORY_BYTES
    return len(params["records"] or []) <= IN_MEMORY_STORED


def _self_references(name, fields):
    return [(field_name, field["relationship"]["fieldName"]) for field_name, field in fields.items()
            if field["type"] == "relationship" and (field.get("relationship") or {}).get("target") == name]


def plan_record_set(item, schema, fields, stored_pages, targets):
    """Plan ``item`` (a checked record set) against ``fields`` (API shape, by name; each relationship
    has ``target``, the target schema's name) and the stored records read (``stored_pages``).

    ``targets(schema, field)`` gives the values a field of another schema holds after the run.
    Reads nothing; the plan's problems list every record that cannot be written.
    """
    params = item.params
    plan = RecordSetPlan(item, schema, fields, sum(len(page) for page in stored_pages))
    plan.digest = pages_digest(stored_pages)
    if params["key"] != "id" and not (params["key"] in fields and fields[params["key"]].get("unique")):
        plan.problems.append("key: %s is neither id nor a unique field of %s" % (params["key"], schema))
        return plan
    try:
        if _self_references(schema, fields) or _small(params, plan.stored_count):
            _plan_in_memory(plan, stored_pages, targets)
        else:
            _plan_streamed(plan, stored_pages, targets)
    except (IOError, OSError, ValueError) as exc:
        plan.problems.append("src: %s" % exc)
    limit = params["max_problems"]
    if len(plan.problems) > limit:
        plan.problems = plan.problems[:limit] + ["... and %d more problems (%d in all)"
                                                 % (len(plan.problems) - limit, len(plan.problems))]
    return plan


def _plan_streamed(plan, stored_pages, targets):
    params, fields = plan.params, plan.fields
    planner = RecordPlan(plan.name, fields, params["key"], params["state"], params["conflict_resolution"],
                         params["purge"])
    plan._planner = planner
    for page in stored_pages:
        planner.add_stored(page)
    planner.add_desired(_source(params, fields))
    planner.finish()
    for name in sorted(planner.referenced):
        relationship = fields[name]["relationship"]
        held = planner.new_set()
        for value in targets(relationship["target"], relationship["fieldName"]):
            held.put(value, 1)
        planner.check_references(name, held, relationship["target"])
    plan.problems += planner.problems
    plan.counts.update((outcome, planner.counts[outcome]) for outcome in plan.counts)
    for outcome in ("create", "update", "skipped"):
        plan.keys[outcome] = planner.keys(outcome)
    plan.keys["delete"] = [plan.key_of(stored) for stored in planner.deletes()]
    plan.samples = dict(planner.samples)


def _plan_in_memory(plan, stored_pages, targets):
    """A schema whose records point at each other: writes and deletes ordered over the whole graph."""
    params, fields, name = plan.params, plan.fields, plan.name
    stored = dict((item["id"], item) for page in stored_pages for item in page)
    entries, problems = rec.resolve(_source(params, fields), name, fields, params["key"], stored, params["state"])
    self_refs = _self_references(name, fields)
    context = RelationshipContext(fields, stored, self_refs, {})
    relationship_targets = {}
    for field_name, field in fields.items():
        relationship = field.get("relationship") or {}
        if field["type"] != "relationship" or not relationship:
            continue
        relationship["schemaName"] = relationship["target"]
        if relationship["target"] == name:
            relationship["self"] = True
            relationship_targets[field_name] = RelationshipContext(
                fields, stored, [(field_name, relationship["fieldName"])], {})._stored_targets()[field_name]
        elif any(entry.values.get(field_name) is not None for entry in entries):
            relationship_targets[field_name] = targets(relationship["target"], relationship["fieldName"])
    outcome, writes, deletes = dict(create=[], update=[], unchanged=[], skipped=[]), [], []
    if params["state"] == "present":
        problems += rec.validate(entries, fields, stored, relationship_targets)
        outcome = rec.plan_records(entries, fields, params["conflict_resolution"])
        writes = outcome["create"] + outcome["update"]
        if params["purge"]:
            listed = set(entry.record_id for entry in entries)
            deletes = [stored[rid] for rid in sorted(stored) if rid not in listed]
    else:
        deletes = [entry.stored for entry in entries if entry.stored is not None]
        outcome["unchanged"] = [(entry, None) for entry in entries if entry.stored is None]
    write_levels, cycle = context.write_levels(writes)
    delete_levels, delete_problems = context.delete_levels(deletes, entries if params["state"] == "present" else [])
    problems += ["%s (%s): its references form a cycle and cannot be written in any order" % (e.where, e.key)
                 for e, _body in cycle] + delete_problems
    plan.problems += problems
    plan._memory = (write_levels, delete_levels)
    for key in ("create", "update", "skipped"):
        plan.counts[key] = len(outcome[key])
        plan.keys[key] = [entry.key for entry, _body in outcome[key]]
    plan.counts["unchanged"] = len(outcome["unchanged"])
    plan.counts["delete"] = len(deletes)
    plan.keys["delete"] = [plan.key_of(item) for item in deletes]
    plan.samples = dict(create=outcome["create"][:KEY_SAMPLE], update=outcome["update"][:KEY_SAMPLE],
                        delete=deletes[:KEY_SAMPLE])


def apply_record_set(client, trail, plan, progress=None):
    """Write the plan's records (creates and updates, then deletes); return the counts written.

    Raises the writer's error (it says what earlier batches wrote) when a batch is refused.
    """
    params = plan.params
    writer = RecordWriter(client, trail, plan.name, records_path(plan.name), params["concurrency"],
                          ChangeLog(None, plan.name), key_of=plan.key_of, progress=progress)
    if plan._memory is not None:
        for level in plan._memory[0]:
            writer.upsert(rec.iter_batches(level, params["batch_size"]))
        for level in plan._memory[1]:
            writer.remove(level, params["batch_size"])
    else:
        writer.upsert(rec.iter_batches(plan.writes(), params["batch_size"]))
        writer.remove(plan.deletes(), params["batch_size"])
    done = writer.outcome
    return dict(created=len(done["created"]), updated=len(done["updated"]), deleted=len(done["deleted"]),
                unchanged=plan.counts["unchanged"] + len(done["unchanged"]))
