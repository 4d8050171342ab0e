"""Small checks shared by the casework domain modules: each refuses (raises
shared.errors.RuleViolation) or returns nothing."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date

from shared.errors import refuse

MAX_SESSION_MINUTES = 600


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def not_in_future(field: str, day: date, today: date) -> None:
    if day > today:
        refuse(field, f"{day.isoformat()} is in the future (today is {today.isoformat()})")


def not_before(field: str, day: date, earliest: date, what: str) -> None:
    if day < earliest:
        refuse(field, f"{day.isoformat()} is before {what} ({earliest.isoformat()})")


def no_duplicates(field: str, values: Iterable[Hashable]) -> None:
    seen: set[Hashable] = set()
    repeated: list[str] = []
    for value in values:
        if value in seen:
            repeated.append(str(value))
        seen.add(value)
    if repeated:
        refuse(field, f"listed more than once: {', '.join(sorted(set(repeated)))}")


def session_minutes(minutes: int) -> None:
    """A case, group or supervision session lasts 1 minute to 10 hours."""
    if not 1 <= minutes <= MAX_SESSION_MINUTES:
        refuse("duration_minutes", f"must be between 1 and {MAX_SESSION_MINUTES}")


def one_of(field: str, value: str, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        refuse(field, f"must be one of {', '.join(allowed)}")
