"""The refusals finance's rules make. Re-exported by services/finance/exceptions.py,
the one place callers import finance errors from."""

import uuid
from typing import Any

from shared.errors import Conflict, NotFound, RuleViolation


class ExpenditureNotFound(NotFound):
    what = "expenditure"


class FinanceRuleViolation(RuleViolation):
    """A finance rule refused the request; `fields` says which and why."""


class TrancheNotPayable(FinanceRuleViolation):
    code = "TRANCHE_NOT_PAYABLE"


class PaymentRefused(FinanceRuleViolation):
    code = "PAYMENT_REFUSED"


class ExpenditureRefused(FinanceRuleViolation):
    code = "EXPENDITURE_REFUSED"


class DonationRefused(FinanceRuleViolation):
    code = "DONATION_REFUSED"


class RecoveryRefused(FinanceRuleViolation):
    code = "RECOVERY_REFUSED"


class UnbalancedEntry(FinanceRuleViolation):
    code = "UNBALANCED_ENTRY"


class TrancheAlreadyPaid(Conflict):
    code = "TRANCHE_ALREADY_PAID"

    def __init__(self, tranche_id: uuid.UUID | str, voucher: str):
        # a str when nameko rebuilds the error from its args on the caller's side
        super().__init__(str(tranche_id), voucher)
        self.tranche_id = str(tranche_id)
        self.voucher = voucher

    def __str__(self) -> str:
        return f"tranche {self.tranche_id} is already paid (voucher {self.voucher})"

    def details(self) -> dict[str, Any]:
        return {"tranche_id": self.tranche_id, "voucher": self.voucher}


class DuplicateVoucher(Conflict):
    code = "DUPLICATE_VOUCHER"

    def __init__(self, voucher: str):
        super().__init__(voucher)
        self.voucher = voucher

    def __str__(self) -> str:
        return f"voucher {self.voucher!r} is already recorded"

    def details(self) -> dict[str, Any]:
        return {"voucher": self.voucher}
