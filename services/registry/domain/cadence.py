"""When a child is next due a contact, by risk tier (分级管理,
卫沙民社函〔2025〕11号 §三.(四).4). The cadence itself is one programme-wide
setting (shared/config.py contact_cadence: 7 / 30 / 90 days by default)."""

from __future__ import annotations

from datetime import date, timedelta

from shared.vocabulary import DEFAULT_CONTACT_CADENCE as DEFAULT_CADENCE
from shared.vocabulary import parse_cadence

__all__ = ["DEFAULT_CADENCE", "contact_due", "parse_cadence"]


def contact_due(last_contact_on: date | None, assessed_on: date, cadence_days: int) -> date:
    """Next contact is due a tier's cadence after the last contact (or after
    the assessment if the child has not been visited)."""
    return (last_contact_on or assessed_on) + timedelta(days=cadence_days)
