"""Retried POSTs: what a request under an Idempotency-Key asked and answered."""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.domain import Aggregate, event

_IDEMPOTENCY = uuid.UUID("5f3b9a7e-1c2d-4e8f-9a0b-6c7d8e9f0a1b")

STARTED, COMPLETED, UNCERTAIN, ABANDONED = "started", "completed", "uncertain", "abandoned"


class IdempotentRequest(Aggregate):
    """One client's POST under one Idempotency-Key: what it asked (a fingerprint
    of method, path and body) and, once known, the answer it got."""

    @staticmethod
    def create_id(caller: str, key: str) -> uuid.UUID:
        return uuid.uuid5(_IDEMPOTENCY, f"{caller}\n{key}")

    @event("Started")
    def __init__(self, caller: str, key: str, fingerprint: str, method: str, path: str):
        self.caller = caller
        self.key = key
        self.fingerprint = fingerprint
        self.method = method
        self.path = path
        self.state = STARTED
        self.response: dict[str, Any] | None = None

    @event("Completed")
    def complete(self, status: int, body: str, location: str | None) -> None:
        self.state = COMPLETED
        self.response = {"status": status, "body": body, "location": location}

    @event("Uncertain")
    def mark_uncertain(self, reason: str) -> None:
        """The service may still act on the first attempt (it did not answer in time)."""
        self.state = UNCERTAIN

    @event("Abandoned")
    def abandon(self, reason: str) -> None:
        """The first attempt certainly had no effect; a retry may run it again."""
        self.state = ABANDONED

    @event("Restarted")
    def restart(self) -> None:
        self.state = STARTED
