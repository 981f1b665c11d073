# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rate-limit pacing for one token or a pool of tokens, exact under any number of threads.

The service limits each token to ``allowed`` requests in any sliding window and says, on every
answer, how many requests the window held when it counted that request (``inin-ratelimit-count``)
and in how many seconds its oldest request leaves (``inin-ratelimit-reset``). Admission here is a
reservation made under one lock before a request is sent: a thread takes a slot of a token whose
known budget has one left, or waits. Answers only ever raise the budget to what they prove.

What an answer proves. A request ``r`` was counted with ``count`` requests in the window. Every
request the server may have counted after ``r`` was either in flight when ``r`` was sent or sent
after it; the pacer knows how many those are (``r``'s ticket holds both numbers). So at least
``allowed - count - in_flight_when_sent(r) - sent_after(r)`` slots are free now, whatever order the
answers arrive in, because requests counted before ``r`` are already in ``count`` and the window
only frees slots as time passes. Each such figure is a lower bound, so the budget is the largest
of them, less one for every slot reserved since. Two threads can therefore never both take the
last slot, and a late answer cannot give back a slot a newer one spent: the race that earned a
429 once in a few loads near the limit.

When a token's budget is spent, the pacer waits until its window's oldest request has left
(the latest ``reset`` any answer announced) and then, with nothing of that token in flight, sends
one request (a probe) whose answer gives the new budget. A token nothing is known about yet (a
new one, or one another task of the run used) is probed the same way: one request, then the
budget its answer gives.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time


class Ticket:
    """One admitted request: which token it may use, and what the pacer needs to read its answer."""

    __slots__ = ("member", "sequence", "in_flight_when_sent", "waited")

    def __init__(self, member, sequence, in_flight_when_sent, waited):
        self.member = member
        self.sequence = sequence
        self.in_flight_when_sent = in_flight_when_sent
        self.waited = waited


class _TokenBudget:
    """What one token's answers said: its limit, the slots known to be free, when its window frees one."""

    def __init__(self):
        self.allowed = None      # None until an answer carried the headers
        self.free = 0            # a lower bound of the free slots, less the ones reserved since
        self.reset_at = 0.0      # when the oldest request any answer saw leaves the window
        self.in_flight = 0
        self.sequence = 0        # reservations made so far
        self.unlimited = False   # the server answered without rate-limit headers: nothing to pace

    def admits(self, now, reserve):
        """True when one more request may go out now on this token."""
        if self.unlimited:
            return True
        if self.allowed is None or self.free <= reserve:
            # Unknown, or spent: one probe at a time, and for a spent token only once its window moved on.
            return self.in_flight == 0 and (self.allowed is None or now >= self.reset_at)
        return True


class RateLimitPacer:
    """Admits requests for ``members`` tokens of one client, each paced by its own ``inin-ratelimit-*`` headers.

    ``acquire()`` returns a :class:`Ticket` (the token to use, ``waited`` seconds); every ticket is
    given back with ``release(ticket, headers)``, the answer's headers or ``{}`` when there was
    no answer. Requests go to the lowest-numbered token that has budget left, so a run that
    needs fewer requests than one token allows logs in once. ``reserve`` slots of each window are
    left unused, a margin for a service that counts a little differently.
    """

    def __init__(self, clock=time.monotonic, sleep=time.sleep, reserve=1, members=1):
        self._clock = clock
        self._sleep = sleep
        self._reserve = reserve
        self._cond = threading.Condition()
        self._budgets = [_TokenBudget() for _member in range(members)]

    @property
    def members(self):
        return len(self._budgets)

    def _pick(self, now):
        """The lowest-numbered token that admits a request now, or None.

        A token whose first answer is still awaited holds the others back: its answer comes within one
        round trip and usually shows room enough, so a run takes a further token (a further login)
        only once every token before it is known to be spent.
        """
        for member, budget in enumerate(self._budgets):
            if budget.admits(now, self._reserve):
                return member
            if budget.allowed is None and not budget.unlimited:
                return None
        return None

    def _pause(self, now):
        """Seconds until some token's window frees a slot (None: wait for an answer instead)."""
        waits = [budget.reset_at - now for budget in self._budgets
                 if budget.allowed is not None and budget.in_flight == 0 and budget.reset_at > now]
        return min(waits) if waits else None

    def acquire(self):
        """Wait until a request may go out, reserve its slot and return its :class:`Ticket`."""
        started = self._clock()
        waited = False
        with self._cond:
            while True:
                now = self._clock()
                member = self._pick(now)
                if member is not None:
                    break
                waited = True
                pause = self._pause(now)
                if self._sleep is time.sleep:
                    self._cond.wait(pause if pause is not None else 1.0)
                elif pause is not None:
                    # An injected sleep (tests with a fake clock): wait outside the lock.
                    self._cond.release()
                    try:
                        self._sleep(pause)
                    finally:
                        self._cond.acquire()
                else:
                    self._cond.wait(0.05)
            budget = self._budgets[member]
            budget.sequence += 1
            ticket = Ticket(member, budget.sequence, budget.in_flight, self._clock() - started if waited else 0.0)
            budget.in_flight += 1
            budget.free -= 1
        return ticket

    def release(self, ticket, headers, status=None):
        """Take what the answer to ``ticket`` proves about its token's budget, and wake waiting threads.

        ``headers`` are the answer's (``{}`` when there was none), ``status`` its HTTP status.
        """
        with self._cond:
            budget = self._budgets[ticket.member]
            budget.in_flight = max(0, budget.in_flight - 1)
            try:
                allowed = int(headers.get("inin-ratelimit-allowed"))
                count = int(headers.get("inin-ratelimit-count"))
                reset = float(headers.get("inin-ratelimit-reset"))
            except (TypeError, ValueError):
                if status is not None and 200 <= status < 300 and budget.allowed is None:
                    budget.unlimited = True  # an answer, but no limit announced: nothing to pace
                self._cond.notify_all()
                return
            budget.unlimited = False
            sent_after = budget.sequence - ticket.sequence
            proven = allowed - count - ticket.in_flight_when_sent - sent_after
            if budget.allowed is None or status == 429:
                # A 429 proves the window full, whatever was believed: something else uses this token too.
                budget.free = proven if budget.allowed is None else min(budget.free, proven)
            else:
                budget.free = max(budget.free, proven)
            budget.allowed = allowed
            budget.reset_at = max(budget.reset_at, self._clock() + max(0.0, reset))
            self._cond.notify_all()

    def ready_elsewhere(self, member):
        """True when a token of the pool other than ``member`` could take a request now."""
        with self._cond:
            now = self._clock()
            return any(budget.admits(now, self._reserve) for other, budget in enumerate(self._budgets)
                       if other != member)

    def budget(self, member=0):
        """``(allowed, free)`` of one token as known now (for tests and metrics)."""
        with self._cond:
            found = self._budgets[member]
            return found.allowed, found.free
