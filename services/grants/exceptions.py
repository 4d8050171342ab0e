"""Errors grants reports to callers (mapped to HTTP by the gateway).

Constructor arguments are exactly what is needed to rebuild each error on the
caller's side of an RPC."""
from shared.errors import Conflict, NotFound, RuleViolation


class GrantsRuleViolation(RuleViolation):
    """A grants rule refused the request; `fields` says which rule and why."""


def refuse(field: str, reason: str) -> GrantsRuleViolation:
    return GrantsRuleViolation({field: [reason]})


class OrganisationNotFound(NotFound):
    what = "organisation"


class CallNotFound(NotFound):
    what = "call for proposals"


class ApplicationNotFound(NotFound):
    what = "application"


class NoticeNotFound(NotFound):
    what = "public notice"


class ContractNotFound(NotFound):
    what = "contract"


class WrongState(Conflict):
    """The record is not in a state that allows the action."""

    code = "WRONG_STATE"

    def __init__(self, record: str, state: str, action: str):
        super().__init__(record, state, action)
        self.record, self.state, self.action = record, state, action

    def __str__(self) -> str:
        return f"{self.record} is {self.state}: cannot {self.action}"

    def details(self) -> dict:
        return {"state": self.state}


class DuplicateCreditCode(Conflict):
    code = "DUPLICATE_CREDIT_CODE"

    def __init__(self, existing_organization_id):
        super().__init__(str(existing_organization_id))
        self.existing_organization_id = str(existing_organization_id)

    def __str__(self) -> str:
        return f"an organisation with this credit code exists: {self.existing_organization_id}"

    def details(self) -> dict:
        return {"existing_organization_id": self.existing_organization_id}


class DuplicateApplication(Conflict):
    code = "DUPLICATE_APPLICATION"

    def __init__(self, existing_application_id):
        super().__init__(str(existing_application_id))
        self.existing_application_id = str(existing_application_id)

    def __str__(self) -> str:
        return f"this organisation already applied to this call: {self.existing_application_id}"

    def details(self) -> dict:
        return {"existing_application_id": self.existing_application_id}


class ConcurrentUpdate(Conflict):
    code = "CONCURRENT_UPDATE"

    def __init__(self, record: str):
        super().__init__(record)
        self.record = record

    def __str__(self) -> str:
        return f"{self.record} was changed by another request; read it again and retry"
