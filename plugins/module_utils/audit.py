# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Audit entries: one per change a module makes, returned as ``audit`` (read by the audit callback)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import threading
import time
from contextlib import contextmanager


def utc_timestamp(when=None):
    moment = datetime.datetime.fromtimestamp(time.time() if when is None else when, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


class AuditTrail:
    """Collects audit entries; never holds a secret (only names, ids, counts and codes)."""

    def __init__(self, client, clock=time.monotonic):
        self._client = client
        self._clock = clock
        self._lock = threading.Lock()
        self.entries = []

    def record(self, resource, action, name=None, resource_id=None, outcome="success", latency=0.0,
               requests=0, correlation_id=None, error=None, **extra):
        entry = dict(
            time=utc_timestamp(),
            org=self._client.org_host,
            resource=resource,
            name=name,
            id=resource_id,
            action=action,
            outcome=outcome,
            latency_ms=int(round(latency * 1000)),
            requests=requests,
            correlation_id=correlation_id,
        )
        if error:
            entry["error"] = error
        entry.update(extra)
        with self._lock:
            self.entries.append(entry)
        return entry

    @contextmanager
    def change(self, resource, action, name=None, resource_id=None):
        """Time a change made by one thread and record it, with its outcome, when the block ends.

        The block may set ``info["id"]`` (for creates), ``info["correlation_id"]`` (the answer's own
        id, which is safer than the client's last one when other threads are writing too) or add
        extra keys to ``info``.
        """
        info = {"id": resource_id}
        started = self._clock()
        requests_before = self._client.metrics.requests
        outcome, error = "success", None
        try:
            yield info
        except Exception as exc:
            outcome = "failed"
            error = getattr(exc, "code", None) or type(exc).__name__
            raise
        finally:
            extra = dict((k, v) for k, v in info.items() if k not in ("id", "correlation_id"))
            self.record(resource, action, name=name, resource_id=info.get("id"), outcome=outcome,
                        latency=self._clock() - started,
                        requests=self._client.metrics.requests - requests_before,
                        correlation_id=info.get("correlation_id") or self._client.last_correlation_id,
                        error=error, **extra)
