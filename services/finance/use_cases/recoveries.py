"""Money owed back by a terminated contract (追回): the list with ages,
collections, and approved write-offs."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.finance.domain import Recovery
from services.finance.exceptions import RecoveryNotFound
from services.finance.use_cases.answers import recovery_view
from services.finance.use_cases.base import FinanceBase


class RecoveryUseCases(FinanceBase):
    def list_recoveries(
        self,
        *,
        status: str = "open",
        limit: int = 50,
        after: str | None = None,
        as_of: date | None = None,
        as_of_position: int | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """Recoveries now, or as they stood (aged on the day they stand at,
        shared/past_registers.py); with the position read at."""
        return self.past.read(
            self.recovery_view,
            as_of,
            as_of_position,
            lambda view, day: view.list(status=status, limit=limit, after=after, today=day),
        )

    def collect_recovery(
        self, recovery_id: uuid.UUID, *, amount_fen: int, reference: str, collected_on: date | None = None
    ) -> dict[str, Any]:
        collection_id = uuid.uuid4()

        def attempt() -> tuple[dict[str, Any], list[Recovery]]:
            recovery = self.load(Recovery, recovery_id, RecoveryNotFound)
            recovery.collect(
                collection_id=collection_id,
                amount_fen=amount_fen,
                reference=reference,
                collected_on=collected_on or self.clock(),
                today=self.clock(),
            )
            return recovery_view(recovery, self.clock()), [recovery]

        return self.retrying_journalled(recovery_id, attempt)

    def write_off_recovery(
        self,
        recovery_id: uuid.UUID,
        *,
        reason: str,
        approver: str,
        amount_fen: int | None = None,
        written_off_on: date | None = None,
    ) -> dict[str, Any]:
        def attempt() -> tuple[dict[str, Any], list[Recovery]]:
            recovery = self.load(Recovery, recovery_id, RecoveryNotFound)
            recovery.write_off(
                amount_fen=amount_fen,
                reason=reason,
                approver=approver,
                written_off_on=written_off_on or self.clock(),
                today=self.clock(),
            )
            return recovery_view(recovery, self.clock()), [recovery]

        return self.retrying_journalled(recovery_id, attempt)
