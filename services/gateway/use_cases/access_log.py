"""Who read which child's file: recorded by the route guard, read by auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.gateway.domain import ChildFileRead
from services.gateway.use_cases.base import GatewayBase, stored_topics

CHILD_FILE_READ = stored_topics(ChildFileRead.Recorded)  # type: ignore[attr-defined]  # made by @event


class AccessLogUseCases(GatewayBase):
    def record_child_read(
        self, actor: str, role: str, child_id: str, route: str, path: str, status: int, at: datetime
    ) -> None:
        # Concurrent reads are recorded in one transaction: each is answered
        # only once its own record is committed, as before.
        self.save_grouped(ChildFileRead(actor, role, child_id, route, path, status, at))

    def access_log(
        self, after: int, limit: int, child_id: str | None = None, actor: str | None = None
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Reads in the order they happened, optionally for one child or one
        actor; the second value is the cursor of the next page, if any."""
        rows: list[dict[str, Any]] = []
        position = after
        batch = max(limit * 4, 100)
        while len(rows) <= limit:
            found = self.recorder.select_notifications(position + 1, batch, topics=CHILD_FILE_READ)
            for notification in found:
                # a ChildFileRead.Recorded: made by @event, so mypy cannot see its fields
                read: Any = self.mapper.to_domain_event(notification)
                position = notification.id
                if (child_id and read.child_id != child_id) or (actor and read.actor != actor):
                    continue
                rows.append(
                    {
                        "position": notification.id,
                        "actor": read.actor,
                        "role": read.role,
                        "child_id": read.child_id,
                        "route": read.route,
                        "path": read.path,
                        "status": read.status,
                        "at": read.at,
                    }
                )
                if len(rows) > limit:
                    break
            if len(found) < batch:
                break
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, (rows[-1]["position"] if more and rows else None)
