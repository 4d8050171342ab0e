"""Read model: the roster list, projected from casework's own log."""
from __future__ import annotations

from typing import Any

from services.casework.domain import RosterChild
from shared.projection import Projection


class RosterView(Projection):
    def reset(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def apply(self, domain_event: Any) -> None:
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
        elif isinstance(domain_event, RosterChild.DetailsCorrected):
            row = self.rows[str(domain_event.originator_id)]
            if domain_event.field in row:
                row[domain_event.field] = domain_event.value
        elif isinstance(domain_event, RosterChild.LeftBehindEnded):
            row = self.rows[str(domain_event.originator_id)]
            row["categories"] = [c for c in row["categories"] if c != "left_behind"]

    def list(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        keys = sorted(self.rows)
        if after is not None:
            keys = [k for k in keys if k > after]
        return [self.rows[k] for k in keys[:limit]]

    def count(self) -> int:
        self.refresh()
        return len(self.rows)
