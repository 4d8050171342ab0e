"""The contract's term (卫沙民社函〔2025〕11号 §三.(一): the project runs one year; 五.(三): it is
implemented within the call's implementation window, 2025-07 to 2026-06 in the
notice). A term that departs from either is refused unless the bureau records
why."""

from __future__ import annotations

from datetime import date, timedelta

from services.grants.domain.errors import GrantsRuleViolation


def one_year_end(start: date) -> date:
    """The last day of a one-year term: the day before the anniversary
    (a term starting 29 February ends on 28 February)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def term_departures(period_start: date, period_end: date, window_start: date, window_end: date) -> dict[str, list[str]]:
    """Field → how the period departs from one year inside the window."""
    found: dict[str, list[str]] = {}
    window = f"the call's implementation window {window_start} to {window_end} (五.(三))"
    if period_end != one_year_end(period_start):
        found.setdefault("period_end", []).append(
            f"the contract runs one year (三.(一)): from {period_start} it ends on {one_year_end(period_start)}"
        )
    if period_start < window_start:
        found.setdefault("period_start", []).append(f"is before {window}")
    if period_end > window_end:
        found.setdefault("period_end", []).append(f"is after {window}")
    return found


def check_term(period_start: date, period_end: date, window_start: date, window_end: date, reason: str) -> list[str]:
    """The departures the bureau's `reason` covers; refused when there are
    departures and no reason."""
    found = term_departures(period_start, period_end, window_start, window_end)
    if found and not reason.strip():
        hint = "the bureau may sign it only with a recorded term_reason"
        raise GrantsRuleViolation({field: [*messages, hint] for field, messages in found.items()})
    return [f"{field}: {message}" for field, messages in sorted(found.items()) for message in messages]
