"""Failed sign-ins per client address: a token bucket each, in this gateway
process's memory. A name's lock-out (LoginAttempts) stops guessing one
password; this stops one address from guessing many, and from flooding the
store with attempts on a locked name (about 17 a second from one client, each
an event, before it existed). Refused here, an attempt touches nothing stored.

Each gateway process keeps its own buckets: with N replicas an address gets N
times the budget, and a restart forgets it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

# Addresses remembered at most; beyond it the ones whose budget is whole are forgotten first.
MAX_ADDRESSES = 10_000


@dataclass
class _Bucket:
    tokens: float
    at: float


class FailedSignInBudget:
    """Up to `burst` failed sign-ins from one address, refilled at `per_minute`."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic):
        self.burst = burst
        self.per_second = per_minute / 60
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def wait_for(self, address: str) -> int:
        """Seconds until this address may try again (0: it may now)."""
        bucket = self._refilled(address)
        if bucket is None or bucket.tokens >= 1:
            return 0
        return max(1, math.ceil((1 - bucket.tokens) / self.per_second))

    def spend(self, address: str) -> None:
        """Count one failed sign-in from this address."""
        bucket = self._refilled(address) or _Bucket(float(self.burst), self.clock())
        bucket.tokens = max(bucket.tokens - 1, 0.0)
        self._buckets[address] = bucket
        if len(self._buckets) > MAX_ADDRESSES:
            self._forget_whole_buckets()

    def _refilled(self, address: str) -> _Bucket | None:
        bucket = self._buckets.get(address)
        if bucket is not None:
            now = self.clock()
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.per_second)
            bucket.at = now
        return bucket

    def _forget_whole_buckets(self) -> None:
        for address in list(self._buckets):
            bucket = self._refilled(address)
            if bucket is not None and bucket.tokens >= self.burst:
                del self._buckets[address]
        while len(self._buckets) > MAX_ADDRESSES:  # all busy: the oldest go
            del self._buckets[next(iter(self._buckets))]
