"""What every grants use case builds on: the clock, loading aggregates by
kind, decision dates, and atomic saves."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.grants.exceptions import ConcurrentUpdate, refuse
from shared.clock import programme_today
from shared.eventstore import ServiceApplication
from shared.errors import NotFound

T = TypeVar("T")


class GrantsBase(ServiceApplication):
    name = "grants"
    clock: Callable[[], date] = staticmethod(programme_today)

    def _load(self, kind: type[T], record_id: UUID, not_found: type[NotFound]) -> T:
        try:
            found = self.repository.get(record_id)
        except AggregateNotFoundError:
            raise not_found(record_id) from None
        if not isinstance(found, kind):
            raise not_found(record_id)
        return found

    def _on(self, value: date | None, field: str) -> date:
        """A decision's date: today unless given (paper decisions are entered
        after the fact), and never in the future, so no rule that waits for a
        date can be passed by dating a decision ahead."""
        today = self.clock()
        if value is None:
            return today
        if value > today:
            raise refuse(field, f"is in the future (today is {today})")
        return value

    def _save(self, *aggregates: Any, record: str = "record") -> None:
        """All or nothing; a concurrent change to any of them refuses the whole."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise ConcurrentUpdate(record) from None
