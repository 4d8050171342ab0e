"""Paying a payable tranche (a finance officer, with a voucher), and reversing
a payment recorded in error."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.finance.domain import ContractFunding, TrancheRef, VoucherClaim
from services.finance.domain.errors import DuplicateVoucher
from services.finance.exceptions import TrancheNotFound
from services.finance.use_cases.answers import tranche_view
from services.finance.use_cases.base import FinanceBase


class PaymentUseCases(FinanceBase):
    def pay_tranche(
        self, tranche_id: uuid.UUID, *, amount_fen: int, voucher: str, paid_on: date | None = None
    ) -> dict[str, Any]:
        """All of a contract's money is one record, so two officers paying at
        once cannot both save: the second is re-run and told it is already
        paid. A voucher pays once across contracts (its claim is saved in the
        same transaction)."""
        ref = self.load(TrancheRef, tranche_id, TrancheNotFound)

        def attempt() -> tuple[dict[str, Any], list[ContractFunding | VoucherClaim]]:
            funding = self._funding(ref.contract_id)
            funding.pay(
                number=ref.number,
                amount_fen=amount_fen,
                voucher=voucher,
                paid_on=paid_on or self.clock(),
                today=self.clock(),
            )
            if self.find(VoucherClaim, VoucherClaim.create_id(voucher.strip())) is not None:
                raise DuplicateVoucher(voucher.strip())
            claim = VoucherClaim(voucher=voucher.strip(), tranche_id=tranche_id)
            return tranche_view(funding.tranche(ref.number), funding), [funding, claim]

        return self.retrying_journalled(ref.contract_id, attempt)

    def reverse_payment(self, tranche_id: uuid.UUID, *, reason: str) -> dict[str, Any]:
        ref = self.load(TrancheRef, tranche_id, TrancheNotFound)

        def attempt() -> tuple[dict[str, Any], list[ContractFunding]]:
            funding = self._funding(ref.contract_id)
            funding.reverse_payment(number=ref.number, reason=reason, reversed_on=self.clock())
            return tranche_view(funding.tranche(ref.number), funding), [funding]

        return self.retrying_journalled(ref.contract_id, attempt)
