"""Files attached to a child's file: a signed consent form, a photo of a visit.

The bytes live outside the event log (shared/attachments.py); the event that
records an attachment carries their SHA-256, size, content type and kind, so
the audit chain covers the file and `audit verify registry` checks it.

One aggregate per child, its id derived from the child's (as a dismissal's is
from its pair): listing a file's attachments is loading one aggregate, and the
Child aggregate, its read model and its public events are untouched. The same
bytes attached again as the same kind are the same attachment (an upload
retried after a lost answer records nothing twice)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

ATTACHMENTS_NAMESPACE = uuid.UUID("5b0f3f0e-8a4c-4d5e-9c6a-2e7d1b9f4c21")


class ChildAttachments(Aggregate):
    @staticmethod
    def create_id(child_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(ATTACHMENTS_NAMESPACE, str(child_id))

    class Opened(Aggregate.Created):
        child_id: uuid.UUID

    @event(Opened)
    def __init__(self, child_id: uuid.UUID):
        self.child_id = child_id
        self.items: list[dict[str, Any]] = []

    @classmethod
    def open_for(cls, child_id: uuid.UUID) -> ChildAttachments:
        return cls(child_id=child_id)

    def find(self, attachment_id: uuid.UUID) -> dict[str, Any] | None:
        return next((item for item in self.items if item["attachment_id"] == attachment_id), None)

    def same_file(self, sha256: str, kind: str) -> dict[str, Any] | None:
        return next((item for item in self.items if (item["sha256"], item["kind"]) == (sha256, kind)), None)

    def attach(self, *, sha256: str, size: int, content_type: str, kind: str, today: date) -> dict[str, Any]:
        """The attachment of these bytes as this kind: the one already recorded, or a new one."""
        found = self.same_file(sha256, kind)
        if found is not None:
            return found
        self._attached(
            attachment_id=uuid.uuid4(),
            sha256=sha256,
            size=size,
            content_type=content_type,
            kind=kind,
            attached_on=today,
        )
        return self.items[-1]

    class Attached(Aggregate.Event):
        attachment_id: uuid.UUID
        sha256: str
        size: int
        content_type: str
        kind: str
        attached_on: date

    @event(Attached)
    def _attached(
        self, attachment_id: uuid.UUID, sha256: str, size: int, content_type: str, kind: str, attached_on: date
    ) -> None:
        self.items.append(
            {
                "attachment_id": attachment_id,
                "sha256": sha256,
                "size": size,
                "content_type": content_type,
                "kind": kind,
                "attached_on": attached_on,
            }
        )
