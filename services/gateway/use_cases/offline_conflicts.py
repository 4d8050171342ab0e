"""Offline submissions the server refused on arrival: recorded by the route
guard (services/gateway/web/offline.py), listed to the bureau and to the
director who sent them, resolved by the bureau with a note."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from services.gateway.domain.offline_conflicts import OfflineConflict
from services.gateway.use_cases.base import GatewayBase, stored_topics
from shared.errors import ConcurrentChange, NotFound

CONFLICT_RECORDED = stored_topics(OfflineConflict.Recorded)  # type: ignore[attr-defined]  # made by @event


class OfflineConflictNotFound(NotFound):
    what = "offline conflict"


def as_row(conflict: OfflineConflict) -> dict[str, Any]:
    return {
        "conflict_id": str(conflict.id),
        "actor": conflict.actor,
        "role": conflict.role,
        "route": conflict.route,
        "path": conflict.path,
        "fields_sent": list(conflict.fields_sent),
        "captured_at": conflict.captured_at,
        "received_at": conflict.received_at,
        "status": conflict.status,
        "error": conflict.error,
        "message": conflict.message,
        "reasons": dict(conflict.reasons),
        "resolved": dict(conflict.resolved) if conflict.resolved else None,
    }


class OfflineConflictUseCases(GatewayBase):
    def record_offline_conflict(self, idempotency_key: str | None, **recorded: Any) -> None:
        """Records the refusal once: a resend under the same key finds it recorded
        (a submission sent without a key is recorded under a key of its own)."""
        key = idempotency_key or uuid.uuid4().hex
        if self.find(OfflineConflict, OfflineConflict.create_id(recorded["actor"], key)) is not None:
            return
        try:
            self.save_or_conflict(OfflineConflict(idempotency_key=key, **recorded))
        except ConcurrentChange:
            pass  # a concurrent resend recorded it first

    def offline_conflicts(
        self, after: int, limit: int, actor: str | None = None, open_only: bool = False
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Conflicts in the order they were recorded, optionally one sender's or
        the unresolved only; the second value is the next page's cursor."""
        rows: list[dict[str, Any]] = []
        position = after
        batch = max(limit * 4, 100)
        while len(rows) <= limit:
            found = self.recorder.select_notifications(position + 1, batch, topics=CONFLICT_RECORDED)
            for notification in found:
                position = notification.id
                conflict: OfflineConflict = self.repository.get(cast(UUID, notification.originator_id))
                if (actor and conflict.actor != actor) or (open_only and conflict.resolved):
                    continue
                rows.append({**as_row(conflict), "position": notification.id})
                if len(rows) > limit:
                    break
            if len(found) < batch:
                break
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, (rows[-1]["position"] if more and rows else None)

    def resolve_offline_conflict(self, conflict_id: UUID, by: str, note: str, at: datetime) -> dict[str, Any]:
        conflict = self.find(OfflineConflict, conflict_id)
        if conflict is None:
            raise OfflineConflictNotFound(conflict_id)
        conflict.resolve(by, note, at)
        try:
            self.save_or_conflict(conflict)
        except ConcurrentChange:
            raise ConcurrentChange(str(conflict_id)) from None
        return as_row(conflict)
