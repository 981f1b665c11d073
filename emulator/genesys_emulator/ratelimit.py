"""Per-token sliding-window rate limiting (see docs/emulator.md for the header semantics)."""

import math
import threading
import time
from collections import deque

WINDOW_SECONDS = 60.0  # the contract's window; the `rate_window` setting may shorten it for tests


class RateLimiter:
    def __init__(self):
        self._lock = threading.Lock()
        self._windows = {}

    def clear(self):
        with self._lock:
            self._windows.clear()

    def _prune(self, key, now, seconds):
        window = self._windows.setdefault(key, deque())
        while window and window[0] <= now - seconds:
            window.popleft()
        return window

    @staticmethod
    def _reset(window, now, seconds, step=1):
        """Seconds until the oldest request leaves, rounded up to a multiple of ``step`` (the contract: whole seconds)."""
        if not window:
            return 0
        if step == 1:
            return max(1, math.ceil(window[0] + seconds - now))
        steps = max(1, math.ceil(round((window[0] + seconds - now) / step, 6)))
        return round(steps * step, 3)

    def hit(self, key, limit, seconds=WINDOW_SECONDS, step=1):
        """Count a request; returns (allowed, count, reset_seconds). A rejected request is not counted."""
        now = time.monotonic()
        with self._lock:
            window = self._prune(key, now, seconds)
            if len(window) >= limit:
                return False, len(window), self._reset(window, now, seconds, step)
            window.append(now)
            return True, len(window), self._reset(window, now, seconds, step)

    def peek(self, key, seconds=WINDOW_SECONDS, step=1):
        """(count, reset_seconds) without counting, for responses that were not counted."""
        now = time.monotonic()
        with self._lock:
            if key is None:
                return 0, 0
            window = self._prune(key, now, seconds)
            return len(window), self._reset(window, now, seconds, step)
