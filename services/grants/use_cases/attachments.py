"""Scans attached to an organisation's record (a registration certificate, a
bank account permit). The gateway stores the bytes (shared/attachments.py) and
sends their SHA-256, size, content type and kind; grants records them only
once the stored file is there and matches (shared.attachments.check_stored_file)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.grants.domain.attachments import OrganizationAttachments
from services.grants.domain.organizations import Organization
from services.grants.exceptions import AttachmentNotFound, OrganizationNotFound
from services.grants.use_cases.base import GrantsBase
from shared.attachments import check_stored_file


class OrganizationAttachmentUseCases(GrantsBase):
    def attach_to_organization(
        self, organization_id: UUID, *, sha256: str, size: int, content_type: str, kind: str
    ) -> dict[str, Any]:
        today = self.clock()
        self.load(Organization, organization_id, OrganizationNotFound)
        check_stored_file(sha256, size, content_type)
        record_id = OrganizationAttachments.create_id(organization_id)

        def attempt() -> tuple[dict[str, Any], list[OrganizationAttachments]]:
            attachments = self.find(OrganizationAttachments, record_id) or OrganizationAttachments.open_for(
                organization_id
            )
            item = attachments.attach(sha256=sha256, size=size, content_type=content_type, kind=kind, today=today)
            return _answer(organization_id, item), [attachments]

        return self.retrying(record_id, attempt)

    def list_organization_attachments(self, organization_id: UUID) -> dict[str, Any]:
        self.load(Organization, organization_id, OrganizationNotFound)
        attachments = self.find(OrganizationAttachments, OrganizationAttachments.create_id(organization_id))
        items = [] if attachments is None else attachments.items
        return {"organization_id": organization_id, "items": [_answer(organization_id, item) for item in items]}

    def get_organization_attachment(self, organization_id: UUID, attachment_id: UUID) -> dict[str, Any]:
        self.load(Organization, organization_id, OrganizationNotFound)
        attachments = self.find(OrganizationAttachments, OrganizationAttachments.create_id(organization_id))
        item = None if attachments is None else attachments.find(attachment_id)
        if item is None:
            raise AttachmentNotFound(attachment_id)
        return _answer(organization_id, item)


def _answer(organization_id: UUID, item: dict[str, Any]) -> dict[str, Any]:
    return {"organization_id": organization_id, **item}
