"""Files attached to a child's file. The gateway stores the bytes
(shared/attachments.py) and sends their SHA-256, size, content type and kind;
the registry records them only once the stored file is there and matches."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.registry.domain.attachments import ChildAttachments
from services.registry.domain.child import MERGED, Child
from services.registry.exceptions import AttachmentNotFound, ChildNotFound, InvalidChild
from services.registry.use_cases.base import RegistryBase
from shared.attachments import check_stored_file
from shared.errors import refuse


class AttachmentUseCases(RegistryBase):
    def attach_file(self, child_id: UUID, *, sha256: str, size: int, content_type: str, kind: str) -> dict[str, Any]:
        today = self.clock()
        check_stored_file(sha256, size, content_type)
        record_id = ChildAttachments.create_id(child_id)

        def attempt() -> tuple[dict[str, Any], list[ChildAttachments]]:
            child = self.load(Child, child_id, ChildNotFound)
            if child.status == MERGED:
                refuse("child_id", f"the file was merged into {child.merged_into}: attach to that file", InvalidChild)
            attachments = self.find(ChildAttachments, record_id) or ChildAttachments.open_for(child_id)
            item = attachments.attach(sha256=sha256, size=size, content_type=content_type, kind=kind, today=today)
            return _answer(child_id, item), [attachments]

        return self.retrying(record_id, attempt)

    def list_attachments(self, child_id: UUID) -> dict[str, Any]:
        self.load(Child, child_id, ChildNotFound)
        attachments = self.find(ChildAttachments, ChildAttachments.create_id(child_id))
        items = [] if attachments is None else attachments.items
        return {"child_id": child_id, "items": [_answer(child_id, item) for item in items]}

    def get_attachment(self, child_id: UUID, attachment_id: UUID) -> dict[str, Any]:
        self.load(Child, child_id, ChildNotFound)
        attachments = self.find(ChildAttachments, ChildAttachments.create_id(child_id))
        item = None if attachments is None else attachments.find(attachment_id)
        if item is None:
            raise AttachmentNotFound(attachment_id)
        return _answer(child_id, item)


def _answer(child_id: UUID, item: dict[str, Any]) -> dict[str, Any]:
    return {"child_id": child_id, **item}
