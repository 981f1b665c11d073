# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planner's spill store: memory while a record set is small, then a private SQLite database.

Most record sets are small (an org of a thousand schemas of twenty records), and a directory, a
file and a database for each cost more than planning the records. So the stored pages and the
plan's rows stay in lists until together they pass ``MEMORY_LIMIT`` bytes; then they all move to
the database, and what comes later goes there, so a large set still plans in bounded memory. The
spill maps move on their own count of entries. The database is made only when something moves:
its directory 0700 and its file 0600 (they hold record data); :meth:`Scratch.close` removes both,
and it is safe to call more than once and from a signal's clean-up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import itertools
import json
import os
import pickle
import shutil
import sqlite3
import tempfile
from collections import OrderedDict


def picked(items, ordinals):
    """The items at ``ordinals`` (increasing) of ``items``."""
    wanted = next(ordinals, None)
    for ordinal, item in enumerate(items):
        if wanted is None:
            return
        if ordinal == wanted:
            yield item
            wanted = next(ordinals, None)


MEMORY_LIMIT = 4 * 1024 * 1024  # bytes of pages and plan rows held in lists before they move to the database
WRITES = ("create", "update")


class Scratch:
    """The database of one plan, made on first use; :meth:`grow` counts what its holders keep in memory."""

    def __init__(self, directory=None, memory_limit=MEMORY_LIMIT):
        self._parent, self._limit = directory, memory_limit
        self.directory = None  # made by :meth:`folder`
        self.db = None         # made by :meth:`table`
        self.in_memory = True  # the holders (:class:`Pages`, :class:`PlanRows`) keep lists
        self._held, self._holders = 0, []
        self._tables = 0
        self._closed = False

    def folder(self):
        """The private directory (0700), made on first use."""
        if self._closed:  # never a new directory once close() ran (a signal's clean-up may come first)
            raise ValueError("the scratch store of this plan is closed")
        if self.directory is None:
            self.directory = tempfile.mkdtemp(prefix="genesys-records-", dir=self._parent)
        return self.directory

    def _open(self):
        path = os.path.join(self.folder(), "index.sqlite")
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        self.db = sqlite3.connect(path, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8192", "temp_store=FILE"):
            self.db.execute("PRAGMA " + pragma)

    def table(self, columns):
        if self.db is None:
            self._open()
        self._tables += 1
        name = "t%d" % self._tables
        self.db.execute("CREATE TABLE %s (%s)" % (name, columns))
        return name

    def hold(self, holder):
        """``holder.spill()`` moves its lists into the database once :meth:`grow` passes the limit."""
        self._holders.append(holder)
        if not self.in_memory:
            holder.spill()

    def grow(self, size):
        """``size`` bytes more held in lists: past the limit, every holder moves into the database.

        Holders call it while adding, never while a reader walks their lists.
        """
        self._held += size
        if self.in_memory and self._held > self._limit:
            self.in_memory = False
            for holder in self._holders:
                holder.spill()

    def private_file(self, name):
        """A path in the scratch directory for a file that is created 0600 here."""
        path = os.path.join(self.folder(), name)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        return path

    def close(self):
        self._closed = True
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
        if self.directory is not None:
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
    """Stored pages, pickled; a record is found by (page, position).

    A page is pickled (about a fifth of the time ``json.dumps`` takes, a third of the size): the
    database is private to this run and read back only by it.
    """

    def __init__(self, scratch, cached=8):
        self._scratch = scratch
        self._bodies, self._table = [], None  # the pickled pages, until they move to the table
        self._cache, self._cached = OrderedDict(), cached
        self._kept = {}
        self.count = 0
        self.records = 0
        self._digest = hashlib.blake2b(digest_size=16)
        scratch.hold(self)

    def spill(self):
        self._table = self._scratch.table("n INTEGER PRIMARY KEY, body BLOB")
        self._scratch.db.executemany("INSERT INTO %s VALUES (?, ?)" % self._table, enumerate(self._bodies))
        self._bodies = None

    def add(self, entities):
        number = self.count
        self.count += 1
        self.records += len(entities)
        body = pickle.dumps(entities, pickle.HIGHEST_PROTOCOL)
        self._digest.update(body)
        if self._table is None:
            self._bodies.append(body)
            self._scratch.grow(len(body))
        else:
            self._scratch.db.execute("INSERT INTO %s VALUES (?, ?)" % self._table, (number, body))
        return number

    def digest(self):
        """A digest of every page read so far, in order: the same stored records read the same way agree."""
        return self._digest.hexdigest()

    def all_records(self):
        """Every stored record, page by page, in the order read."""
        for number in range(self.count):
            yield from self._load(number)

    def _load(self, number):
        if self._table is None:
            return pickle.loads(self._bodies[number])
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


class PlanRows:
    """A plan's rows and the relationship values it checks, in lists until the scratch moves, then in tables.

    A row is ``(outcome, key, id, body, page, position, place, provides, refers)``, numbered from 1
    in the order added (``seq``); a value to check is ``(place, field, value)``.
    """

    def __init__(self, scratch):
        self._scratch = scratch
        self._rows, self._refs = [], []
        self._plan = self._values = None
        scratch.hold(self)

    def spill(self):
        self._plan = self._scratch.table(
            "seq INTEGER PRIMARY KEY, outcome TEXT, key TEXT, id TEXT, body TEXT, page INTEGER, position INTEGER, "
            "place TEXT, provides TEXT, refers TEXT")
        self._values = self._scratch.table("place TEXT, field TEXT, value TEXT")
        rows, refs, self._rows, self._refs = self._rows, self._refs, None, None
        self._insert(rows, refs)

    def _insert(self, rows, refs):
        if rows:
            self._scratch.db.executemany(
                "INSERT INTO %s (outcome, key, id, body, page, position, place, provides, refers) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" % self._plan, rows)
        if refs:
            self._scratch.db.executemany("INSERT INTO %s VALUES (?, ?, ?)" % self._values, refs)

    def add(self, rows, refs):
        if self._plan is not None:
            self._insert(rows, refs)
            return
        self._rows.extend(rows)
        self._refs.extend(refs)
        self._scratch.grow(sum(len(row[1]) + len(row[3] or "") + len(row[6]) + 100 for row in rows)
                           + sum(len(ref[0]) + len(ref[2]) + 60 for ref in refs))

    def refs(self, field):
        """``(place, value)`` of every value given to relationship ``field``, in input order."""
        if self._plan is None:
            return [(place, value) for place, name, value in self._refs if name == field]
        return self._scratch.db.execute("SELECT place, value FROM %s WHERE field = ? ORDER BY rowid"
                                        % self._values, (field,))

    def keys(self, outcome):
        if self._plan is None:
            return [row[1] for row in self._rows if row[0] == outcome]
        cursor = self._scratch.db.execute("SELECT key FROM %s WHERE outcome = ? ORDER BY seq" % self._plan, (outcome,))
        return [row[0] for row in cursor.fetchall()]

    def ordering(self):
        """``(seq, place, key, provides, refers)`` of every create and update, in order."""
        if self._plan is None:
            return [(seq, row[6], row[1], row[7], row[8]) for seq, row in enumerate(self._rows, 1) if row[0] in WRITES]
        return self._scratch.db.execute("SELECT seq, place, key, provides, refers FROM %s "
                                        "WHERE outcome IN ('create', 'update') ORDER BY seq" % self._plan).fetchall()

    def writes(self, seqs=None):
        """``(key, id, body, page, position)`` of every create and update in order, or of the rows ``seqs``."""
        if self._plan is None:
            rows = self._rows
            if seqs is not None:
                rows = [rows[seq - 1] for seq in sorted(seqs)]
            for row in rows:
                if row[0] in WRITES:
                    yield row[1:6]
            return
        query = "SELECT key, id, body, page, position FROM %s WHERE outcome IN ('create', 'update') ORDER BY seq"
        if seqs is None:
            yield from self._scratch.db.execute(query % self._plan)
            return
        for start in range(0, len(seqs), 500):
            chunk = list(seqs[start:start + 500])
            cursor = self._scratch.db.execute("SELECT key, id, body, page, position FROM %s WHERE seq IN (%s) "
                                              "ORDER BY seq" % (self._plan, ",".join("?" * len(chunk))), chunk)
            yield from cursor.fetchall()
