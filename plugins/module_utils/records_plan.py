# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired records compared with stored ones at any size, in bounded memory.

The stored records are not kept as Python objects: while the pages come in, each stored record
leaves a compact index entry (key -> id, a 64-bit digest of its values, where its page is) and the
page itself goes, pickled, to a temporary SQLite database. The desired records then stream past
once. The usual record of a re-run (keyed by a text field, every value as stored) is counted
unchanged from its key and digest alone (:meth:`RecordPlan._unchanged_as_stored`); any other is
validated and compared field by field against its stored record (its page read back, a few pages
cached). For a large source another process may have digested the records while the pages came
in (records_helper.py, :meth:`RecordPlan.add_desired_digested`). Everything a whole-input check
needs (keys seen, unique values, ids touched) lives in :class:`SpillMap` s that move into the same
database past a threshold. The write bodies go to the database too and are streamed to the
writer after the whole input was validated.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import array
import hashlib
import itertools
import json
import marshal
import os
import pickle
import shutil
import sqlite3
import tempfile
from collections import OrderedDict

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec

SPILL_AFTER = 150000
KEEP_DIFFERING = 10000  # stored records of differing records read ahead, page by page (about 10 MB)
DIFF_SAMPLE = 20
_SKIP = frozenset(("id",) + rec.METADATA)
_COMPACT = (",", ":")


def _text_key(value):
    """A map key for a normalised value: strings as they are, anything else as JSON behind a marker."""
    return value if isinstance(value, str) else "\x01" + json.dumps(value, sort_keys=True)


def hashed(values):
    """A 64-bit digest of a record's values (numbers by value: 1 and 1.0 agree), valid in this process only.

    None for a record holding a list or a mapping (never equal: compared field by field).
    """
    try:
        return hash(frozenset(values.items()))
    except TypeError:
        return None


class Portable:
    """A 64-bit digest of a record's values that any process computes alike (Python's ``hash`` of text is
    seeded per process): BLAKE2b of the values in schema order. Types count (1, 1.0 and True differ:
    such a record is compared field by field). ``None`` for a value :mod:`marshal` cannot write."""

    def __init__(self, fields):
        self.names = list(fields)

    def __call__(self, values):
        try:
            data = marshal.dumps((len(values), [values.get(name) for name in self.names]), 2)
        except ValueError:  # a str subclass, say: compared field by field
            return None
        return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def without_metadata(values):
    """``values`` without the id and metadata, and without nulls (a null field is a field not given)."""
    if not values.keys().isdisjoint(_SKIP):
        values = dict(values)
        for name in _SKIP:
            values.pop(name, None)
    if None in values.values():
        values = dict(item for item in values.items() if item[1] is not None)
    return values


def candidate_test(key, validator, digest):
    """``candidate(record)``: ``(key value, digest)`` when the record is stored as given if its stored
    digest is that one; None when it needs the general way (not a mapping, a key that is not
    text, an id, metadata or a null given, a boolean where a number is due or the reverse)."""
    equal_to_valid = validator.equal_to_valid

    def candidate(record):
        try:
            key_value = record.get(key)
            if not isinstance(key_value, str) or not record.keys().isdisjoint(_SKIP):
                return None
            values_digest = digest(record)
        except AttributeError:  # not a mapping
            return None
        if values_digest is None or not equal_to_valid(record):
            return None
        return key_value, values_digest
    return candidate


def quick_applies(fields, key, state):
    """Whether a record may be found unchanged from its key and digest alone.

    That is the usual record of a re-run: ``state=present``, keyed by a text field, and no other
    unique field or relationship that needs the record's values.
    """
    return (state == "present" and fields.get(key, {}).get("type") in ("string", "relationship")
            and not any(f.get("unique") and name != key for name, f in fields.items())
            and not any(f["type"] == "relationship" for f in fields.values()))


def _picked(items, ordinals):
    """The items at ``ordinals`` (increasing) of ``items``."""
    wanted = next(ordinals, None)
    for ordinal, item in enumerate(items):
        if wanted is None:
            return
        if ordinal == wanted:
            yield item
            wanted = next(ordinals, None)


class Scratch:
    """A temporary SQLite database in a private directory; :meth:`close` removes it."""

    def __init__(self, directory=None):
        self.directory = tempfile.mkdtemp(prefix="genesys-records-", dir=directory)
        # planned on one thread, applied on another (an org run): one thread at a time uses it
        self.db = sqlite3.connect(os.path.join(self.directory, "index.sqlite"), check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8192", "temp_store=FILE"):
            self.db.execute("PRAGMA " + pragma)
        self._tables = 0

    def table(self, columns):
        self._tables += 1
        name = "t%d" % self._tables
        self.db.execute("CREATE TABLE %s (%s)" % (name, columns))
        return name

    def close(self):
        self.db.close()
        shutil.rmtree(self.directory, ignore_errors=True)


class SpillMap:
    """A str-keyed map that moves into a SQLite table once it holds more than ``limit`` entries.

    Values must survive JSON (a tuple comes back as a list once spilled).
    """

    def __init__(self, scratch, limit):
        self._scratch, self._limit = scratch, limit
        self._memory, self._table = {}, None

    def _spill(self):
        self._table = self._scratch.table("k TEXT PRIMARY KEY, v TEXT")
        self._scratch.db.executemany("INSERT INTO %s VALUES (?, ?)" % self._table,
                                     ((k, json.dumps(v)) for k, v in self._memory.items()))
        self._memory = None

    def get(self, key, default=None):
        if self._table is None:
            return self._memory.get(key, default)
        row = self._scratch.db.execute("SELECT v FROM %s WHERE k = ?" % self._table, (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def __contains__(self, key):
        return self.get(key) is not None

    def update(self, pairs):
        """:meth:`put` for a list of ``(key, value)``."""
        if self._table is None:
            self._memory.update(pairs)
            if len(self._memory) > self._limit:
                self._spill()
        else:
            self._scratch.db.executemany("INSERT OR REPLACE INTO %s VALUES (?, ?)" % self._table,
                                         ((k, json.dumps(v)) for k, v in pairs))

    def put(self, key, value):
        if self._table is None:
            self._memory[key] = value
            if len(self._memory) > self._limit:
                self._spill()
        else:
            self._scratch.db.execute("INSERT OR REPLACE INTO %s VALUES (?, ?)" % self._table, (key, json.dumps(value)))

    def add(self, key, value):
        """Store ``value`` unless ``key`` is taken; returns the value already there, or None."""
        memory = self._memory
        if memory is not None:
            size = len(memory)
            existing = memory.setdefault(key, value)
            if len(memory) == size:
                return existing
            if size >= self._limit:
                self._spill()
            return None
        existing = self.get(key)
        if existing is None:
            self.put(key, value)
        return existing

    def values(self):
        if self._table is None:
            return iter(list(self._memory.values()))
        cursor = self._scratch.db.execute("SELECT v FROM %s ORDER BY rowid" % self._table)
        return (json.loads(row[0]) for row in cursor)

    def items(self):
        if self._table is None:
            return iter(list(self._memory.items()))
        cursor = self._scratch.db.execute("SELECT k, v FROM %s ORDER BY rowid" % self._table)
        return ((k, json.loads(v)) for k, v in cursor)


class Pages:
    """Stored pages in the database; a record is found by (page, position).

    A page is pickled (about a fifth of the time ``json.dumps`` takes, a third of the size): the
    database is private to this run and read back only by it.
    """

    def __init__(self, scratch, cached=8):
        self._scratch = scratch
        self._table = scratch.table("n INTEGER PRIMARY KEY, body BLOB")
        self._cache, self._cached = OrderedDict(), cached
        self._kept = {}
        self.count = 0

    def add(self, entities):
        number = self.count
        self.count += 1
        self._scratch.db.execute("INSERT INTO %s VALUES (?, ?)" % self._table,
                                 (number, pickle.dumps(entities, pickle.HIGHEST_PROTOCOL)))
        return number

    def _load(self, number):
        row = self._scratch.db.execute("SELECT body FROM %s WHERE n = ?" % self._table, (number,)).fetchone()
        return pickle.loads(row[0])

    def keep(self, locations):
        """Read the pages of ``locations`` (``(page, position)``) once each and keep those records at hand.

        The records a run compares field by field lie on pages in stored order, not input order; read
        one by one, nearly every one would cost a page. The caller bounds how many are kept.
        """
        for number, group in itertools.groupby(sorted(locations), key=lambda location: location[0]):
            page = self._load(number)
            for _number, position in group:
                self._kept[number, position] = page[position]

    def record(self, number, position):
        kept = self._kept.get((number, position))
        if kept is not None:
            return kept
        page = self._cache.get(number)
        if page is None:
            page = self._cache[number] = self._load(number)
            if len(self._cache) > self._cached:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(number)
        return page[position]


class RecordPlan:
    """Compare, validate and plan the records of one schema; then hand out writes and deletes as streams.

    Use: :meth:`add_stored` for every page read, :meth:`add_desired` once with the whole input,
    :meth:`check_references` with the target values of each relationship field the input uses,
    then :meth:`finish`. ``problems`` lists every problem (nothing may be written when it is not
    empty); ``counts``, ``samples`` and the iterators :meth:`writes`, :meth:`deletes` and
    :meth:`keys` describe the plan.
    """

    def __init__(self, schema_name, fields, key, state="present", conflict_resolution="upsert", purge=False,
                 progress=None, spill_after=SPILL_AFTER, directory=None, portable=False):
        self.schema_name, self.fields, self.key, self.state = schema_name, fields, key, state
        self.conflict_resolution, self.purge, self.progress = conflict_resolution, purge, progress
        self.scratch = Scratch(directory)
        self.pages = Pages(self.scratch)
        self._spill_after = spill_after
        new = self.new_set
        self.stored = new()      # key (or id) -> [id, digest, page, position]
        self.stored_unique = new()  # field NUL value -> id of the stored record holding it
        self.seen = new()        # key (as in ``stored``) or id -> where it was first given
        self.touched = new()     # ids of the records the input lists
        self.given_unique = new()  # field NUL value -> [id, where, key label, value] of its first holder
        self.going = new()       # ids to delete -> [page, position]
        self._plan = self.scratch.table(
            "seq INTEGER PRIMARY KEY, outcome TEXT, key TEXT, id TEXT, body TEXT, page INTEGER, position INTEGER")
        self._refs = self.scratch.table("place TEXT, field TEXT, value TEXT")
        self._buffer = []
        self.unique = [name for name, f in fields.items() if f.get("unique") and name != key]
        self.relationships = [name for name, f in fields.items() if f["type"] == "relationship"]
        self.referenced = set()  # relationship fields some desired record gives a value
        self.problems = []
        self.counts = dict(create=0, update=0, unchanged=0, skipped=0, delete=0)
        self.samples = dict(create=[], update=[], delete=[])
        self.validator = rec.record_validator(fields)
        # portable digests when another process digests the desired records (records_helper.py)
        self.portable = portable
        self.digest = Portable(fields) if portable else hashed
        self._key_type = fields[key]["type"] if key in fields else None
        # ids the input lists matter to purge and to unique values held by stored records
        self._track_touched = bool(self.unique) or (purge and state == "present")

    def close(self):
        self.scratch.close()

    # -- stored records ---------------------------------------------------------------------
    def _key_of_stored(self, item):
        if self.key == "id":
            return item["id"]
        value = item.get(self.key)
        if value is None:  # cannot be matched by key, but may still be purged
            return "\x00" + item["id"]
        return _text_key(rec.normalise(self.fields[self.key]["type"], value))

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
                    self.stored_unique.put(name + "\0" + _text_key(rec.normalise(ftype, value)), item["id"])
        if self.progress is not None:
            self.progress.add("read", len(entities))

    # -- desired records --------------------------------------------------------------------
    def _match(self, where, record):
        """(key label, record id, stored index entry or None) of one desired record, or None with a problem."""
        key, values = self.key, record
        given_id = record.get("id")
        key_value = given_id if key == "id" else record.get(key)
        if key_value is None and (key != "id" or self.state == "absent"):
            self.problems.append("%s: %s: the key field is missing" % (where, key))
            return None
        if key_value is None:
            record_id = rec.record_id_for(self.schema_name, key, dict(
                (k, v) for k, v in values.items() if v is not None and k not in _SKIP))
            return "id=%s (derived)" % record_id, record_id, self.stored.get(record_id), record_id
        label = rec.key_label(key, key_value)
        seen_key = label
        if key == "id":
            found = None
            if isinstance(key_value, str):
                seen_key, found = key_value, self.stored.get(key_value)
        else:
            lookup = rec.normalise(self._key_type, key_value)
            found = None
            if isinstance(lookup, (str, int, float)):
                seen_key = _text_key(lookup)
                found = self.stored.get(seen_key)
        record_id = found[0] if found else given_id or rec.record_id_for(self.schema_name, key, key_value)
        if key != "id" and given_id is not None and found and given_id != found[0]:
            self.problems.append("%s (%s): id: %s differs from the stored record's id %s"
                                 % (where, label, given_id, found[0]))
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

    def _quick_applies(self):
        """See :func:`quick_applies`."""
        return quick_applies(self.fields, self.key, self.state)

    def _candidate_test(self):
        return candidate_test(self.key, self.validator, self.digest)

    def _unchanged_as_stored(self):
        """``unchanged(where, record)``: counts the record unchanged and answers True when it is stored
        as given under a key not seen before; False sends it the general way. None where the test
        does not apply (see :meth:`_quick_applies`)."""
        if not self._quick_applies():
            return None
        candidate, stored_get, seen_add, counts = self._candidate_test(), self.stored.get, self.seen.add, self.counts
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
        the record needs the general way; see :func:`candidate_test`). A record stored as given is
        counted here from its key and digest alone; the others are read again from ``source()``
        and go the general way, in input order. Needs ``portable`` digests.
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
            self.add_desired(_picked(source(), iter(slow)))
        self._flush()

    def _desired(self, where, record, label, record_id, found, seen_key):
        values = record if record.keys().isdisjoint(_SKIP) else dict(
            (k, v) for k, v in record.items() if k not in _SKIP)
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
            self.problems.extend(rec.record_problems(self.validator, "%s (%s)" % (where, label), merged, self.fields))
            self._plan_one(entry, found)
        for name in self.unique:
            value = merged.get(name)
            if value is None:
                continue
            owner = self.given_unique.add(name + "\0" + _text_key(rec.normalise(self.fields[name]["type"], value)),
                                          (record_id, where, label, value))
            if owner is not None and owner[0] != record_id:
                self.problems.append("%s (%s): %s: the unique value %r is also given to %s (%s)"
                                     % (where, label, name, value, owner[1], owner[2]))
        for name in self.relationships:
            value = values.get(name)
            if value is not None:
                self.referenced.add(name)
                if isinstance(value, str):
                    self._buffer.append((None, "%s (%s)" % (where, label), name, value))

    def _plan_one(self, entry, found):
        plan = rec.plan_records([entry], self.fields, self.conflict_resolution)
        for outcome in ("create", "update", "skipped"):
            for planned, body in plan[outcome]:
                self.counts[outcome] += 1
                if outcome in self.samples and len(self.samples[outcome]) < DIFF_SAMPLE:
                    self.samples[outcome].append((planned, body))
                self._buffer.append((outcome, planned.key, planned.record_id,
                                     json.dumps(body, separators=_COMPACT) if body else None,
                                     found[2] if found else None, found[3] if found else None))
        self.counts["unchanged"] += len(plan["unchanged"])
        if len(self._buffer) >= 1000:
            self._flush()

    def _flush(self):
        plan = [row for row in self._buffer if row[0] is not None]
        refs = [row[1:] for row in self._buffer if row[0] is None]
        if plan:
            self.scratch.db.executemany(
                "INSERT INTO %s (outcome, key, id, body, page, position) VALUES (?, ?, ?, ?, ?, ?)" % self._plan, plan)
        if refs:
            self.scratch.db.executemany("INSERT INTO %s VALUES (?, ?, ?)" % self._refs, refs)
        self._buffer = []

    # -- whole-input checks -----------------------------------------------------------------
    def new_set(self):
        """A spillable set of strings (``put(value, 1)``, ``in``)."""
        return SpillMap(self.scratch, self._spill_after)

    def check_references(self, name, held, target_schema):
        """Problems for the values of relationship ``name`` that ``held`` (a :meth:`new_set`) lacks."""
        target_field = self.fields[name]["relationship"]["fieldName"]
        cursor = self.scratch.db.execute("SELECT place, value FROM %s WHERE field = ? ORDER BY rowid" % self._refs,
                                         (name,))
        for place, value in cursor:
            if value not in held:
                self.problems.append("%s: %s: no %s record has %s %r"
                                     % (place, name, target_schema, target_field, value))

    def finish(self):
        """Unique values held by stored records the input leaves alone; the records ``purge`` deletes."""
        for name_value, (_rid, where, label, value) in self.given_unique.items():
            holder = self.stored_unique.get(name_value)
            if holder is not None and holder not in self.touched:
                self.problems.append("%s (%s): %s: the unique value %r is already used by stored record %s"
                                     % (where, label, name_value.split("\0", 1)[0], value, holder))
        if self.state == "present" and self.purge:
            for record_id, _digest, page, position in self.stored.values():
                if record_id not in self.touched:
                    self.going.put(record_id, (page, position))
                    self.counts["delete"] += 1
        for stored in self.deletes():
            if len(self.samples["delete"]) >= DIFF_SAMPLE:
                break
            self.samples["delete"].append(stored)

    # -- the plan as streams ----------------------------------------------------------------
    def writes(self):
        """``(entry, body)`` of every create and update, in input order (entry: key, record_id, merged record)."""
        cursor = self.scratch.db.execute(
            "SELECT key, id, body, page, position FROM %s WHERE outcome IN ('create', 'update') ORDER BY seq"
            % self._plan)
        for key, record_id, body, page, position in cursor:
            body = json.loads(body)
            stored = self.pages.record(page, position) if page is not None else None
            given = dict((k, v) for k, v in body.items() if k not in ("id", "conflictResolution"))
            yield rec.Desired(None, key, record_id, given, stored), body

    def deletes(self):
        """The stored records to delete, as read."""
        for page, position in self.going.values():
            yield self.pages.record(page, position)

    def keys(self, outcome):
        cursor = self.scratch.db.execute("SELECT key FROM %s WHERE outcome = ? ORDER BY seq" % self._plan, (outcome,))
        return [row[0] for row in cursor.fetchall()]
