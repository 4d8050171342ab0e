"""Who is acting and why, carried with each unit of work.

The gateway puts the actor and a correlation id into nameko's call context; each
service worker copies them into this context variable (greenlets keep their own
contextvars), and the event store stamps them on every event it stores.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass

SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class CallMeta:
    actor_id: str = SYSTEM_ACTOR
    actor_role: str = SYSTEM_ACTOR
    correlation_id: str = ""
    causation_id: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> CallMeta:
        return cls(
            actor_id=str(data.get("actor_id") or SYSTEM_ACTOR),
            actor_role=str(data.get("actor_role") or SYSTEM_ACTOR),
            correlation_id=str(data.get("correlation_id") or ""),
            causation_id=str(data.get("causation_id") or ""),
        )


# CallMeta is frozen, so one shared default is safe.
_current: contextvars.ContextVar[CallMeta] = contextvars.ContextVar("call_meta", default=CallMeta())  # noqa: B039


def current_meta() -> CallMeta:
    return _current.get()


@contextmanager
def acting_as(meta: CallMeta) -> Iterator[CallMeta]:
    token = _current.set(meta)
    try:
        yield meta
    finally:
        _current.reset(token)


def set_current_meta(meta: CallMeta) -> None:
    """For the rest of this greenlet (a nameko worker is one greenlet)."""
    _current.set(meta)
