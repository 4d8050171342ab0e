"""Errors the registry reports to callers (mapped to HTTP by the gateway).
The ones its domain raises live in services/registry/domain/errors.py and are
re-exported here, so every registry error is imported from this module."""

from typing import Any

from services.registry.domain.errors import (  # noqa: F401 - re-exported
    DismissalNotFound,
    InvalidCampaign,
    InvalidChild,
    InvalidDismissal,
    PairAlreadyDismissed,
)
from shared.errors import Conflict, NotFound


class ChildNotFound(NotFound):
    what = "child file"


class CampaignNotFound(NotFound):
    what = "screening campaign"


class RosterImportNotFound(NotFound):
    what = "roster import"


class DuplicateIdNumber(Conflict):
    code = "DUPLICATE_ID_NUMBER"

    def __init__(self, existing_child_id: Any) -> None:
        super().__init__(str(existing_child_id))
        self.existing_child_id = str(existing_child_id)

    def __str__(self) -> str:
        return f"a child file with this ID number already exists: {self.existing_child_id}"

    def details(self) -> dict[str, Any]:
        return {"existing_child_id": self.existing_child_id}


class AttachmentNotFound(NotFound):
    what = "attachment"
