"""Read models projected from a service's own notification log.

A projection keeps its rows in memory and its position in the log; before each
read it applies whatever was recorded since, so it reads its own writes, and it
can be rebuilt at any time by starting again from zero. Subclasses implement
`apply(domain_event)`; everything else is here.
"""
from __future__ import annotations

import threading
from typing import Any

from shared.eventstore import ServiceApplication

BATCH = 1000


class Projection:
    def __init__(self, app: ServiceApplication):
        self.app = app
        self.position = 0
        self._lock = threading.Lock()

    def apply(self, domain_event: Any) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget everything; the next refresh rebuilds from the start of the log."""
        raise NotImplementedError

    def refresh(self) -> int:
        """Apply everything recorded since the last refresh; returns how many."""
        applied = 0
        with self._lock:
            while True:
                batch = self.app.recorder.select_notifications(
                    start=self.position, limit=BATCH, inclusive_of_start=False
                )
                if not batch:
                    return applied
                for notification in batch:
                    self.apply(self.app.mapper.to_domain_event(notification))
                    self.position = notification.id
                applied += len(batch)

    def rebuild(self) -> int:
        with self._lock:
            self.reset()
            self.position = 0
        return self.refresh()
