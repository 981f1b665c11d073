# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing a records plan: batches in parallel through the one shared client.

A 413 splits a batch in halves; every batch gets an audit entry and its records go to the change
log (``changes_dest``). A rejected batch, or SIGINT/SIGTERM (:class:`StopOnSignal`), stops the run
between batches with an error that says what was already written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from ansible_collections.genesys.cloud.plugins.module_utils import records as rec
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError


# -- stopping between batches ------------------------------------------------------------------
class RecordsInterrupted(GenesysCloudError):
    """SIGINT or SIGTERM stopped the run; carries what was written before it stopped."""


class StopOnSignal:
    """SIGINT/SIGTERM while a records task runs: stop between batches and say what was written.

    With ``immediate`` (reading and planning, before any write) the signal raises
    :class:`RecordsInterrupted` at once, so that clean-up (the scratch files) runs on the way out.
    Otherwise it only sets :meth:`is_set`; the writer sends no further batch and reports. Python
    lets only the main thread install handlers: elsewhere this does nothing (the run is then
    stopped the way it was before).
    """

    def __init__(self, immediate=False):
        self.immediate = immediate
        self.received = None
        self._saved = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                try:
                    self._saved[number] = signal.signal(number, self._handle)
                except (OSError, ValueError):
                    pass
        return self

    def __exit__(self, *exc_info):
        for number, handler in self._saved.items():
            signal.signal(number, handler)
        self._saved = {}

    def _handle(self, number, _frame):
        self.received = signal.Signals(number).name
        if self.immediate:
            raise RecordsInterrupted("%s received while the records were read and planned: nothing was written, "
                                     "and the temporary files were removed" % self.received,
                                     result_extra=dict(interrupted=self.received))

    def is_set(self):
        return self.received is not None


# -- writing ---------------------------------------------------------------------------------
class ChangeLog:
    """JSON lines of every record a run created, updated or deleted (``changes_dest``)."""

    def __init__(self, path, schema):
        self.path = path
        self._schema = schema
        self._lock = threading.Lock()
        self._handle = open(path, "w") if path else None

    def write(self, action, record_id, key, record):
        if self._handle is None:
            return
        line = json.dumps(dict(action=action, schema=self._schema, id=record_id, key=key, record=record),
                          sort_keys=True, default=str)
        with self._lock:
            self._handle.write(line + "\n")
            self._handle.flush()

    def close(self):
        if self._handle is not None:
            self._handle.close()


class RecordsWriteError(GenesysCloudError):
    """A batch failed; carries what earlier batches already wrote."""

    def __init__(self, cause, message, errors, written):
        super(RecordsWriteError, self).__init__(
            message, method=cause.method, path=cause.path, status=cause.status, code=cause.code, errors=errors,
            details=cause.details, correlation_id=cause.correlation_id, result_extra=written)
        self.written = written

    def __str__(self):
        # The message already lists the problems with each record's key.
        errors, self.errors = self.errors, []
        try:
            return super(RecordsWriteError, self).__str__()
        finally:
            self.errors = errors


class BatchFailed(Exception):
    def __init__(self, cause, batch_keys):
        super(BatchFailed, self).__init__(str(cause))
        self.cause = cause
        self.batch_keys = batch_keys


class RecordWriter:
    """Sends batches in parallel through the one client, splits on 413, audits and logs every batch."""

    def __init__(self, client, trail, schema, path, concurrency, changes, key_of, max_splits=8, progress=None):
        self.client, self.trail, self.schema, self.path = client, trail, schema, path
        self.changes, self.key_of, self.max_splits = changes, key_of, max_splits
        # ``concurrency`` is per token: a client with a pool of tokens keeps that many more batches in flight.
        workers_for = getattr(client, "workers_for", None)
        self.concurrency = workers_for(concurrency) if workers_for is not None else concurrency
        self.progress = progress
        self.stop = None  # a StopOnSignal: no batch is sent once it is set
        self.outcome = dict(created=[], updated=[], unchanged=[], deleted=[])
        self.batches_done = 0
        self._lock = threading.Lock()

    def upsert(self, batches):
        """Send ``batches`` (any iterable, consumed as batches go out) of ``(entry, body)``."""
        self._run(batches, self._upsert, lambda batch: [entry.key for entry, _body in batch])

    def remove(self, stored_records, batch_size):
        self._run(rec.chunks(stored_records, batch_size), self._remove,
                  lambda batch: [self.key_of(item) for item in batch])

    def _run(self, batches, send, keys_of):
        """Keep at most ``concurrency`` batches in flight; after a failure send no further batch.

        ``batches`` is read lazily, so a plan of a million records never sits in memory as batches.
        """
        failures, queue, running = [], iter(batches), {}
        stopped = self.stop.is_set if self.stop is not None else (lambda: False)
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            while True:
                while not failures and not stopped() and len(running) < self.concurrency:
                    batch = next(queue, None)
                    if batch is None:
                        break
                    running[pool.submit(send, batch)] = batch
                if not running:
                    break
                done = next(as_completed(list(running)))
                batch = running.pop(done)
                failure = done.exception()
                if failure is None:
                    if self.progress is not None:
                        self.progress.add("written", len(batch))
                    continue
                if not isinstance(failure, GenesysCloudError):
                    raise failure
                failures.append(BatchFailed(failure, keys_of(batch)))
        if failures:
            raise self._failure(failures, sum(len(batch) for batch in queue))
        if stopped():
            raise self._interrupted(sum(len(batch) for batch in queue))

    def _audit(self, action, keys, started, correlation_id, outcome="success", error=None, **counts):
        self.trail.record("custom_object_records", action, name=self.schema, outcome=outcome,
                          latency=time.monotonic() - started, requests=1, correlation_id=correlation_id,
                          error=error, schema=self.schema, size=len(keys), first_key=keys[0] if keys else None,
                          last_key=keys[-1] if keys else None, **counts)

    def _upsert(self, batch, splits=0):
        keys = [entry.key for entry, _body in batch]
        started = time.monotonic()
        try:
            resp = self.client.request("POST", self.path, json={"records": [body for _e, body in batch]},
                                       replay_safe=True)
        except GenesysCloudError as exc:
            if exc.status == 413 and len(batch) > 1 and splits < self.max_splits:
                self._audit("upsert", keys, started, exc.correlation_id, outcome="split", error=exc.code)
                for half in rec.split_in_half(batch):
                    self._upsert(half, splits + 1)
                return
            self._audit("upsert", keys, started, exc.correlation_id, outcome="failed", error=exc.code)
            raise
        results = (resp.data or {}).get("records") or []
        counts = dict(created=0, updated=0, unchanged=0)
        with self._lock:
            for (entry, _body), answer in zip(batch, results):
                outcome = answer.get("result", "unchanged")
                counts[outcome] = counts.get(outcome, 0) + 1
                self.outcome.setdefault(outcome, []).append(entry.key)
                if outcome in ("created", "updated"):
                    self.changes.write(outcome, entry.record_id, entry.key, rec.merged_record(entry))
            self.batches_done += 1
        self._audit("upsert", keys, started, resp.correlation_id, **counts)

    def _remove(self, batch):
        keys = [self.key_of(item) for item in batch]
        started = time.monotonic()
        try:
            resp = self.client.request("POST", self.path + "/bulk/remove", json={"ids": [i["id"] for i in batch]},
                                       replay_safe=True)
        except GenesysCloudError as exc:
            self._audit("delete", keys, started, exc.correlation_id, outcome="failed", error=exc.code)
            raise
        missing = set((resp.data or {}).get("missing") or [])
        with self._lock:
            for item, key in zip(batch, keys):
                if item["id"] not in missing:
                    self.outcome["deleted"].append(key)
                    self.changes.write("deleted", item["id"], key,
                                       dict((k, v) for k, v in item.items() if k not in rec.METADATA))
            self.batches_done += 1
        self._audit("delete", keys, started, resp.correlation_id, deleted=len(batch) - len(missing))

    def _written(self, not_sent):
        return dict(created=len(self.outcome["created"]), updated=len(self.outcome["updated"]),
                    deleted=len(self.outcome["deleted"]), not_sent=not_sent,
                    record_keys=dict(created=rec.bounded(self.outcome["created"], rec.KEY_LIMIT),
                                     updated=rec.bounded(self.outcome["updated"], rec.KEY_LIMIT),
                                     deleted=rec.bounded(self.outcome["deleted"], rec.KEY_LIMIT)))

    def _interrupted(self, not_sent):
        written = self._written(not_sent)
        listed = (" The records written are listed in %s." % self.changes.path) if self.changes.path else ""
        return RecordsInterrupted(
            "%s received: the run stopped between batches of %s. Already written: %d created, %d updated, %d deleted "
            "in %d batches; at least %d records were not sent.%s Run the task again with the same input to write "
            "only what is missing." % (self.stop.received, self.schema, written["created"], written["updated"],
                                       written["deleted"], self.batches_done, not_sent, listed),
            result_extra=dict(written, interrupted=self.stop.received))

    def _failure(self, failures, not_sent):
        first = failures[0]
        cause, keys = first.cause, first.batch_keys
        errors = []
        for failed in failures:
            for item in failed.cause.errors:
                item = dict(item)
                if isinstance(item.get("index"), int) and item["index"] < len(failed.batch_keys):
                    item["key"] = failed.batch_keys[item["index"]]
                errors.append(item)
        described = ["%s %s: %s (%s)" % (e.get("key", "record %s" % e.get("index")), e.get("field") or "",
                                         e.get("message", ""), e.get("code")) for e in errors[:50]]
        message = "%d batch(es) of %s were rejected (first: %d records, %s .. %s): %s%s. Already written: %d created, " \
                  "%d updated, %d deleted in %d batches; %d records were not sent." % (
                      len(failures), self.schema, len(keys), keys[0] if keys else "-", keys[-1] if keys else "-",
                      cause.message, (" - " + "; ".join(described)) if described else "",
                      len(self.outcome["created"]), len(self.outcome["updated"]), len(self.outcome["deleted"]),
                      self.batches_done, not_sent)
        written = self._written(not_sent)
        written["rejected_keys"] = [key for failed in failures for key in failed.batch_keys]
        return RecordsWriteError(cause, message, errors, written)
