# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send exactly one :class:`~.plan.RowsPlan`: one request a row (the service has no batch row write), in parallel.

Up to ``concurrency`` requests per token of the client's pool are in flight (``client.workers_for``); the
client's pacer keeps each token under its rate limit and its retries absorb 429 and 5xx. After the first
failure no further row is sent, and the error says what was written. A create that failed in transit is
looked up by its key before it is sent again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError, InputError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import table_label
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.read import row_path, rows_path


class _Writes:
    """The writes of one plan and what came of them."""

    def __init__(self, client, table):
        self.client, self.table = client, table
        self.done = dict(created=[], updated=[], deleted=[])

    def create(self, row):
        path = row_path(self.table["id"], row["key"])
        self.client.create(rows_path(self.table["id"]), row,
                           lookup=lambda: self.client.get_or_none(path, params={"showbrief": "false"}))
        return "created", row["key"]

    def update(self, row):
        self.client.request("PUT", row_path(self.table["id"], row["key"]), json=row)
        return "updated", row["key"]

    def delete(self, row):
        try:
            self.client.request("DELETE", row_path(self.table["id"], row["key"]))
        except GenesysCloudError as exc:
            if exc.status != 404:  # gone already: an earlier attempt landed, or someone else removed it
                raise
        return "deleted", row["key"]


def _operations(plan, writes):
    for row in plan.delete:  # deletions first: they make room under the row limit
        yield writes.delete, row
    for row in plan.create:
        yield writes.create, row
    for _before, row in plan.update:
        yield writes.update, row


def apply_rows(client, trail, plan, concurrency=8):
    """Send the plan's writes, ``concurrency`` in flight per token; return ``{"created": [keys], ...}``."""
    if plan.problems:
        raise InputError(plan.problems, what=table_label(plan.name))
    writes = _Writes(client, plan.table)
    if not plan.changed:
        return writes.done
    started, requests_before = time.monotonic(), client.metrics.requests
    concurrency = client.workers_for(concurrency)  # a pool of N tokens takes N times the writers
    failures, queue, running = [], iter(_operations(plan, writes)), {}
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        while True:
            while not failures and len(running) < concurrency:
                operation = next(queue, None)
                if operation is None:
                    break
                send, row = operation
                running[pool.submit(send, row)] = row["key"]
            if not running:
                break
            done = next(as_completed(list(running)))
            key = running.pop(done)
            failure = done.exception()
            if failure is None:
                outcome, written_key = done.result()
                writes.done[outcome].append(written_key)
            elif isinstance(failure, GenesysCloudError):
                failures.append((key, failure))
            else:
                raise failure
    _audit(trail, client, plan, writes.done, started, requests_before, failures)
    if failures:
        raise _failure(plan, writes.done, failures, sum(1 for _operation in queue))
    return writes.done


def _audit(trail, client, plan, done, started, requests_before, failures):
    """One audit entry for the run's row writes (a row a request would make thousands)."""
    keys = done["created"] + done["updated"] + done["deleted"]
    trail.record("datatable_rows", "write", name=plan.name, resource_id=plan.table["id"],
                 outcome="failed" if failures else "success", latency=time.monotonic() - started,
                 requests=client.metrics.requests - requests_before, correlation_id=client.last_correlation_id,
                 error=failures[0][1].code if failures else None, created=len(done["created"]),
                 updated=len(done["updated"]), deleted=len(done["deleted"]), size=len(keys),
                 first_key=min(keys) if keys else None, last_key=max(keys) if keys else None)


def _failure(plan, done, failures, not_sent):
    key, first = failures[0]
    first.message = ("%s: writing row %s failed: %s Written before it stopped: %d created, %d updated, %d deleted; "
                     "%d rows failed, %d not sent. Run the task again to write only what is still missing."
                     % (table_label(plan.name), key[:256], first.message, len(done["created"]),
                        len(done["updated"]), len(done["deleted"]), len(failures), not_sent))
    first.result_extra.update(created=len(done["created"]), updated=len(done["updated"]),
                              deleted=len(done["deleted"]), failed_keys=[k for k, _exc in failures][:100])
    return first
