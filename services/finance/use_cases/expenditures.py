"""Provider spending on an approved budget line, from the fiscal or the
donation fund, and reversing spending recorded in error."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.finance.domain import ContractFunding
from services.finance.use_cases.base import FinanceBase


class ExpenditureUseCases(FinanceBase):
    def record_expenditure(
        self,
        contract_id: uuid.UUID,
        *,
        budget_line: str,
        fund: str,
        amount_fen: int,
        voucher: str,
        spent_on: date | None = None,
        description: str = "",
    ) -> dict[str, Any]:
        """Over-budget spending and spending above the money received are
        accepted and flagged (returned in `flags`), never silently."""
        expenditure_id = uuid.uuid4()

        def attempt() -> tuple[dict[str, Any], list[ContractFunding]]:
            funding = self._funding(contract_id)
            flags = funding.record_expenditure(
                expenditure_id=expenditure_id,
                budget_line=budget_line,
                fund=fund,
                amount_fen=amount_fen,
                voucher=voucher,
                spent_on=spent_on or self.clock(),
                description=description,
                today=self.clock(),
            )
            return {"expenditure_id": expenditure_id, "contract_id": contract_id, "flags": flags}, [funding]

        return self.retrying_journalled(contract_id, attempt)

    def reverse_expenditure(self, contract_id: uuid.UUID, expenditure_id: uuid.UUID, *, reason: str) -> dict[str, Any]:
        def attempt() -> tuple[dict[str, Any], list[ContractFunding]]:
            funding = self._funding(contract_id)
            funding.reverse_expenditure(expenditure_id=expenditure_id, reason=reason, reversed_on=self.clock())
            reversed_ = next(x for x in funding.expenditures if x["expenditure_id"] == expenditure_id)
            return reversed_, [funding]

        return self.retrying_journalled(contract_id, attempt)
