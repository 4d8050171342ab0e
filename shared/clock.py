"""The programme's calendar: "today" is the date in the programme's time zone
(PROGRAMME_TIMEZONE, default Asia/Shanghai), whatever zone the server runs in,
so a decision made at 07:30 in Zhongwei is not dated the previous (UTC) day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.config import programme_zone


def programme_today(now: datetime | None = None) -> date:
    """`now` (an aware instant) is for tests; by default the current instant."""
    return (now or datetime.now(UTC)).astimezone(programme_zone()).date()
