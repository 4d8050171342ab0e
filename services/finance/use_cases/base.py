"""What every finance use case stands on: the read models it may consult,
loading a contract's money, and saving a change together with the journal
entries its events post."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from services.finance.domain import ContractFunding, Recovery
from services.finance.domain.postings import with_entries
from services.finance.exceptions import ContractNotFound
from services.finance.views import FundingIndex, LedgerView, RecoveryView
from shared.eventstore import ServiceApplication
from shared.past_registers import PastRegisters

T = TypeVar("T")


class FinanceBase(ServiceApplication):
    """The finance application as its use cases see it (built by
    services.finance.application.FinanceApplication)."""

    ledger: LedgerView  # the journal: trial balances, journal pages, ledger figures
    recovery_view: RecoveryView  # recoveries with what is still outstanding
    index: FundingIndex  # every funded contract and appropriation
    past: PastRegisters  # the registers rebuilt as they stood (shared/past_registers.py)

    def _funding(self, contract_id: uuid.UUID) -> ContractFunding:
        return self.load(ContractFunding, contract_id, ContractNotFound)

    def _recovery_of(self, funding: ContractFunding) -> Recovery | None:
        return self.find(Recovery, Recovery.create_id(funding.id))

    def retrying_journalled(self, record: Any, attempt: Callable[[], tuple[T, Sequence[Any]]]) -> T:
        """`retrying`, saving what `attempt` changed together with the journal
        entries its new events post, all in one transaction. A lost race is
        re-run on the fresh state, where it may now be refused (already paid)
        and is never paid twice."""

        def journalled() -> tuple[T, list[Any]]:
            answer, changed = attempt()
            return answer, with_entries(changed)

        return self.retrying(record, journalled)
