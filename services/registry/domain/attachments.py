"""Files attached to a child's file: a signed consent form, a photo of a visit.

The bytes live outside the event log (shared/attachments.py); the event that
records an attachment carries their SHA-256, size, content type and kind, so
the audit chain covers the file and `audit verify registry` checks it.

One aggregate per child, its id derived from the child's (as a dismissal's is
from its pair): listing a file's attachments is loading one aggregate, and the
Child aggregate, its read model and its public events are untouched. The same
bytes attached again as the same kind are the same attachment (an upload
retried after a lost answer records nothing twice: shared/attached_files.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from shared.attached_files import AttachedFiles

ATTACHMENTS_NAMESPACE = uuid.UUID("5b0f3f0e-8a4c-4d5e-9c6a-2e7d1b9f4c21")


class ChildAttachments(Aggregate, AttachedFiles):
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
        self._add_item(attachment_id, sha256, size, content_type, kind, attached_on)
