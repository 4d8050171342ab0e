"""Registers as they stood (issue 17 item 4), for every service's lists: a
read model rebuilt from the service's own log up to a position, or up to the
last position recorded by the end of a date on the programme's calendar.

`AsOfQuery` is the one query shape (`?as_of=` or `?as_of_position=`, never
both); `PastRegisters` turns it into a position and the day it stands on,
and keeps the few read models most recently rebuilt (an export reads one page
after another; a later position folds on from a copy of the latest kept one
before it, shared/projection.py `as_at`). A record read straight from the
store (not a read model) is loaded at `version_at(position)`."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from marshmallow import ValidationError, fields, validate, validates_schema

from shared.audit.log import LogReader
from shared.audit.replay import moment_at, position_before
from shared.clock import programme_date, start_of_next_day
from shared.errors import refuse
from shared.eventstore import ServiceApplication
from shared.projection import Projection
from shared.validation import StrictSchema

KEPT = 4  # rebuilt read models kept per read model, by position

P = TypeVar("P", bound=Projection)
T = TypeVar("T")


class AsOfQuery(StrictSchema):
    """A register as it stood: rebuilt from the service's log up to a date's
    end (the programme's calendar) or up to a log position; the answer names
    the position it was rebuilt at."""

    as_of = fields.Date(
        load_default=None,
        metadata={"description": "the register as it stood at the end of this date (programme's calendar, YYYY-MM-DD)"},
    )
    as_of_position = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0),
        metadata={"description": "the register as it stood at this position of the service's log"},
    )

    @validates_schema
    def _one_point(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("as_of") is not None and data.get("as_of_position") is not None:
            raise ValidationError("give as_of or as_of_position, not both", "as_of_position")


class PastRegisters:
    def __init__(self, app: ServiceApplication, kept: int = KEPT):
        self.app = app
        self.kept = kept
        self.views: dict[str, OrderedDict[int, Projection]] = {}
        self.positions: dict[date, int] = {}  # a past date's end → its position (today's still moves)
        self.lock = threading.Lock()

    def read(
        self, projection: P, as_of: date | None, as_of_position: int | None, read: Callable[[P, date], T]
    ) -> tuple[T, int]:
        """`read(view, day)` on the read model now (today), or rebuilt at the
        point asked for (on the day it stands at); with the position read at."""
        if as_of is None and as_of_position is None:
            found = read(projection, self.app.clock())
            return found, projection.position
        position, day = self.point(as_of, as_of_position)
        return read(self.view(projection, position), day), position

    def point(self, as_of: date | None, as_of_position: int | None) -> tuple[int, date]:
        """The log position to rebuild at and the day it stands on (422 past
        now); now (the head, today) when neither is given."""
        today = self.app.clock()
        if as_of is not None:
            if as_of > today:
                refuse("as_of", f"is after today ({today.isoformat()}): a register cannot be rebuilt ahead of its log")
            if as_of == today:  # the day is not over: new records still count
                return position_before(self.app, start_of_next_day(as_of)), as_of
            with self.lock:
                known = self.positions.get(as_of)
            if known is None:
                known = position_before(self.app, start_of_next_day(as_of))
                with self.lock:
                    self.positions[as_of] = known
            return known, as_of
        head = self.app.head_position()
        if as_of_position is None:
            return head, today
        if as_of_position > head:
            refuse("as_of_position", f"is beyond the end of {self.app.name}'s log ({head})")
        moment = moment_at(self.app, as_of_position)
        return as_of_position, today if moment is None else programme_date(moment)

    def view(self, projection: P, position: int) -> P:
        """The read model rebuilt up to `position` (kept for the next page)."""
        with self.lock:
            kept = self.kept_of(projection)
            found = kept.get(position)
            if found is None:
                earlier = max((p for p in kept if p < position), default=None)
                start = None if earlier is None else kept[earlier]
                found = kept[position] = projection.as_at(position, after=start)
                while len(kept) > self.kept:
                    kept.popitem(last=False)
            kept.move_to_end(position)
            return found  # type: ignore[return-value]  # kept[...] holds copies of `projection`

    def kept_of(self, projection: Projection) -> OrderedDict[int, Projection]:
        return self.views.setdefault(type(projection).__qualname__, OrderedDict())

    def version_at(self, aggregate_id: UUID, position: int) -> int | None:
        """The record's last version recorded at or before `position` (None if
        it did not exist yet)."""
        versions = [v for v, p in LogReader(self.app).positions(aggregate_id).items() if p <= position]
        return max(versions, default=None)
