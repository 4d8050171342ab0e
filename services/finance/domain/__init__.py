"""Finance's aggregates and their pure rules, one module per family:

- money.py         exact money in integer fen; tranche splits; the two funds
- appropriation.py the money set aside for a call, and what is committed against it
- funding.py       one contract's money: tranches, gates, withholding, payments,
                   spending and designated donations
- claims.py        small aggregates that make uniqueness and lookups atomic
- attachments.py   the scanned vouchers attached to a tranche's payment
- recovery.py      money owed back by a terminated contract
- journal.py       accounts, the balance rule and the (unchangeable) journal entry
- postings.py      what each financial event posts to the journal
- errors.py        the refusals these rules make

Standard library, eventsourcing.domain, shared.attached_files, shared.errors and
shared.vocabulary only."""

from services.finance.domain.appropriation import Appropriation
from services.finance.domain.attachments import TrancheAttachments
from services.finance.domain.claims import TrancheRef, VoucherClaim
from services.finance.domain.funding import ContractFunding
from services.finance.domain.journal import JournalEntry
from services.finance.domain.recovery import Recovery

__all__ = [
    "Appropriation",
    "ContractFunding",
    "JournalEntry",
    "Recovery",
    "TrancheAttachments",
    "TrancheRef",
    "VoucherClaim",
]
