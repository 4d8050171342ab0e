"""Sign-in attempts under one name, and when they lock it out."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from eventsourcing.domain import Aggregate, event

_ATTEMPTS = uuid.UUID("a3e1f0c2-5d4b-4c8a-9e7f-1b2c3d4e5f60")
LOCKED_OUT = "locked out"


class LoginAttempts(Aggregate):
    """Sign-in attempts under one username (known or not). Each attempt is
    counted before its password is checked, so guesses sent in parallel cannot
    slip past the count; a success resets it. Failures in a row beyond the free
    ones lock the name out, for twice as long with each further failure.
    Attempts refused during a lock-out do not extend it, and only the first is
    recorded as itself: the rest are counted (RefusalsCounted) once the
    lock-out is over, so hammering a locked name cannot flood the store."""

    # Whether this lock-out's first refusal is recorded. A class default, so
    # snapshots taken before it existed still load.
    lock_out_refusal_recorded = False

    @staticmethod
    def create_id(username: str) -> uuid.UUID:
        return uuid.uuid5(_ATTEMPTS, username.lower())

    @event("Opened")
    def __init__(self, username: str):
        self.username = username
        self.failures_in_a_row = 0
        self.last_failure_at: datetime | None = None

    @event("Attempted")
    def attempt(self, at: datetime, remote_address: str) -> None:
        self.failures_in_a_row += 1
        self.last_failure_at = at
        self.lock_out_refusal_recorded = False

    @event("Refused")
    def refuse(self, at: datetime, remote_address: str, reason: str) -> None:
        """Why an attempt failed (it was already counted, unless locked out)."""
        if reason == LOCKED_OUT:
            self.lock_out_refusal_recorded = True

    @event("RefusalsCounted")
    def count_refusals(self, count: int) -> None:
        """Attempts refused during a lock-out after its first, which were not recorded one by one."""

    @event("Succeeded")
    def succeed(self, at: datetime, remote_address: str) -> None:
        self.failures_in_a_row = 0

    def locked_until(self, free_failures: int, base_seconds: int, max_seconds: int) -> datetime | None:
        over = self.failures_in_a_row - free_failures
        if over < 0 or self.last_failure_at is None:
            return None
        return self.last_failure_at + timedelta(seconds=min(base_seconds * 2**over, max_seconds))
