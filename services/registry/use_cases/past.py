"""Registers as they stood (issue 17): the children list, the home visits and
the overdue contacts rebuilt from the registry's log up to a position, or up
to the last position recorded by the end of a date on the programme's
calendar. The rebuilt lists are the same read model (ChildrenView) folded
only that far (shared/projection.py `as_at`); the few most recently asked
for are kept, since an export reads one page after another, and a later
position folds on from a copy of the latest kept one before it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from services.registry.use_cases.base import RegistryBase
from services.registry.views import ChildrenView
from shared.audit.replay import moment_at, position_before
from shared.clock import programme_date, start_of_next_day
from shared.errors import refuse

KEPT = 4  # rebuilt lists kept, by position


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

    # -- rebuilding -------------------------------------------------------------------

    def _as_at(
        self, as_of: date | None, as_of_position: int | None, read: Callable[[ChildrenView, date], dict[str, Any]]
    ) -> dict[str, Any]:
        if as_of is None and as_of_position is None:
            page = read(self.children, self.clock())
            return {**page, "as_of_position": self.children.position}
        position, day = self._point(as_of, as_of_position)
        return {**read(self._past_view(position), day), "as_of_position": position}

    def _point(self, as_of: date | None, as_of_position: int | None) -> tuple[int, date]:
        """The log position to rebuild at and the day it stands on (422 past now)."""
        today = self.clock()
        if as_of is not None:
            if as_of > today:
                refuse("as_of", f"is after today ({today.isoformat()}): a register cannot be rebuilt ahead of its log")
            if as_of == today:  # the day is not over: new records still count
                return position_before(self, start_of_next_day(as_of)), as_of
            with self.past_lock:
                known = self.past_positions.get(as_of)
            if known is None:
                known = position_before(self, start_of_next_day(as_of))
                with self.past_lock:
                    self.past_positions[as_of] = known
            return known, as_of
        assert as_of_position is not None
        head = self.head_position()
        if as_of_position > head:
            refuse("as_of_position", f"is beyond the end of the registry's log ({head})")
        moment = moment_at(self, as_of_position)
        return as_of_position, today if moment is None else programme_date(moment)

    def _past_view(self, position: int) -> ChildrenView:
        with self.past_lock:
            kept = self.past_views.get(position)
            if kept is None:
                # fold on from the latest kept list before it, if any
                earlier = max((p for p in self.past_views if p < position), default=None)
                start = None if earlier is None else self.past_views[earlier]
                kept = self.past_views[position] = self.children.as_at(position, after=start)
                while len(self.past_views) > KEPT:
                    self.past_views.popitem(last=False)
            self.past_views.move_to_end(position)
            return kept
