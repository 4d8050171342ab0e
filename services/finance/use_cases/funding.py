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
