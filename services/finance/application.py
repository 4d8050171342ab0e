"""The finance application: its use cases composed over FinanceBase, the
read models they consult, and the public events its relay publishes.
Primitives in, primitives out; every change is saved with its journal
entries in one transaction."""

from __future__ import annotations

from eventsourcing.utils import register_topic

from services.finance.domain import (
    Appropriation,
    ContractFunding,
    JournalEntry,
    Recovery,
    TrancheAttachments,  # noqa: F401 - its events are stored here
    TrancheRef,
    VoucherClaim,
)
from services.finance.publishing import public_event
from services.finance.use_cases.attachments import TrancheAttachmentUseCases
from services.finance.use_cases.donations import DonationUseCases
from services.finance.use_cases.expenditures import ExpenditureUseCases
from services.finance.use_cases.funding import FundingUseCases
from services.finance.use_cases.grants_feed import GrantsFeedUseCases
from services.finance.use_cases.ledger import LedgerUseCases
from services.finance.use_cases.payments import PaymentUseCases
from services.finance.use_cases.recoveries import RecoveryUseCases
from services.finance.views import FundingIndex, LedgerView, RecoveryView
from shared.past_registers import PastRegisters

# Records stored before the domain/ package name their aggregates (and, through
# them, their events) by the modules they lived in then.
for _old_topic, _aggregate in {
    "services.finance.domain:ContractFunding": ContractFunding,
    "services.finance.appropriation:Appropriation": Appropriation,
    "services.finance.claims:VoucherClaim": VoucherClaim,
    "services.finance.claims:TrancheRef": TrancheRef,
    "services.finance.journal:JournalEntry": JournalEntry,
    "services.finance.recovery:Recovery": Recovery,
}.items():
    register_topic(_old_topic, _aggregate)


class FinanceApplication(
    GrantsFeedUseCases,
    FundingUseCases,
    PaymentUseCases,
    TrancheAttachmentUseCases,
    ExpenditureUseCases,
    DonationUseCases,
    RecoveryUseCases,
    LedgerUseCases,
):
    name = "finance"
    public_events = staticmethod(public_event)

    def __init__(self, env=None):
        super().__init__(env)
        self.ledger = LedgerView(self)
        self.recovery_view = RecoveryView(self)
        self.index = FundingIndex(self)
        self.past = PastRegisters(self)
