"""How often a child is contacted, by risk tier (分级管理): by default every
7 days at tier 1 (high), 30 at tier 2 and 90 at tier 3."""

from __future__ import annotations

from datetime import date, timedelta

from shared.vocabulary import RISK_LEVELS

DEFAULT_CADENCE = "7,30,90"


def parse_cadence(text: str) -> dict[int, int]:
    """ "7,30,90" → contact every 7 days at tier 1, 30 at tier 2, 90 at tier 3."""
    days = [int(part) for part in text.split(",")]
    if len(days) != len(RISK_LEVELS) or min(days) < 1:
        raise ValueError(f"contact cadence must be three positive day counts, not {text!r}")
    return dict(zip(RISK_LEVELS, days, strict=True))


def contact_due(last_contact_on: date | None, assessed_on: date, cadence_days: int) -> date:
    """Next contact is due a tier's cadence after the last contact (or after
    the assessment if the child has not been visited)."""
    return (last_contact_on or assessed_on) + timedelta(days=cadence_days)
