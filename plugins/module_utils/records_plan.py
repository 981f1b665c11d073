# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one records planner: desired records compared with stored ones at any size, in bounded memory.

The stored records are not kept as Python objects: while the pages come in, each stored record
leaves a compact index entry (key -> id, a 64-bit digest of its values, where its page is) and the
page itself is kept pickled: in memory while the set is small, past a few MB in a private SQLite
database (records_store.py). The desired records then stream past once. The usual record of a
re-run (keyed by a text field, every value as stored) is counted unchanged from its key and
digest alone (records_digest.py); any other is validated and compared field by field against its
stored record. For a large source another process may have
digested the records while the pages came in (records_helper.py, :meth:`RecordPlan.add_desired_digested`).
Everything a whole-input check needs (keys seen, unique values, ids touched) lives in spill maps
that move into the same database past a threshold; the write bodies follow the pages.

A schema whose relationship points at the schema itself is planned the same way; its writes and
deletes then come out as levels (:meth:`RecordPlan.write_levels`, :meth:`RecordPlan.delete_levels`):
a record comes after the records it points at, a delete before the records it points at are deleted.

Every problem a records plan can have is worded here (and in records.record_problems for a
record's own values), each naming where the record came from, its key and the field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import array
import json

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils.records_digest import (
    SKIP, Portable, candidate_test, hashed, quick_applies, text_key, without_metadata)
from ansible_collections.genesys.cloud.plugins.module_utils.records_store import (
    MEMORY_LIMIT, Pages, PlanRows, Scratch, SpillMap, picked)

SPILL_AFTER = 150000
KEEP_DIFFERING = 10000  # stored records of differing records read ahead, page by page (about 10 MB)
DIFF_SAMPLE = 20


def dependency_levels(items, self_references, provides, refers, already_there=None):
    """Group ``items`` so that one referring to another item comes in a later level.

    ``self_references`` is ``[(field, target_field)]`` for relationship fields that point at the
    same schema; ``provides(item)`` / ``refers(item)`` give the values an item holds / points at;
    ``already_there(field, value)`` says a value needs no ordering (stored before the run).
    Returns ``(levels, cycle)`` where ``cycle`` lists the items that could not be ordered.
    """
    if not self_references:
        return ([items] if items else []), []
    provider = {}
    for position, item in enumerate(items):
        held = provides(item)
        for _field, target in self_references:
            if held.get(target) is not None:
                provider[(target, str(held[target]))] = position
    needs = []
    for position, item in enumerate(items):
        wanted, pointing = set(), refers(item)
        for field, target in self_references:
            value = pointing.get(field)
            if isinstance(value, str) and not (already_there and already_there(field, value)):
                other = provider.get((target, value))
                if other is not None and other != position:
                    wanted.add(other)
        needs.append(wanted)
    placed, levels = set(), []
    remaining = set(range(len(items)))
    while remaining:
        ready = sorted(p for p in remaining if needs[p] <= placed)
        if not ready:
            return levels, [items[p] for p in sorted(remaining)]
        placed.update(ready)
        levels.append([items[p] for p in ready])
        remaining.difference_update(ready)
    return levels, []


class _Unchecked:
    """The validator of a schema whose fields are not known yet (it does not exist): every record passes."""

    def quick(self, record):
        return True

    def equal_to_valid(self, record):
        return True


class RecordPlan:
    """Compare, validate and plan the records of one schema; then hand out writes and deletes as streams.

    Use: :meth:`add_stored` for every page read, :meth:`add_desired` once with the whole input,
    :meth:`check_references` with the target values of each relationship field to another schema
    that the input uses, then :meth:`finish`. ``problems`` lists every problem (nothing may be
    written when it is not empty); ``counts``, ``samples``, :meth:`write_levels`,
    :meth:`delete_levels` and :meth:`keys` describe the plan. ``fields=None`` plans for a schema
    that does not exist yet: every record is new and only the key is checked.
    """

    def __init__(self, schema_name, fields, key, state="present", conflict_resolution="upsert", purge=False,
                 progress=None, spill_after=SPILL_AFTER, directory=None, portable=False, self_refs=(),
                 memory_limit=MEMORY_LIMIT, untouched=False):
        self.fields_known = fields is not None
        if fields is None:
            fields = {} if key == "id" else {key: {"name": key, "type": "string", "unique": True}}
        self.schema_name, self.fields, self.key, self.state = schema_name, fields, key, state
        self.conflict_resolution, self.purge, self.progress = conflict_resolution, purge, progress
        self.scratch = Scratch(directory, memory_limit)
        self.pages = Pages(self.scratch)
        self.rows = PlanRows(self.scratch)
        self._spill_after = spill_after
        new = self.new_set
        self.stored = new()      # key (or id) -> [id, digest, page, position]
        self.stored_unique = new()  # field NUL value -> id of the stored record holding it
        self.seen = new()        # key (as in ``stored``) or id -> where it was first given
        self.touched = new()     # ids of the records the input lists
        self.given_unique = new()  # field NUL value -> [id, where, key label, value] of its first holder
        self.going = new()       # ids to delete -> [page, position]
        self._buffer = []
        self.unique = [name for name, f in fields.items() if f.get("unique") and name != key]
        self.relationships = [name for name, f in fields.items() if f["type"] == "relationship"]
        self.referenced = set()  # relationship fields some desired record gives a value
        # relationship fields that point at this schema itself: (field, target field)
        self.self_refs = [(name, target) for name, target in self_refs if name in fields]
        self._targets_of = sorted(set(target for _name, target in self.self_refs))
        if self.self_refs:
            self.stored_targets = new()  # target field NUL value -> id of the stored record holding it
            self.given_targets = new()   # target field NUL value -> 1, held by a desired record
            self.after_refs = new()      # id -> [self-reference values a listed record keeps, not gives]
        self._levels = None
        self.problems = []
        self.counts = dict(create=0, update=0, unchanged=0, skipped=0, delete=0)
        self.samples = dict(create=[], update=[], delete=[])
        self.validator = rec.record_validator(fields) if self.fields_known else _Unchecked()
        # portable digests when another process digests the desired records (records_helper.py)
        self.portable = portable
        self.digest = Portable(fields) if portable else hashed
        self._key_type = fields[key]["type"] if key in fields else None
        # ids the input lists matter to purge and to unique values held by stored records
        self._track_touched = bool(self.unique) or (purge and state == "present")
        # ``untouched``: the stored records a set without purge leaves alone (their keys are not in ``seen``),
        # counted, the first DIFF_SAMPLE kept as read
        self.report_untouched = untouched and state == "present" and not purge
        self.untouched, self.untouched_sample = 0, []

    def close(self):
        self.scratch.close()

    # -- stored records ---------------------------------------------------------------------
    def _key_of_stored(self, item):
        if self.key == "id":
            return item["id"]
        value = item.get(self.key)
        if value is None:  # cannot be matched by key, but may still be purged
            return "\x00" + item["id"]
        return text_key(rec.normalise(self.fields[self.key]["type"], value))

    def add_stored(self, entities):
        """One page of stored records, as read."""
        number = self.pages.add(entities)
        key, key_of = self.key, self._key_of_stored
        if self._key_type in ("string", "relationship"):  # the value itself is the index key
            def key_of(item, key_of=key_of):
                value = item.get(key)
                return value if isinstance(value, str) else key_of(item)
        digest = self.digest
        self.stored.update([(key_of(item), (item["id"], digest(without_metadata(item)), number, position))
                            for position, item in enumerate(entities)])
        for name in self.unique:
            ftype = self.fields[name]["type"]
            for item in entities:
                value = item.get(name)
                if value is not None:
                    self.stored_unique.put(name + "\0" + text_key(rec.normalise(ftype, value)), item["id"])
        for target in self._targets_of:
            self.stored_targets.update([(target + "\0" + str(item.get(target)), item["id"])
                                        for item in entities if item.get(target) is not None])
        if self.progress is not None:
            self.progress.add("read", len(entities))

    # -- desired records --------------------------------------------------------------------
    def _match(self, where, record):
        """(key label, record id, stored index entry or None, seen key) of one desired record, or None."""
        key, values = self.key, record
        given_id = record.get("id")
        key_value = given_id if key == "id" else record.get(key)
        if key_value is None and (key != "id" or self.state == "absent"):
            self.problems.append("%s: %s: the key field is missing" % (where, key))
            return None
        if key_value is None:
            record_id = rec.record_id_for(self.schema_name, key, dict(
                (k, v) for k, v in values.items() if v is not None and k not in SKIP))
            return "id=%s (derived)" % record_id, record_id, self.stored.get(record_id), record_id
        label = rec.key_label(key, key_value)
        seen_key = label
        found = None
        if key == "id":
            if isinstance(key_value, str):
                seen_key, found = key_value, self.stored.get(key_value)
        else:
            lookup = rec.normalise(self._key_type, key_value)
            if isinstance(lookup, (str, int, float)):
                seen_key = text_key(lookup)
                found = self.stored.get(seen_key)
        record_id = found[0] if found else given_id or rec.record_id_for(self.schema_name, key, key_value)
        if key != "id" and given_id is not None and found and given_id != found[0]:
            self.problems.append("%s (%s): id: %s differs from the stored record's id %s"
                                 % (where, label, rec.short(given_id), found[0]))
        return label, record_id, found, seen_key

    def add_desired(self, items):
        """Every desired record ``(where, record)``: matched, compared, validated, planned."""
        compared = 0
        unchanged = self._unchanged_as_stored()
        for where, record in items:
            compared += 1
            if compared % 1000 == 0 and self.progress is not None:
                self.progress.add("compared", 1000)
            if unchanged is not None and unchanged(where, record):
                continue
            if not isinstance(record, dict):
                self.problems.append("%s: a record must be a mapping, not %s" % (where, type(record).__name__))
                continue
            matched = self._match(where, record)
            if matched is None:
                continue
            label, record_id, found, seen_key = matched
            if self.state == "absent":
                if found is None:
                    self.counts["unchanged"] += 1
                elif self.going.add(record_id, (found[2], found[3])) is None:
                    self.counts["delete"] += 1
                continue
            self._desired(where, record, label, record_id, found, seen_key)
        if self.progress is not None:
            self.progress.add("compared", compared % 1000)
        self._flush()

    def _unchanged_as_stored(self):
        """``unchanged(where, record)``: counts the record unchanged and answers True when it is stored
        as given under a key not seen before; False sends it the general way. None where the test
        does not apply (see :func:`records_digest.quick_applies`)."""
        if not self.fields_known or not quick_applies(self.fields, self.key, self.state):
            return None
        candidate = candidate_test(self.key, self.validator, self.digest)
        stored_get, seen_add, counts = self.stored.get, self.seen.add, self.counts
        touched_put = self.touched.put if self._track_touched else None

        def unchanged(where, record):
            quick = candidate(record)
            if quick is None:
                return False
            found = stored_get(quick[0])
            if found is None or found[1] != quick[1] or seen_add(quick[0], where) is not None:
                return False
            if touched_put is not None:
                touched_put(found[0], 1)
            counts["unchanged"] += 1
            return True
        return unchanged

    def add_desired_digested(self, entries, source):
        """:meth:`add_desired` from what another process made of the records: ``(where, key, digest)``.

        ``entries`` come in input order (key None where the key is not text, digest None where
        the record needs the general way; see :func:`records_digest.candidate_test`). A record stored
        as given is counted here from its key and digest alone; the others are read again from
        ``source()`` and go the general way, in input order. Needs ``portable`` digests.
        """
        stored_get, seen_add, counts, slow = self.stored.get, self.seen.add, self.counts, array.array("q")
        touched_put = self.touched.put if self._track_touched else None
        differing = []  # where the stored records of differing records are, to read their pages once
        ordinal = -1
        for ordinal, (where, key_value, values_digest) in enumerate(entries):
            if key_value is not None and seen_add(key_value, where) is None and values_digest is not None:
                found = stored_get(key_value)
                if found is not None and found[1] == values_digest:
                    counts["unchanged"] += 1
                    if touched_put is not None:
                        touched_put(found[0], 1)
                    continue
                if found is not None and len(differing) < KEEP_DIFFERING:
                    differing.append((found[2], found[3]))
            slow.append(ordinal)
        if self.progress is not None:
            self.progress.add("compared", ordinal + 1 - len(slow))
        self.pages.keep(differing)
        if slow:
            self.add_desired(picked(source(), iter(slow)))
        self._flush()

    def _desired(self, where, record, label, record_id, found, seen_key):
        values = record if record.keys().isdisjoint(SKIP) else dict(
            (k, v) for k, v in record.items() if k not in SKIP)
        first = self.seen.add(seen_key, where)
        if first is not None and first != where:  # registered by add_desired_digested
            self.problems.append("%s (%s): the key repeats %s" % (where, label, first))
        if self._track_touched:
            self.touched.put(record_id, 1)
        if found is not None and found[1] is not None and found[1] == self.digest(without_metadata(values)):
            # Same values as stored: unchanged, and the record as it will be stored is the one given
            # (with the stored id). Most records of a re-run end here, where a short check suffices.
            self.counts["unchanged"] += 1
            merged = values
            if None in values.values() or not self.validator.equal_to_valid(values):
                merged = dict((k, v) for k, v in values.items() if v is not None)
                merged["id"] = record_id
                self.problems.extend(rec.record_problems(self.validator, "%s (%s)" % (where, label), merged,
                                                         self.fields, check_size=False))
        else:
            entry = rec.Desired(where, label, record_id, values,
                                self.pages.record(found[2], found[3]) if found else None)
            merged = rec.merged_record(entry)
            if self.fields_known:
                self.problems.extend(rec.record_problems(self.validator, "%s (%s)" % (where, label), merged,
                                                         self.fields))
            self._plan_one(entry, found, merged)
        for name in self.unique:
            value = merged.get(name)
            if value is None:
                continue
            owner = self.given_unique.add(name + "\0" + text_key(rec.normalise(self.fields[name]["type"], value)),
                                          (record_id, where, label, value))
            if owner is not None and owner[0] != record_id:
                self.problems.append("%s (%s): %s: the unique value %s is also given to %s (%s)"
                                     % (where, label, name, rec.problem_value(value), owner[1], owner[2]))
        for name in self.relationships:
            value = values.get(name)
            if value is not None:
                self.referenced.add(name)
                if isinstance(value, str):
                    self._buffer.append((None, "%s (%s)" % (where, label), name, value))
        if self.self_refs:
            held = dict(merged, id=record_id)
            self.given_targets.update([(target + "\0" + str(held[target]), 1)
                                       for target in self._targets_of if held.get(target) is not None])
            # what the record keeps pointing at without giving it (the values it gives are checked as given)
            self.after_refs.put(record_id, [None if name in values else merged.get(name)
                                            for name, _target in self.self_refs])

    def _plan_one(self, entry, found, merged):
        outcome, body = rec.plan_entry(entry, self.fields, self.conflict_resolution)
        if outcome == "unchanged":
            self.counts["unchanged"] += 1
            return
        self.counts[outcome] += 1
        if outcome in self.samples and len(self.samples[outcome]) < DIFF_SAMPLE:
            self.samples[outcome].append((entry, body))
        provides = refers = None
        if self.self_refs and body is not None:
            provides = rec.compact_json([merged.get(target) for target in self._targets_of])
            refers = rec.compact_json([body.get(name) for name, _target in self.self_refs])
        self._buffer.append((outcome, entry.key, entry.record_id, rec.compact_json(body)
                             if body else None, found[2] if found else None, found[3] if found else None,
                             entry.where, provides, refers))
        if len(self._buffer) >= 1000:
            self._flush()

    def _flush(self):
        self.rows.add([row for row in self._buffer if row[0] is not None],
                      [row[1:] for row in self._buffer if row[0] is None])
        self._buffer = []

    # -- whole-input checks -----------------------------------------------------------------
    def new_set(self):
        """A spillable set of strings (``put(value, 1)``, ``in``)."""
        return SpillMap(self.scratch, self._spill_after)

    def _missing_target(self, place, name, value, target_schema):
        target_field = self.fields[name]["relationship"]["fieldName"]
        self.problems.append("%s: %s: no %s record has %s %s"
                             % (place, name, target_schema, target_field, rec.problem_value(value)))

    def check_references(self, name, held, target_schema):
        """Problems for the values of relationship ``name`` that ``held`` (anything with ``in``) lacks."""
        for place, value in self.rows.refs(name):
            if value not in held:
                self._missing_target(place, name, value, target_schema)

    def finish(self):
        """Unique values held by stored records the input leaves alone; the records ``purge`` deletes;
        the order self-references impose on writes and deletes."""
        for name_value, (_rid, where, label, value) in self.given_unique.items():
            holder = self.stored_unique.get(name_value)
            if holder is not None and holder not in self.touched:
                self.problems.append("%s (%s): %s: the unique value %s is already used by stored record %s"
                                     % (where, label, name_value.split("\0", 1)[0], rec.problem_value(value), holder))
        if self.state == "present" and self.purge:
            for record_id, _digest, page, position in self.stored.values():
                if record_id not in self.touched:
                    self.going.put(record_id, (page, position))
                    self.counts["delete"] += 1
        elif self.report_untouched:
            for key, (_record_id, _digest, page, position) in self.stored.items():
                if key not in self.seen:
                    self.untouched += 1
                    if len(self.untouched_sample) < DIFF_SAMPLE:
                        self.untouched_sample.append(self.pages.record(page, position))
        if self.self_refs:
            self._check_self_references()
            self._order_writes()
        for stored in self.deletes():
            if len(self.samples["delete"]) >= DIFF_SAMPLE:
                break
            self.samples["delete"].append(stored)

    def _held_after(self, target, value):
        """Whether a record holds ``value`` in ``target`` after the run (given, or stored and not deleted)."""
        name_value = target + "\0" + value
        if name_value in self.given_targets:
            return True
        holder = self.stored_targets.get(name_value)
        return holder is not None and holder not in self.going

    def _check_self_references(self):
        own = dict(self.self_refs)
        for name in own:
            for place, value in self.rows.refs(name):
                if not self._held_after(own[name], value):
                    self._missing_target(place, name, value, self.schema_name)
        if not self.counts["delete"]:
            return
        for item in self.pages.all_records():  # records that stay but point at one that goes
            if item["id"] in self.going:
                continue
            after = self.after_refs.get(item["id"])
            for position, (name, target) in enumerate(self.self_refs):
                value = after[position] if after is not None else item.get(name)
                if isinstance(value, str) and not self._held_after(target, value):
                    self.problems.append("record %s: %s: still points at %s, which would be deleted"
                                         % (item["id"], name, rec.problem_value(value)))

    def _order_writes(self):
        rows = self.rows.ordering()
        targets, names = self._targets_of, [name for name, _target in self.self_refs]

        def stored_before(name, value):
            holder = self.stored_targets.get(dict(self.self_refs)[name] + "\0" + value)
            return holder is not None and holder not in self.going

        levels, cycle = dependency_levels(
            rows, self.self_refs, lambda row: dict(zip(targets, json.loads(row[3]))),
            lambda row: dict(zip(names, json.loads(row[4]))), stored_before)
        self.problems.extend("%s (%s): its references form a cycle and cannot be written in any order"
                             % (row[1], row[2]) for row in cycle)
        self._levels = [array.array("q", (row[0] for row in level)) for level in levels]

    # -- the plan as streams ----------------------------------------------------------------
    def writes(self, seqs=None):
        """``(entry, body)`` of every create and update (of one level), in input order."""
        for key, record_id, body, page, position in self.rows.writes(seqs):
            body = json.loads(body)
            stored = self.pages.record(page, position) if page is not None else None
            given = dict((k, v) for k, v in body.items() if k not in ("id", "conflictResolution"))
            yield rec.Desired(None, key, record_id, given, stored), body

    def write_levels(self):
        """The writes as a list of streams, each to be written completely before the next."""
        if self._levels is None:
            return [self.writes()]
        return [self.writes(level) for level in self._levels]

    def deletes(self):
        """The stored records to delete, as read."""
        for page, position in self.going.values():
            yield self.pages.record(page, position)

    def delete_levels(self):
        """The deletes as a list of streams: a record that points at another one that goes is deleted first."""
        if not self.self_refs or not self.counts["delete"]:
            return [self.deletes()]
        levels, _cycle = dependency_levels(list(self.deletes()), self.self_refs, lambda item: item, lambda item: item)
        return list(reversed(levels)) + ([_cycle] if _cycle else [])

    def keys(self, outcome):
        return self.rows.keys(outcome)
