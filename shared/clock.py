"""The programme's calendar: "today" is the date in the programme's time zone
(PROGRAMME_TIMEZONE, default Asia/Shanghai), whatever zone the server runs in,
so a decision made at 07:30 in Zhongwei is not dated the previous (UTC) day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from shared.config import programme_zone


def programme_today(now: datetime | None = None) -> date:
    """`now` (an aware instant) is for tests; by default the current instant."""
    return (now or datetime.now(UTC)).astimezone(programme_zone()).date()


def start_of_next_day(day: date) -> datetime:
    """The first instant after `day` ends on the programme's calendar: a list
    "as of" a date holds what was recorded before it."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=programme_zone())


def programme_date(moment: datetime) -> date:
    return moment.astimezone(programme_zone()).date()
