# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request trace: one line per request attempt, with nothing secret in it.

The transport calls its ``trace`` with a dict per attempt (``Transport._trace``): method, host,
path, query, status or error name, attempt number, seconds waited before it, milliseconds,
correlation id and, with a pool of tokens, the token's number. It never sees a header, a body or a token. :func:`trace_line` turns one into text;
record keys (the record id in ``/customobjects/{schema}/records/{id}``) are shown only when
``show_keys`` (``-vvvv``), else replaced by ``{id}``.

Where the lines go is the caller's choice: an action plugin shows them live through Display
(``plugin_utils/trace_sink.py``); a module process collects them with :class:`TraceCollector` and
returns them as ``genesys_trace`` in its result, which the action shows and removes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

TRACE_ENV = "GENESYSCLOUD_TRACE"
TRACE_VAR = "genesys_trace"
RESULT_KEY = "genesys_trace"
MAX_LINES = 2000
_RECORD_KEY = re.compile(r"(/customobjects/[^/]+/records/)(?!bulk/remove$)([^/?]+)")


def redact_keys(path):
    """``path`` with the record id after ``/records/`` replaced by ``{id}``."""
    return _RECORD_KEY.sub(r"\1{id}", path)


def trace_line(event, show_keys=False):
    """``GET /api/v2/...?pageSize=25 -> 200 attempt 1 wait 0.000 s 12 ms correlation abc`` for one event."""
    path = event.get("path") or ""
    if not show_keys:
        path = redact_keys(path)
    query = event.get("query")
    outcome = event.get("status") if event.get("status") is not None else "failed (%s)" % event.get("error")
    line = "genesys.cloud request: %s %s%s%s -> %s, attempt %s, waited %.3f s, %s ms, correlation id %s" % (
        event.get("method"), event.get("host") or "", path, "?" + query if query else "", outcome,
        event.get("attempt"), event.get("wait") or 0.0, event.get("ms"), event.get("correlation_id") or "-")
    if event.get("token"):
        line += ", token %s of the pool" % event["token"]  # its number, never the token
    return line


class TraceCollector:
    """Keeps the trace lines of a module process (at most ``MAX_LINES``) to return in its result."""

    def __init__(self, show_keys=False):
        self.show_keys = show_keys
        self.lines = []
        self.dropped = 0

    def __call__(self, event):
        if len(self.lines) < MAX_LINES:
            self.lines.append(trace_line(event, self.show_keys))
        else:
            self.dropped += 1

    def result(self):
        lines = list(self.lines)
        if self.dropped:
            lines.append("genesys.cloud request: %d more request(s) not shown" % self.dropped)
        return lines
