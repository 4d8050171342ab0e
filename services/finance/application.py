"""Finance use cases: primitives in, primitives out. Every change is saved with
its journal entries in one transaction. A lost race is re-run on the fresh
state, where it is usually refused (already paid) and never paid twice."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Callable

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.finance import consuming, figures
from services.finance.claims import TrancheRef, VoucherClaim
from services.finance.domain import ContractFunding
from services.finance.exceptions import (
    ConcurrentUpdate, ContractNotFound, DuplicateVoucher, RecoveryNotFound, TrancheNotFound,
)
from services.finance.journal import entries_for
from services.finance.publishing import public_event
from services.finance.recovery import Recovery
from services.finance.views import FundingIndex, LedgerView, RecoveryView
from shared.clock import programme_today
from shared.eventstore import ServiceApplication

ATTEMPTS = 3


class FinanceApplication(ServiceApplication):
    name = "finance"
    public_events = staticmethod(public_event)
    clock: Callable[[], date] = staticmethod(programme_today)

    def __init__(self, env=None):
        super().__init__(env)
        self.ledger = LedgerView(self)
        self.recovery_view = RecoveryView(self)
        self.index = FundingIndex(self)

    # -- upstream --------------------------------------------------------

    def handle_grants_event(self, envelope: dict[str, Any]) -> list[Any]:
        """Effects of one grants event, with their journal entries (saved with
        the tracking row by the consumer)."""
        effects = consuming.effects_of(self, envelope)
        return [*effects, *(entry for aggregate in effects for entry in entries_for(aggregate))]

    # -- reading ---------------------------------------------------------

    def _get(self, aggregate_id: Any, cls: type, not_found: type[Exception]):
        try:
            found = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise not_found(aggregate_id) from None
        if not isinstance(found, cls):
            raise not_found(aggregate_id)
        return found

    def _funding(self, contract_id: uuid.UUID) -> ContractFunding:
        return self._get(contract_id, ContractFunding, ContractNotFound)

    def _recovery_of(self, funding: ContractFunding) -> Recovery | None:
        try:
            return self.repository.get(Recovery.create_id(funding.id))
        except AggregateNotFoundError:
            return None

    def get_funding(self, contract_id: uuid.UUID) -> dict[str, Any]:
        funding = self._funding(contract_id)
        return figures.funding_summary(funding, self._recovery_of(funding), self.clock())

    def trial_balance(self, as_of: date | None = None) -> dict[str, Any]:
        as_of = as_of or self.clock()
        return figures.trial_balance(self.ledger.totals(as_of), self.ledger.count(as_of), as_of)

    def journal(self, *, after: int = 0, limit: int = 100, since: date | None = None,
                until: date | None = None) -> list[dict[str, Any]]:
        return self.ledger.journal(after=after, limit=limit, since=since, until=until)

    def reconciliation(self) -> dict[str, Any]:
        fundings = [self._funding(cid) for cid in self.index.contract_ids()]
        appropriations = [self.repository.get(aid) for aid in self.index.appropriation_ids()]
        return figures.reconciliation(
            fundings, {f.id: self._recovery_of(f) for f in fundings}, appropriations,
            self.ledger.balances_by_contract(), self.ledger.totals(), self.clock(),
        )

    def list_recoveries(self, *, status: str = "open", limit: int = 50, after: str | None = None) -> list[dict]:
        return self.recovery_view.list(status=status, limit=limit, after=after, today=self.clock())

    # -- writing ---------------------------------------------------------

    def _attempt(self, record_id: Any, change: Callable[[], list[Any]]) -> list[Any]:
        """Load, change and save; if another request saved first, do it again on
        the fresh state (which may now refuse it, e.g. as already paid)."""
        for _ in range(ATTEMPTS):
            aggregates = change()
            entries = [entry for aggregate in aggregates for entry in entries_for(aggregate)]
            try:
                self.save(*aggregates, *entries)
            except IntegrityError:
                continue
            return aggregates
        raise ConcurrentUpdate(record_id)

    def pay_tranche(self, tranche_id: uuid.UUID, *, amount_fen: int, voucher: str,
                    paid_on: date | None = None) -> dict[str, Any]:
        ref: TrancheRef = self._get(tranche_id, TrancheRef, TrancheNotFound)

        def change():
            funding = self._funding(ref.contract_id)
            funding.pay(number=ref.number, amount_fen=amount_fen, voucher=voucher,
                        paid_on=paid_on or self.clock(), today=self.clock())
            if self._exists(VoucherClaim.create_id(voucher.strip())):
                raise DuplicateVoucher(voucher.strip())
            return [funding, VoucherClaim(voucher=voucher.strip(), tranche_id=tranche_id)]

        funding, _ = self._attempt(ref.contract_id, change)
        return figures.tranche_view(funding.tranche(ref.number), funding)

    def reverse_payment(self, tranche_id: uuid.UUID, *, reason: str) -> dict[str, Any]:
        ref: TrancheRef = self._get(tranche_id, TrancheRef, TrancheNotFound)

        def change():
            funding = self._funding(ref.contract_id)
            funding.reverse_payment(number=ref.number, reason=reason, reversed_on=self.clock())
            return [funding]

        [funding] = self._attempt(ref.contract_id, change)
        return figures.tranche_view(funding.tranche(ref.number), funding)

    def record_expenditure(self, contract_id: uuid.UUID, *, budget_line: str, fund: str, amount_fen: int,
                           voucher: str, spent_on: date | None = None, description: str = "") -> dict[str, Any]:
        expenditure_id = uuid.uuid4()
        flags: list[str] = []

        def change():
            funding = self._funding(contract_id)
            flags[:] = funding.record_expenditure(
                expenditure_id=expenditure_id, budget_line=budget_line, fund=fund, amount_fen=amount_fen,
                voucher=voucher, spent_on=spent_on or self.clock(), description=description, today=self.clock(),
            )
            return [funding]

        self._attempt(contract_id, change)
        return {"expenditure_id": expenditure_id, "contract_id": contract_id, "flags": flags}

    def reverse_expenditure(self, contract_id: uuid.UUID, expenditure_id: uuid.UUID, *,
                            reason: str) -> dict[str, Any]:
        def change():
            funding = self._funding(contract_id)
            funding.reverse_expenditure(expenditure_id=expenditure_id, reason=reason, reversed_on=self.clock())
            return [funding]

        [funding] = self._attempt(contract_id, change)
        return next(x for x in funding.expenditures if x["expenditure_id"] == expenditure_id)

    def receive_donation(self, contract_id: uuid.UUID, *, donor: str, amount_fen: int, receipt: str,
                         received_on: date | None = None, purpose: str = "") -> dict[str, Any]:
        donation_id = uuid.uuid4()

        def change():
            funding = self._funding(contract_id)
            funding.receive_donation(donation_id=donation_id, donor=donor, amount_fen=amount_fen, receipt=receipt,
                                     received_on=received_on or self.clock(), purpose=purpose, today=self.clock())
            return [funding]

        [funding] = self._attempt(contract_id, change)
        return {"donation_id": donation_id, "contract_id": contract_id,
                "donation_balance_fen": funding.donation_balance_fen}

    def collect_recovery(self, recovery_id: uuid.UUID, *, amount_fen: int, reference: str,
                         collected_on: date | None = None) -> dict[str, Any]:
        collection_id = uuid.uuid4()

        def change():
            recovery: Recovery = self._get(recovery_id, Recovery, RecoveryNotFound)
            recovery.collect(collection_id=collection_id, amount_fen=amount_fen, reference=reference,
                             collected_on=collected_on or self.clock(), today=self.clock())
            return [recovery]

        [recovery] = self._attempt(recovery_id, change)
        return figures.recovery_view(recovery, self.clock())

    def write_off_recovery(self, recovery_id: uuid.UUID, *, reason: str, approver: str,
                           amount_fen: int | None = None, written_off_on: date | None = None) -> dict[str, Any]:
        def change():
            recovery: Recovery = self._get(recovery_id, Recovery, RecoveryNotFound)
            recovery.write_off(amount_fen=amount_fen, reason=reason, approver=approver,
                               written_off_on=written_off_on or self.clock(), today=self.clock())
            return [recovery]

        [recovery] = self._attempt(recovery_id, change)
        return figures.recovery_view(recovery, self.clock())

    def _exists(self, aggregate_id: uuid.UUID) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True
