"""What every grants use case builds on: the read models it keeps, and how a
decision is dated. Loading, saving and the clock come from
shared.eventstore.ServiceApplication."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.grants.exceptions import GrantsRuleViolation
from services.grants.views import GrantsViews
from shared.errors import refuse
from shared.eventstore import ServiceApplication


class GrantsBase(ServiceApplication):
    views: GrantsViews
    places: Mapping[str, frozenset[str]]  # town → its villages (shared/places.json): contracts' service areas
    # Days after a quarter's end its written report is due (REPORT_DUE_DAYS, default 10; §五.(三).4).
    report_due_days: int

    def _on(self, value: date | None, field: str) -> date:
        """A decision's date: today unless given (paper decisions are entered
        after the fact), and never in the future, so no rule that waits for a
        date can be passed by dating a decision ahead."""
        today = self.clock()
        if value is None:
            return today
        if value > today:
            refuse(field, f"is in the future (today is {today})", error=GrantsRuleViolation)
        return value
