# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planner's spill store: a private SQLite database for stored pages and whole-input sets.

The directory is made 0700 and the database file 0600 (they hold record data); :meth:`Scratch.close`
removes both, and it is safe to call more than once and from a signal's clean-up.
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


class Scratch:
    """A temporary SQLite database in a private directory; :meth:`close` removes it."""

    def __init__(self, directory=None):
        self.directory = tempfile.mkdtemp(prefix="genesys-records-", dir=directory)  # 0700
        path = os.path.join(self.directory, "index.sqlite")
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        self.db = sqlite3.connect(path, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8192", "temp_store=FILE"):
            self.db.execute("PRAGMA " + pragma)
        self._tables = 0

    def table(self, columns):
        self._tables += 1
        name = "t%d" % self._tables
        self.db.execute("CREATE TABLE %s (%s)" % (name, columns))
        return name

    def private_file(self, name):
        """A path in the scratch directory for a file that is created 0600 here."""
        path = os.path.join(self.directory, name)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        return path

    def close(self):
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
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
        self.records = 0
        self._digest = hashlib.blake2b(digest_size=16)

    def add(self, entities):
        number = self.count
        self.count += 1
        self.records += len(entities)
        body = pickle.dumps(entities, pickle.HIGHEST_PROTOCOL)
        self._digest.update(body)
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
