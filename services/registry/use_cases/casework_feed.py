"""Help records (关爱帮扶记录) from casework's public events: which children each
event concerns, and what goes into their files. Every service to a child lands
in the child's file (the surviving one, if it was merged)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.registry.domain.child import Child
from services.registry.exceptions import ChildNotFound
from services.registry.use_cases.base import RegistryBase

log = logging.getLogger(__name__)

# event type → (date field, reference id field, child ids of the payload)
ChildIds = Callable[[dict[str, Any]], list[UUID]]
_CHILD: ChildIds = lambda p: [p["child_id"]]  # noqa: E731
SOURCES: dict[str, tuple[str, str, ChildIds]] = {
    "casework.case_opened.v1": ("opened_on", "case_id", _CHILD),
    "casework.session_held.v1": ("held_on", "session_id", _CHILD),
    "casework.case_closed.v1": ("closed_on", "case_id", _CHILD),
    "casework.care_service_given.v1": ("given_on", "service_id", _CHILD),
    "casework.group_session_held.v1": ("held_on", "session_id", lambda p: p["attended_child_ids"]),
    "casework.activity_held.v1": ("held_on", "activity_id", lambda p: p["child_ids"]),
}
DETAIL_FIELDS = ("worker", "session_type", "duration_minutes", "reason", "kind", "title", "resource", "value_fen")


def children_concerned(envelope: dict[str, Any]) -> list[UUID]:
    source = SOURCES.get(envelope["type"])
    if source is None:
        return []
    return list(dict.fromkeys(source[2](envelope["payload"])))  # once each, in order


def help_record(envelope: dict[str, Any]) -> dict[str, Any]:
    date_field, reference_field, _ = SOURCES[envelope["type"]]
    payload = envelope["payload"]
    return {
        "event_id": str(envelope["event_id"]),
        "type": envelope["type"].split(".")[1],
        "on": payload[date_field],
        "reference_id": payload[reference_field],
        "service_line": payload.get("service_line"),
        "case_id": payload.get("case_id"),
        "details": {k: payload[k] for k in DETAIL_FIELDS if k in payload},
    }


class CaseworkFeedUseCases(RegistryBase):
    def handle_casework_event(self, envelope: dict[str, Any]) -> list[Child]:
        """Effects of one casework event: a help record on each child it concerns
        (saved with the tracking row by the consumer)."""
        children: list[Child] = []
        for child_id in children_concerned(envelope):
            try:
                child = self._surviving_file(child_id)
            except ChildNotFound:
                log.warning("casework event %s names unknown child %s", envelope["event_id"], child_id)
                continue
            if any(c.id == child.id for c in children):
                continue
            child.record_help(help_record(envelope))
            children.append(child)
        return children
