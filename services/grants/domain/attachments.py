"""Scans attached to an organisation's record: the registration certificate
(登记证书) and bank account permit (开户许可证) its registration states, or a
document behind a piece of its evidence.

The bytes live outside the event log (shared/attachments.py); grants' event
that records an attachment carries their SHA-256, size, content type and kind,
so grants' audit chain covers the file and `audit verify grants` checks it.
One aggregate per organisation, its id derived from the organisation's: the
Organization aggregate and grants' public events are untouched. The same bytes
attached again as the same kind are the same attachment
(shared/attached_files.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from shared.attached_files import AttachedFiles

ORGANIZATION_ATTACHMENTS_NAMESPACE = uuid.UUID("c3a8e5d1-6f2b-4a97-b0e4-7d9f1c2a5b86")


class OrganizationAttachments(Aggregate, AttachedFiles):
    @staticmethod
    def create_id(organization_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(ORGANIZATION_ATTACHMENTS_NAMESPACE, str(organization_id))

    class Opened(Aggregate.Created):
        organization_id: uuid.UUID

    @event(Opened)
    def __init__(self, organization_id: uuid.UUID):
        self.organization_id = organization_id
        self.items: list[dict[str, Any]] = []

    @classmethod
    def open_for(cls, organization_id: uuid.UUID) -> OrganizationAttachments:
        return cls(organization_id=organization_id)

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
