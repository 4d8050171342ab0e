"""A submission recorded offline on a phone (a visit, a new child file) that
the server refused when it arrived: who sent it, what it was, why it was
refused, and, once the bureau has dealt with it, who resolved it and how.

What the submission said is not kept, only which fields it filled: the
director's phone keeps the submission itself (DESIGN.md §7, keep no more
personal data than the work needs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict

_OFFLINE_CONFLICT = uuid.UUID("8d7c6b5a-4e3f-4a1b-9c8d-7e6f5a4b3c2d")
MAX_NOTE = 2000


class AlreadyResolved(Conflict):
    code = "ALREADY_RESOLVED"

    def __str__(self) -> str:
        return "this conflict was already resolved"


class OfflineConflict(Aggregate):
    @staticmethod
    def create_id(actor: str, idempotency_key: str) -> uuid.UUID:
        """One conflict per submission: every resend under its key is the same one."""
        return uuid.uuid5(_OFFLINE_CONFLICT, f"{actor}\n{idempotency_key}")

    @event("Recorded")
    def __init__(
        self,
        actor: str,
        idempotency_key: str,
        role: str,
        route: str,
        path: str,
        fields_sent: list[str],
        captured_at: datetime,
        received_at: datetime,
        status: int,
        error: str,
        message: str,
        reasons: dict[str, Any],
    ):
        self.actor = actor
        self.idempotency_key = idempotency_key
        self.role = role
        self.route = route
        self.path = path
        self.fields_sent = fields_sent
        self.captured_at = captured_at
        self.received_at = received_at
        self.status = status
        self.error = error
        self.message = message
        self.reasons = reasons
        self.resolved: dict[str, Any] | None = None

    def resolve(self, by: str, note: str, at: datetime) -> None:
        if self.resolved is not None:
            raise AlreadyResolved()
        self._resolved(by, note, at)

    @event("Resolved")
    def _resolved(self, by: str, note: str, at: datetime) -> None:
        self.resolved = {"by": by, "note": note, "at": at}
