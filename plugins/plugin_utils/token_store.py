# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OAuth tokens shared by every task of one ``ansible-playbook`` run, in memory only.

Each task runs in a worker process forked from the main process, and the worker's memory dies
with the task. The main process imports the action plugins (and so this module) before it forks
the worker of their first task: the store made here at import time is an anonymous shared memory
mapping (``mmap.mmap(-1, ...)``, MAP_SHARED), which every later worker inherits. A worker's
write is seen by every other worker and by every later one. Nothing is written to a file, and
an ``exec`` (a module run as a process) drops the mapping.

The table has fixed slots: a key (an HMAC-SHA256 of the login URL, the org's API base, client id and client secret
under a random per-run salt, so no hash of a secret outlives the run or matches across runs),
the time to refresh (on CLOCK_MONOTONIC, which is system-wide) and the token. A brief lock
guards the table; one lock per key stripe makes concurrent workers of one org fetch one token
(single flight). Locks are waited for with a timeout: a worker killed while holding one costs
at most an extra token, never a hang. No thread is started here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import hashlib
import hmac
import mmap
import multiprocessing
import os
import struct

SLOT_COUNT = 128  # a pool of 20 tokens (token_pool_size) takes 20 slots for one org
SLOT_SIZE = 4096
FETCH_LOCKS = 8
TABLE_WAIT = 5.0
FETCH_WAIT = 60.0
_HEADER = struct.Struct("<32sdI")  # key, refresh_at, token length
MAX_TOKEN_BYTES = SLOT_SIZE - _HEADER.size
_EMPTY = b"\0" * 32


class SharedTokenStore:
    """The cache :class:`TokenManager` takes (``token_cache``), shared by forked workers."""

    def __init__(self, slots=SLOT_COUNT, fetch_wait=FETCH_WAIT):
        context = multiprocessing.get_context("fork")  # its locks are unlinked at once: no resource tracker
        self._slots = slots
        self._map = mmap.mmap(-1, slots * SLOT_SIZE)
        self._salt = os.urandom(32)
        self._table = context.Lock()
        self._fetching = [context.Lock() for _stripe in range(FETCH_LOCKS)]
        self._fetch_wait = fetch_wait

    def key(self, login_url, client_id, client_secret, org=None, member=0):
        """The slot key of one client of one org: the login URL, the API base (``org``), the client id and secret."""
        text = u"\0".join((login_url or u"", org or u"", client_id or u"", client_secret or u""))
        if member:  # the other tokens of a pool (token_pool_size); the first keeps the key it always had
            text += u"\0%d" % member
        return hmac.new(self._salt, text.encode("utf-8"), hashlib.sha256).digest()

    @contextlib.contextmanager
    def single_flight(self, key):
        """Held while one worker fetches the token for ``key``; others wait, then read it."""
        lock = self._fetching[key[0] % len(self._fetching)]
        acquired = lock.acquire(True, self._fetch_wait)
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()

    @contextlib.contextmanager
    def _locked_table(self):
        acquired = self._table.acquire(True, TABLE_WAIT)
        try:
            yield acquired
        finally:
            if acquired:
                self._table.release()

    def _slot(self, index):
        start = index * SLOT_SIZE
        key, refresh_at, length = _HEADER.unpack_from(self._map, start)
        return key, refresh_at, length, start

    def _find(self, key):
        for index in range(self._slots):
            if self._slot(index)[0] == key:
                return index
        return None

    def get(self, key):
        """``(token, refresh_at)`` stored for ``key``, or None."""
        with self._locked_table() as locked:
            index = self._find(key) if locked else None
            if index is None:
                return None
            _key, refresh_at, length, start = self._slot(index)
            token = self._map[start + _HEADER.size:start + _HEADER.size + length].decode("utf-8")
            return token, refresh_at

    def put(self, key, token, refresh_at):
        """Store ``token`` for ``key`` in its slot, a free one, or the one that expires first."""
        data = token.encode("utf-8")
        if len(data) > MAX_TOKEN_BYTES:
            return
        with self._locked_table() as locked:
            if not locked:
                return
            index = self._find(key)
            if index is None:
                index = self._find(_EMPTY)
            if index is None:
                index = min(range(self._slots), key=lambda i: self._slot(i)[1])
            start = index * SLOT_SIZE
            self._map[start + _HEADER.size:start + _HEADER.size + len(data)] = data
            _HEADER.pack_into(self._map, start, key, refresh_at, len(data))

    def discard(self, key, token=None):
        """Forget the token for ``key`` (only if it still is ``token``, when given)."""
        with self._locked_table() as locked:
            index = self._find(key) if locked else None
            if index is None:
                return
            _key, _refresh_at, length, start = self._slot(index)
            stored = self._map[start + _HEADER.size:start + _HEADER.size + length].decode("utf-8")
            if token is None or stored == token:
                self._map[start:start + SLOT_SIZE] = b"\0" * SLOT_SIZE


def _create():
    try:
        return SharedTokenStore()
    except (OSError, ValueError, ImportError):  # no shared memory or semaphores here: no sharing
        return None


STORE = _create()
_STORE_PID = os.getpid()
_BROKER = []


def _run_pid():
    """The ``ansible-playbook`` process when this is one of its task workers (a forked multiprocessing child)."""
    return os.getppid() if multiprocessing.parent_process() is not None else None


def shared_store():
    """The run's store: the one the main process made when it first imported this module and every worker
    inherits; in a worker that made its own (a play of lookups only), the run's token broker
    (``token_broker.py``); else this process's own store, or None."""
    if STORE is not None and _STORE_PID != os.getpid():
        return STORE
    run_pid = _run_pid()
    if run_pid is None:
        return STORE
    if not _BROKER:
        from ansible_collections.genesys.cloud.plugins.plugin_utils.token_broker import connect_or_start
        _BROKER.append(connect_or_start(run_pid) or STORE)
    return _BROKER[0]
