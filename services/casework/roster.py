"""Read model: the roster list, projected from casework's own log.

Kept in memory and brought up to date from the notification log before each
read, so it is rebuildable at any time and always reads its own writes."""
from __future__ import annotations

import threading
from typing import Any

from services.casework.domain import RosterChild
from shared.eventstore import ServiceApplication


class RosterView:
    def __init__(self, app: ServiceApplication):
        self.app = app
        self.position = 0
        self.rows: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def refresh(self) -> None:
        with self._lock:
            while True:
                batch = self.app.recorder.select_notifications(
                    start=self.position, limit=1000, inclusive_of_start=False
                )
                if not batch:
                    return
                for notification in batch:
                    self._apply(self.app.mapper.to_domain_event(notification))
                    self.position = notification.id

    def _apply(self, domain_event: Any) -> None:
        if isinstance(domain_event, RosterChild.Enrolled):
            self.rows[str(domain_event.originator_id)] = {
                "child_id": domain_event.originator_id,
                "name": domain_event.name,
                "date_of_birth": domain_event.date_of_birth,
                "town": domain_event.town,
                "village": domain_event.village,
                "categories": domain_event.categories,
                "enrolled_at": domain_event.timestamp,
            }

    def list(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        keys = sorted(self.rows)
        if after is not None:
            keys = [k for k in keys if k > after]
        return [self.rows[k] for k in keys[:limit]]

    def count(self) -> int:
        self.refresh()
        return len(self.rows)
