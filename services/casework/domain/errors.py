"""Errors the casework domain raises beyond a refusal (shared.errors.refuse).
services/casework/exceptions.py re-exports them with the service's other errors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.errors import Conflict


class CaseClosed(Conflict):
    code = "CASE_CLOSED"

    def __init__(self, case_id: UUID | str) -> None:
        super().__init__(str(case_id))
        self.case_id = str(case_id)

    def __str__(self) -> str:
        return f"case {self.case_id} is closed; nothing more can be recorded on it"

    def details(self) -> dict[str, Any]:
        return {"case_id": self.case_id}
