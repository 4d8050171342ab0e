"""What one contract's money looks like now: committed, obligated, payable,
paid, withheld, spent per budget line and fund, donations, and what is owed back."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.finance.domain import ContractFunding, Recovery
from services.finance.domain.appropriation import Appropriation
from services.finance.domain.funding import PAYABLE
from services.finance.exceptions import ContractNotFound
from services.finance.use_cases.answers import funding_summary, tranche_view
from services.finance.use_cases.base import FinanceBase


class FundingUseCases(FinanceBase):
    def get_funding(
        self, contract_id: uuid.UUID, as_of: date | None = None, as_of_position: int | None = None
    ) -> dict[str, Any]:
        """The contract's money now, or as it stood at a position of finance's
        log or a date's end (each record loaded at its version then,
        shared/past_registers.py); with the position it stands at."""
        if as_of is None and as_of_position is None:
            funding = self._funding(contract_id)
            appropriation = self.find(Appropriation, Appropriation.create_id(funding.call_id))
            summary = funding_summary(funding, self._recovery_of(funding), self.clock(), appropriation)
            return {**summary, "as_of_position": self.head_position()}
        position, day = self.past.point(as_of, as_of_position)
        funding = self.load(ContractFunding, contract_id, ContractNotFound, self._version_at(contract_id, position))
        recovery = self.find(
            Recovery, Recovery.create_id(funding.id), self._version_at(Recovery.create_id(funding.id), position)
        )
        appropriation_id = Appropriation.create_id(funding.call_id)
        appropriation = self.find(Appropriation, appropriation_id, self._version_at(appropriation_id, position))
        return {**funding_summary(funding, recovery, day, appropriation), "as_of_position": position}

    def _version_at(self, record_id: uuid.UUID, position: int) -> int:
        """The record's version at `position`; 0 (none: not found) if it did not exist then."""
        version = self.past.version_at(record_id, position)
        return 0 if version is None else version

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
