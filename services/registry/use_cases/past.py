"""Registers as they stood (issue 17): the children list, the home visits and
the overdue contacts rebuilt from the registry's log up to a position, or up
to the last position recorded by the end of a date on the programme's
calendar (shared/past_registers.py). The rebuilt lists are the same read
model (ChildrenView) folded only that far; the answer names the position."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from services.registry.use_cases.base import RegistryBase
from services.registry.views import ChildrenView


class PastRegisterUseCases(RegistryBase):
    def list_children(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> dict[str, Any]:
        return self._as_at(
            as_of, as_of_position, lambda view, _today: view.list_children(limit=limit, cursor=cursor, **filters)
        )

    def list_visits(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> dict[str, Any]:
        return self._as_at(
            as_of, as_of_position, lambda view, _today: view.list_visits(limit=limit, cursor=cursor, **filters)
        )

    def overdue_contacts(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> dict[str, Any]:
        """Overdue as of the day the list stands at (today for the list now)."""
        return self._as_at(
            as_of,
            as_of_position,
            lambda view, today: view.overdue_contacts(today=today, limit=limit, cursor=cursor, **filters),
        )

    def _as_at(
        self, as_of: date | None, as_of_position: int | None, read: Callable[[ChildrenView, date], dict[str, Any]]
    ) -> dict[str, Any]:
        page, position = self.past.read(self.children, as_of, as_of_position, read)
        return {**page, "as_of_position": position}
