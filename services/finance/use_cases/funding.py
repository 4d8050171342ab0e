"""What one contract's money looks like now: committed, obligated, payable,
paid, withheld, spent per budget line and fund, donations, and what is owed back."""

from __future__ import annotations

import uuid
from typing import Any

from services.finance.domain.appropriation import Appropriation
from services.finance.domain.funding import PAYABLE
from services.finance.use_cases.answers import funding_summary, tranche_view
from services.finance.use_cases.base import FinanceBase


class FundingUseCases(FinanceBase):
    def get_funding(self, contract_id: uuid.UUID) -> dict[str, Any]:
        funding = self._funding(contract_id)
        appropriation = self.find(Appropriation, Appropriation.create_id(funding.call_id))
        return funding_summary(funding, self._recovery_of(funding), self.clock(), appropriation)

    def payable_tranches(self) -> list[dict[str, Any]]:
        """Tranches whose gate is met and that wait for payment (the finance
        officer's reminders, GET /me/tasks), each with its organisation."""
        out = []
        for contract_id in self.index.contract_ids():
            funding = self._funding(contract_id)
            out += [
                {**tranche_view(t, funding), "organization_id": funding.organization_id}
                for t in funding.tranches
                if t["status"] == PAYABLE
            ]
        return out

    def tranches_awaiting_evaluation(self, *, limit: int, after: str | None = None) -> list[dict[str, Any]]:
        """The bureau's desk: tranches held by an evaluation not yet passed
        (ContractFunding.awaiting_evaluation), each with its organisation, in
        tranche id order from after `after` (a page's cursor), at most `limit`."""
        rows = [
            {
                **tranche_view(t, funding),
                "organization_id": funding.organization_id,
                "evaluation_failed": t["evaluation_failed"],
            }
            for funding in (self._funding(contract_id) for contract_id in self.index.contract_ids())
            for t in funding.awaiting_evaluation()
        ]
        rows.sort(key=lambda row: str(row["tranche_id"]))
        return [row for row in rows if after is None or str(row["tranche_id"]) > after][:limit]
