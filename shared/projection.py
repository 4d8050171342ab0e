"""Read models projected from a service's own notification log.

A projection keeps its rows in memory and its position in the log; before each
read it applies whatever was recorded since, so it reads its own writes, and it
can be rebuilt at any time by starting again from zero.

Subclasses mark a method per domain event class with `@handles(Event, ...)`
and implement `reset()`; the dispatch is by class, so renaming an event class
cannot silently stop a list from updating.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, Self

from shared.eventstore import ServiceApplication

BATCH = 1000
_HANDLED = "_projection_handles"


def handles(*event_classes: type) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Marks a projection method as the one that applies these domain events."""

    def mark(method: Callable[..., None]) -> Callable[..., None]:
        setattr(method, _HANDLED, (*getattr(method, _HANDLED, ()), *event_classes))
        return method

    return mark


class Projection:
    _handlers: dict[type, str] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, str] = {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                for event_class in getattr(member, _HANDLED, ()):
                    handlers[event_class] = name
        cls._handlers = handlers

    def __init__(self, app: ServiceApplication):
        self.app = app
        self.position = 0
        self._lock = threading.Lock()
        # Set on a copy rebuilt as the log stood at a position (as_at): it never refreshes.
        self.frozen_at: int | None = None

    def apply(self, domain_event: Any) -> None:
        """Apply one event with the method marked for its class (or a base class
        of it); events no method handles are skipped."""
        for event_class in type(domain_event).__mro__:
            name = self._handlers.get(event_class)
            if name is not None:
                getattr(self, name)(domain_event)
                return

    def reset(self) -> None:
        """Forget everything; the next refresh rebuilds from the start of the log."""
        raise NotImplementedError

    def refresh(self) -> int:
        """Apply everything recorded since the last refresh; returns how many
        (none on a copy rebuilt at a past position: it stays as it stood)."""
        if self.frozen_at is not None:
            return 0
        with self._lock:
            return self._fold(None)

    def as_at(self, position: int, *, after: Projection | None = None) -> Self:
        """A copy of this projection rebuilt from the start of the log up to and
        including `position`, and kept there: its reads answer as the log stood.
        `after`, a copy rebuilt at an earlier position, is a start: its state
        is copied and only what lies between is folded."""
        past = copy.copy(self)
        if after is not None and after.position <= position:
            state = {k: v for k, v in vars(after).items() if k not in ("app", "_lock")}
            vars(past).update(copy.deepcopy(state))
        else:
            past.position = 0
            past.reset()
        past._lock = threading.Lock()
        with past._lock:
            past._fold(position)
        past.frozen_at = position
        return past

    def _fold(self, stop: int | None) -> int:
        applied = 0
        while True:
            if stop is not None and self.position >= stop:
                return applied
            batch = self.app.recorder.select_notifications(
                start=self.position, limit=BATCH, stop=stop, inclusive_of_start=False
            )
            if not batch:
                return applied
            for notification in batch:
                self.apply(self.app.mapper.to_domain_event(notification))
                self.position = notification.id
            applied += len(batch)

    def rebuild(self) -> int:
        with self._lock:
            self.reset()
            self.position = 0
        return self.refresh()
