"""The rule every record's attachments follow, for the aggregates that keep
them (registry's ChildAttachments, finance's TrancheAttachments): the same
bytes attached again as the same kind are the same attachment, so an upload
retried after a lost answer records nothing twice. Each aggregate declares its
own `Attached` event (its stored topic is its own) whose handler calls
`_add_item`; the bytes themselves are in the attachment store
(shared/attachments.py). Standard library only: domain code may use it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any


class AttachedFiles:
    """Mixed into an aggregate that has `items` and an `_attached(...)` event method."""

    items: list[dict[str, Any]]

    def find(self, attachment_id: uuid.UUID) -> dict[str, Any] | None:
        return next((item for item in self.items if item["attachment_id"] == attachment_id), None)

    def same_file(self, sha256: str, kind: str) -> dict[str, Any] | None:
        return next((item for item in self.items if (item["sha256"], item["kind"]) == (sha256, kind)), None)

    def attach(self, *, sha256: str, size: int, content_type: str, kind: str, today: date) -> dict[str, Any]:
        """The attachment of these bytes as this kind: the one already recorded, or a new one."""
        found = self.same_file(sha256, kind)
        if found is not None:
            return found
        self._attached(  # type: ignore[attr-defined]
            attachment_id=uuid.uuid4(),
            sha256=sha256,
            size=size,
            content_type=content_type,
            kind=kind,
            attached_on=today,
        )
        return self.items[-1]

    def _add_item(
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
