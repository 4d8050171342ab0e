"""Errors grants reports to callers (mapped to HTTP by the gateway), in one
place: those its domain rules raise are defined in domain/errors.py and
re-exported here.

Constructor arguments are exactly what is needed to rebuild each error on the
caller's side of an RPC."""

from typing import Any

from services.grants.domain.errors import GrantsRuleViolation, WrongState
from shared.errors import Conflict, NotFound

__all__ = [
    "ApplicationNotFound",
    "AttachmentNotFound",
    "CallNotFound",
    "ContractNotFound",
    "DuplicateApplication",
    "DuplicateCreditCode",
    "GrantsRuleViolation",
    "NoticeNotFound",
    "OrganizationNotFound",
    "WrongState",
]


class OrganizationNotFound(NotFound):
    what = "organization"


class AttachmentNotFound(NotFound):
    what = "attachment"


class CallNotFound(NotFound):
    what = "call for proposals"


class ApplicationNotFound(NotFound):
    what = "application"


class NoticeNotFound(NotFound):
    what = "public notice"


class ContractNotFound(NotFound):
    what = "contract"


class DuplicateCreditCode(Conflict):
    code = "DUPLICATE_CREDIT_CODE"

    def __init__(self, existing_organization_id: Any) -> None:
        super().__init__(str(existing_organization_id))
        self.existing_organization_id = str(existing_organization_id)

    def __str__(self) -> str:
        return f"an organization with this credit code exists: {self.existing_organization_id}"

    def details(self) -> dict[str, Any]:
        return {"existing_organization_id": self.existing_organization_id}


class DuplicateApplication(Conflict):
    code = "DUPLICATE_APPLICATION"

    def __init__(self, existing_application_id: Any) -> None:
        super().__init__(str(existing_application_id))
        self.existing_application_id = str(existing_application_id)

    def __str__(self) -> str:
        return f"this organization already applied to this call: {self.existing_application_id}"

    def details(self) -> dict[str, Any]:
        return {"existing_application_id": self.existing_application_id}
