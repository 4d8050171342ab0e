"""`audit verify` also checks the attached files the log records: each stored
file (shared/attachments.py) must still hash to the SHA-256, and have the size,
its event recorded. The chain covers the event; this covers the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from shared.attachments import ATTACHMENT_EVENT_TOPICS, AttachmentStore
from shared.audit.log import LogReader
from shared.eventstore import ServiceApplication


@dataclass
class AttachmentCheck:
    checked: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def check_attachments(
    app: ServiceApplication, store: AttachmentStore, progress: Callable[[int], None] = lambda n: None
) -> AttachmentCheck:
    result = AttachmentCheck()
    # Raw rows (shared/audit/log.py): a row that does not read as an event is
    # verify's to name, not a crash here; only attachment events are decoded.
    for position, originator_id, version, topic, state, unreadable in LogReader(app).raw_rows():
        progress(1)
        if unreadable is not None or topic not in ATTACHMENT_EVENT_TOPICS:
            continue
        notification = Notification(
            id=position, originator_id=UUID(originator_id), originator_version=version, topic=topic, state=state
        )
        recorded: Any = app.mapper.to_domain_event(notification)
        result.checked += 1
        problem = store.problem(recorded.sha256, recorded.size)
        if problem is not None:
            result.problems.append(
                {
                    "position": notification.id,
                    "aggregate_id": str(notification.originator_id),
                    "version": notification.originator_version,
                    "attachment_id": str(getattr(recorded, "attachment_id", "")),
                    "sha256": recorded.sha256,
                    "reason": problem,
                }
            )
    return result
