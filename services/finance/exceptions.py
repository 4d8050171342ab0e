"""Errors finance reports to callers (mapped to HTTP by the gateway)."""
from shared.errors import Conflict, NotFound, RuleViolation


class ContractNotFound(NotFound):
    what = "funded contract"


class TrancheNotFound(NotFound):
    what = "tranche"


class ExpenditureNotFound(NotFound):
    what = "expenditure"


class RecoveryNotFound(NotFound):
    what = "recovery"


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

    def __init__(self, tranche_id, voucher):
        super().__init__(str(tranche_id), voucher)
        self.tranche_id = str(tranche_id)
        self.voucher = voucher

    def __str__(self) -> str:
        return f"tranche {self.tranche_id} is already paid (voucher {self.voucher})"

    def details(self) -> dict:
        return {"tranche_id": self.tranche_id, "voucher": self.voucher}


class DuplicateVoucher(Conflict):
    code = "DUPLICATE_VOUCHER"

    def __init__(self, voucher):
        super().__init__(voucher)
        self.voucher = voucher

    def __str__(self) -> str:
        return f"voucher {self.voucher!r} is already recorded"

    def details(self) -> dict:
        return {"voucher": self.voucher}


class ConcurrentUpdate(Conflict):
    """Someone else changed the same record at the same moment; retry after reading it again."""

    code = "CONCURRENT_UPDATE"

    def __init__(self, record_id):
        super().__init__(str(record_id))
        self.record_id = str(record_id)

    def __str__(self) -> str:
        return f"record {self.record_id} was changed by another request at the same moment; read it again and retry"

    def details(self) -> dict:
        return {"record_id": self.record_id}
