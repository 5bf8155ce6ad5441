"""In-memory sliding-window rate limiter (one process; behind several workers each counts alone)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class SlidingWindowLimiter:
    """At most ``limit`` requests per ``window`` seconds for each identity.

    >>> limiter = SlidingWindowLimiter(limit=2, window=60)
    >>> limiter.hit("key", now=0.0), limiter.hit("key", now=1.0), limiter.hit("key", now=2.0)
    (None, None, 58)
    """

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def hit(self, identity: str, now: float | None = None) -> int | None:
        """Count one request; returns None when allowed, else the seconds to wait (Retry-After)."""
        if self.limit <= 0:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            self._calls += 1
            if self._calls % 1024 == 0:
                self._sweep(now)
            hits = self._hits.setdefault(identity, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            return None

    def _sweep(self, now: float) -> None:
        """Forget identities with no request inside the window, so memory stays bounded."""
        stale = [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for key in stale:
            del self._hits[key]
