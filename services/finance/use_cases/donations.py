"""Designated donations (定向捐助): restricted to one project, kept in the
donation fund, spent only through donation expenditures."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.finance.domain import ContractFunding
from services.finance.use_cases.base import FinanceBase


class DonationUseCases(FinanceBase):
    def receive_donation(
        self,
        contract_id: uuid.UUID,
        *,
        donor: str,
        amount_fen: int,
        receipt: str,
        received_on: date | None = None,
        purpose: str = "",
    ) -> dict[str, Any]:
        donation_id = uuid.uuid4()

        def attempt() -> tuple[dict[str, Any], list[ContractFunding]]:
            funding = self._funding(contract_id)
            funding.receive_donation(
                donation_id=donation_id,
                donor=donor,
                amount_fen=amount_fen,
                receipt=receipt,
                received_on=received_on or self.clock(),
                purpose=purpose,
                today=self.clock(),
            )
            return {
                "donation_id": donation_id,
                "contract_id": contract_id,
                "donation_balance_fen": funding.donation_balance_fen,
            }, [funding]

        return self.retrying_journalled(contract_id, attempt)
