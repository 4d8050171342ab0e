"""Errors finance reports to callers (mapped to HTTP by the gateway): the
records it cannot find here, and the refusals of its rules (defined with the
domain that raises them, re-exported so callers import every finance error
from this one place). A lost race is shared.errors.ConcurrentChange."""

from services.finance.domain.errors import (  # noqa: F401 - re-exported
    DonationRefused,
    DuplicateVoucher,
    ExpenditureNotFound,
    ExpenditureRefused,
    FinanceRuleViolation,
    PaymentRefused,
    RecoveryRefused,
    TrancheAlreadyPaid,
    TrancheNotPayable,
    UnbalancedEntry,
)
from shared.errors import NotFound


class ContractNotFound(NotFound):
    what = "funded contract"


class TrancheNotFound(NotFound):
    what = "tranche"


class RecoveryNotFound(NotFound):
    what = "recovery"


class AttachmentNotFound(NotFound):
    what = "attachment"
