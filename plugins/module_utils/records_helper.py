# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A large records source read and digested by a helper process, on another core, while the pages come in.

Reading the stored pages and reading the desired records are each about a second of CPU per
100,000 records, and one Python process does one at a time. For a ``src`` file of some size the
module starts this helper (the same interpreter, the same code) before it reads the pages: the
helper parses the file and writes, for each record, where it is, its key and a portable digest
of its values (:class:`records_plan.Portable`) to a file in the run's private scratch directory.
Once the pages are in, :meth:`RecordPlan.add_desired_digested` needs one look-up per record.

Nothing depends on the helper: when it cannot start or does not finish, the records are read in
the module's own process as before. A source that changes while it is read fails the run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import pickle
import subprocess
import sys

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils import records_plan

MIN_BYTES = 2 * 1024 * 1024  # below this (about 15,000 records) the helper costs more than it saves
BATCH = 1000
NICE = 10  # the module's own reads come first; the helper takes the CPU they leave
_CODE = ("import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
         "from ansible_collections.genesys.cloud.plugins.module_utils.records_helper import helper_main; "
         "sys.exit(helper_main(sys.argv[2:]))")


def worth_it(src, fields, key, state):
    """Whether a run over ``src`` should start the helper."""
    if not src or not records_plan.quick_applies(fields, key, state):
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
    """The helper for one run: started at once, :meth:`entries` once the pages are in, :meth:`close` always."""

    def __init__(self, src, key, fields, directory):
        self.src = src
        self._out = os.path.join(directory, "digests")
        self._stamp = _stamp(src)
        self._proc = None
        if not sys.executable:
            return
        # The helper imports this collection from the directory that holds ansible_collections/ (or the
        # AnsiballZ payload zip): on the controller, Ansible's own import hook is not there to find it.
        here = os.path.abspath(__file__)
        for _level in range(6):
            here = os.path.dirname(here)
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", _CODE, json.dumps([here] + sys.path, default=str), self._out, src, key,
                 json.dumps(fields)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
        except (OSError, ValueError):
            pass

    def ready(self):
        """Wait for the helper; True when it read the whole source (or found a problem in it)."""
        if self._proc is None or self._proc.wait() != 0:
            return False
        return os.path.exists(self._out) or os.path.exists(self._out + ".error")

    def entries(self):
        """``(where, key, digest)`` of every record, in input order; raises the source's problem as the
        in-process read would (:class:`records.SourceError`)."""
        if os.path.exists(self._out + ".error"):
            with open(self._out + ".error", "rb") as handle:
                raise rec.SourceError(handle.read().decode("utf-8"))
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
            raise rec.SourceError("%s changed while this run read it; run again once it is complete"
                                  % os.path.basename(self.src))

    def close(self):
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()


def digest_entries(items, key, fields):
    """``(where, key, digest)`` for each ``(where, record)``: what the helper writes (see
    :meth:`RecordPlan.add_desired_digested`); the key is None where it is not text, the digest None
    where the record needs the general way."""
    candidate = records_plan.candidate_test(key, rec.record_validator(fields), records_plan.Portable(fields))
    for where, record in items:
        quick = candidate(record)
        if quick is None:
            key_value = record.get(key) if isinstance(record, dict) else None
            yield where, key_value if isinstance(key_value, str) else None, None
        else:
            yield where, quick[0], quick[1]


def helper_main(argv):
    """The helper process: ``out src key fields-json``; writes pickled batches of entries, then None."""
    out, src, key, fields = argv[0], argv[1], argv[2], json.loads(argv[3])
    try:
        os.nice(NICE)
    except (AttributeError, OSError):
        pass
    partial = out + ".part"
    with open(partial, "wb") as handle:
        batch = []
        try:
            for entry in digest_entries(rec.iter_source(src, fields), key, fields):
                batch.append(entry)
                if len(batch) == BATCH:
                    pickle.dump(batch, handle, pickle.HIGHEST_PROTOCOL)
                    batch = []
        except (IOError, OSError, ValueError) as exc:
            with open(out + ".error", "wb") as problem:
                problem.write(str(exc).encode("utf-8"))
            return 0
        pickle.dump(batch, handle, pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, handle, pickle.HIGHEST_PROTOCOL)
    os.rename(partial, out)
    return 0
