"""Who read which child's file: recorded by the route guard, read by auditors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.gateway.domain import ChildFileRead
from services.gateway.use_cases.base import GatewayBase, stored_topics
from shared.clock import programme_date

CHILD_FILE_READ = stored_topics(ChildFileRead.Recorded)  # type: ignore[attr-defined]  # made by @event


class AccessLogUseCases(GatewayBase):
    def record_child_read(
        self, actor: str, role: str, child_id: str, route: str, path: str, status: int, at: datetime
    ) -> None:
        # Concurrent reads are recorded in one transaction: each is answered
        # only once its own record is committed, as before.
        self.save_grouped(ChildFileRead(actor, role, child_id, route, path, status, at))

    def access_log(
        self,
        after: int,
        limit: int,
        child_id: str | None = None,
        actor: str | None = None,
        read_from: date | None = None,
        read_to: date | None = None,
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Reads in the order they happened, optionally for one child or one
        actor, on days (the programme's calendar) from `read_from` to `read_to`;
        the second value is the cursor of the next page, if any."""
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
                if (read_from or read_to) and not _within(programme_date(read.at), read_from, read_to):
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


def _within(day: date, first: date | None, last: date | None) -> bool:
    return (first is None or day >= first) and (last is None or day <= last)
