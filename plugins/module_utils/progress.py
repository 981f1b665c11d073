# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress of a long records run: records read, compared and written, rate and time left.

``report`` receives one human-readable line at most every ``interval`` seconds (the controller-side
action plugins pass a display callback as ``module.progress``); :meth:`Progress.stats` is what a
run returns in its result either way.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

PHASES = ("read", "compared", "written")


def _count(number):
    return "{:,}".format(number)


def _duration(seconds):
    if seconds < 90:
        return "%d s" % max(1, round(seconds))
    if seconds < 5400:
        return "%d min" % round(seconds / 60.0)
    return "%.1f h" % (seconds / 3600.0)


class Progress:
    """Counters per phase; reports from the thread that counts (the module's main thread)."""

    def __init__(self, report=None, label="records", interval=10.0, clock=time.monotonic):
        self._report = report if callable(report) else None
        self._label = label
        self._interval = interval
        self._clock = clock
        self._started = self._last = clock()
        self.counts = dict((phase, 0) for phase in PHASES)
        self.totals = dict((phase, None) for phase in PHASES)
        self._phase_started = dict((phase, None) for phase in PHASES)
        self._phase_ended = dict((phase, None) for phase in PHASES)
        self._phase = None
        self._notes = {}

    def note(self, **values):
        """Facts about the run that :meth:`stats` reports as they are."""
        self._notes.update(values)

    def expect(self, phase, total):
        """The number of records ``phase`` will count, when known (for the time left)."""
        self.totals[phase] = total

    def add(self, phase, amount=1):
        now = self._clock()
        if self._phase != phase:
            if self._phase is not None:
                self._phase_ended[self._phase] = now
            self._phase = phase
            self._phase_started[phase] = self._phase_started[phase] or now
        self.counts[phase] += amount
        if self._report is not None and now - self._last >= self._interval:
            self._last = now
            self._report(self.line(now))

    def _rate(self, phase, now):
        started = self._phase_started[phase]
        if started is None:
            return 0.0
        elapsed = (self._phase_ended[phase] or now) - started
        return self.counts[phase] / elapsed if elapsed > 0 else 0.0

    def line(self, now=None):
        """E.g. ``records: read 200,000 of 1,000,000, compared 0, written 0; 9,800 read/s, about 1 min left``."""
        now = self._clock() if now is None else now
        parts = []
        for phase in PHASES:
            text = "%s %s" % (phase, _count(self.counts[phase]))
            if self.totals[phase] is not None:
                text += " of %s" % _count(self.totals[phase])
            parts.append(text)
        line = "%s: %s" % (self._label, ", ".join(parts))
        phase = self._phase
        if phase is not None:
            rate = self._rate(phase, now)
            line += "; %s %s/s" % (_count(int(rate)), phase)
            total = self.totals[phase]
            if total is not None and rate > 0:
                line += ", about %s left" % _duration(max(0, total - self.counts[phase]) / rate)
        return line + " (%s elapsed)" % _duration(now - self._started)

    def stats(self):
        """read, compared, written, seconds, and rate (records written per second of writing)."""
        now = self._clock()
        result = dict(self.counts)
        result["seconds"] = round(now - self._started, 3)
        result["rate"] = round(self._rate("written", now), 1)
        result.update(self._notes)
        return result
