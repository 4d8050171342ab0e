"""Closing a file because the child moved out of the district."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.registry.domain.child import Child
from services.registry.use_cases.base import RegistryBase


class TransferUseCases(RegistryBase):
    def transfer_out(
        self,
        child_id: UUID,
        *,
        destination: str,
        reason: str,
        transferred_on: date | None = None,
    ) -> dict[str, Any]:
        today = self.clock()
        on = transferred_on or today

        def change(child: Child) -> list[Any]:
            child.transfer_out(destination=destination, reason=reason, transferred_on=on, today=today)
            return []

        child = self._change_file(child_id, change)
        return {"child_id": child.id, "status": child.status, "closed_on": child.closed_on}
