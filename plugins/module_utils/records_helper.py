# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A large records source read and digested by a helper process, on another core, while the pages come in.

Reading the stored pages and reading the desired records are each about a second of CPU per
100,000 records, and one Python process does one at a time. For a ``src`` file of some size the
planner forks this helper (a copy of the running process: no new interpreter, no command line)
before it reads the pages: the helper parses the file and writes, for each record, where it is,
its key and a portable digest of its values (:class:`records_digest.Portable`) to a file in the
run's private scratch directory, then leaves with ``os._exit``. Once the pages are in,
:meth:`RecordPlan.add_desired_digested` needs one look-up per record.

Nothing depends on the helper: when it cannot start or does not finish, the records are read in
the module's own process as before. A source that changes while it is read fails the run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import pickle
import signal

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils.records_digest import Portable, candidate_test, quick_applies
from ansible_collections.genesys.cloud.plugins.module_utils.records_read import SourceError, iter_source

MIN_BYTES = 2 * 1024 * 1024  # below this (about 15,000 records) the helper costs more than it saves
BATCH = 1000
NICE = 10  # the planner's own reads come first; the helper takes the CPU they leave


def worth_it(src, fields, key, state):
    """Whether a run over ``src`` should start the helper."""
    if not src or not quick_applies(fields, key, state):
        return False
    try:
        return os.path.getsize(src) >= MIN_BYTES
    except OSError:
        return False  # the in-process read reports it


def _stamp(path):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class SourceDigests:
    """The helper for one run: forked at once, :meth:`entries` once the pages are in, :meth:`close` always."""

    def __init__(self, src, key, fields, scratch):
        self.src = src
        self._out = os.path.join(scratch.folder(), "digests")
        self._stamp = _stamp(src)
        self._pid = None
        try:
            pid = os.fork()
        except (AttributeError, OSError):
            return  # no fork on this platform, or no resources: the planner reads the file itself
        if pid == 0:  # the helper: never returns into the caller's code
            status = 1
            try:
                for number in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(number, signal.SIG_DFL)
                status = write_digests(self._out, src, key, fields)
            finally:
                os._exit(status)
        self._pid = pid

    def ready(self):
        """Wait for the helper; True when it read the whole source (or found a problem in it)."""
        if self._pid is None:
            return False
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return False
        return os.path.exists(self._out) or os.path.exists(self._out + ".error")

    def entries(self):
        """``(where, key, digest)`` of every record, in input order; raises the source's problem as the
        in-process read would (:class:`records.SourceError`)."""
        if os.path.exists(self._out + ".error"):
            with open(self._out + ".error", "rb") as handle:
                raise SourceError(handle.read().decode("utf-8"))
        self.check_unchanged()
        with open(self._out, "rb") as handle:
            while True:
                batch = pickle.load(handle)
                if batch is None:
                    return
                yield from batch

    def check_unchanged(self):
        """Refuse a source that changed since the helper started to read it: the run would mix two versions."""
        if _stamp(self.src) != self._stamp:
            raise SourceError("%s changed while this run read it; run again once it is complete"
                              % os.path.basename(self.src))

    def close(self):
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            self._pid = None


def digest_entries(items, key, fields):
    """``(where, key, digest)`` for each ``(where, record)``: what the helper writes (see
    :meth:`RecordPlan.add_desired_digested`); the key is None where it is not text, the digest None
    where the record needs the general way."""
    candidate = candidate_test(key, rec.record_validator(fields), Portable(fields))
    for where, record in items:
        quick = candidate(record)
        if quick is None:
            key_value = record.get(key) if isinstance(record, dict) else None
            yield where, key_value if isinstance(key_value, str) else None, None
        else:
            yield where, quick[0], quick[1]


def _private(path):
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def write_digests(out, src, key, fields):
    """What the helper does: pickled batches of entries to ``out`` (then None), or the source's problem
    to ``out.error``; files created 0600. Returns the exit status."""
    try:
        os.nice(NICE)
    except (AttributeError, OSError):
        pass
    partial = out + ".part"
    with _private(partial) as handle:
        batch = []
        try:
            for entry in digest_entries(iter_source(src, fields), key, fields):
                batch.append(entry)
                if len(batch) == BATCH:
                    pickle.dump(batch, handle, pickle.HIGHEST_PROTOCOL)
                    batch = []
        except (IOError, OSError, ValueError) as exc:
            with _private(out + ".error") as problem:
                problem.write(str(exc).encode("utf-8"))
            return 0
        pickle.dump(batch, handle, pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, handle, pickle.HIGHEST_PROTOCOL)
    os.rename(partial, out)
    return 0
