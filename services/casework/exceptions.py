"""Errors casework reports to callers (mapped to HTTP by the gateway). A rule
that refuses raises shared.errors.RuleViolation (shared.errors.refuse); a lost
race, shared.errors.ConcurrentChange."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.casework.domain.errors import CaseClosed
from shared.errors import Conflict, NotFound

__all__ = [
    "AlreadyRecorded",
    "CaseAlreadyOpen",
    "CaseClosed",
    "CaseNotFound",
    "ContractNotActive",
    "ContractNotFound",
    "GroupNotFound",
    "MonthlyThemeTaken",
    "RosterChildNotFound",
]


class RosterChildNotFound(NotFound):
    what = "child known to casework"


class CaseNotFound(NotFound):
    what = "case"


class GroupNotFound(NotFound):
    what = "group"


class ContractNotFound(NotFound):
    what = "contract"


class CaseAlreadyOpen(Conflict):
    code = "CASE_ALREADY_OPEN"

    def __init__(self, existing_case_id: UUID | str) -> None:
        super().__init__(str(existing_case_id))
        self.existing_case_id = str(existing_case_id)

    def __str__(self) -> str:
        return f"the child already has an open case: {self.existing_case_id}"

    def details(self) -> dict[str, Any]:
        return {"existing_case_id": self.existing_case_id}


class MonthlyThemeTaken(Conflict):
    code = "MONTHLY_THEME_TAKEN"

    def __init__(self, month: str, theme: str):
        super().__init__(month, theme)
        self.month = month
        self.theme = theme

    def __str__(self) -> str:
        return f"the 塞上护童 theme for {self.month} is already {self.theme!r}; one theme a month"

    def details(self) -> dict[str, Any]:
        return {"month": self.month, "theme": self.theme}


class AlreadyRecorded(Conflict):
    """A record with the same identifying details exists (director, organization)."""

    code = "ALREADY_RECORDED"

    def __init__(self, what: str, existing_id):
        super().__init__(what, str(existing_id))
        self.what = what
        self.existing_id = str(existing_id)

    def __str__(self) -> str:
        return f"this {self.what} is already recorded: {self.existing_id}"

    def details(self) -> dict[str, Any]:
        return {"existing_id": self.existing_id}


class ContractNotActive(Conflict):
    """New work recorded under a contract grants suspended, terminated or
    closed (卫沙民社函〔2025〕11号 §七: an ended contract's work stops)."""

    code = "CONTRACT_NOT_ACTIVE"

    def __init__(self, contract_id: UUID | str, status: str):
        super().__init__(str(contract_id), status)
        self.contract_id = str(contract_id)
        self.status = status

    def __str__(self) -> str:
        return f"contract {self.contract_id} is {self.status}: no new work may be recorded under it"

    def details(self) -> dict[str, Any]:
        return {"contract_id": self.contract_id, "contract_status": self.status}
