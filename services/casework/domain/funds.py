"""What casework knows of each contract from other services: money as finance
reports it (tranches paid, expenditures, designated donations) and the scope
grants signed, kept so quarterly reports come from casework's own log."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

FUNDS_NAMESPACE = uuid.UUID("6e2d4c1b-7a9f-4e3d-8b5c-0d1e2f3a4b5c")


class ContractFunds(Aggregate):
    """One per contract; donations not designated to a contract go to `None`'s."""

    @staticmethod
    def create_id(contract_id: uuid.UUID | None) -> uuid.UUID:
        return uuid.uuid5(FUNDS_NAMESPACE, str(contract_id) if contract_id else "undesignated")

    @event("Opened")
    def __init__(self, contract_id: uuid.UUID | None):
        self.contract_id = contract_id

    class TranchePaid(Aggregate.Event):
        tranche_id: uuid.UUID
        number: int
        amount_fen: int
        paid_on: date

    @event(TranchePaid)
    def tranche_paid(self, tranche_id: uuid.UUID, number: int, amount_fen: int, paid_on: date) -> None:
        pass

    class ExpenditureRecorded(Aggregate.Event):
        expenditure_id: uuid.UUID
        budget_line: str
        fund: str
        amount_fen: int
        spent_on: date

    @event(ExpenditureRecorded)
    def expenditure_recorded(
        self, expenditure_id: uuid.UUID, budget_line: str, fund: str, amount_fen: int, spent_on: date
    ) -> None:
        pass

    class DonationReceived(Aggregate.Event):
        donation_id: uuid.UUID
        donor: str
        amount_fen: int
        received_on: date

    @event(DonationReceived)
    def donation_received(self, donation_id: uuid.UUID, donor: str, amount_fen: int, received_on: date) -> None:
        pass


SCOPE_NAMESPACE = uuid.UUID("2f6a9c4e-1b3d-4e5f-a7b8-c9d0e1f2a3b4")


class ContractScope(Aggregate):
    """What a signed contract asks casework to deliver (grants' contract_signed),
    so the quarterly report can name gaps against the contract's own scope, and
    which children it reaches: those living in its service area."""

    @staticmethod
    def create_id(contract_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(SCOPE_NAMESPACE, str(contract_id))

    class Signed(Aggregate.Created):
        """v2 adds the service area (v1 events, and contracts signed before
        grants named one: empty, so the contract reaches only referred children)."""

        class_version = 2
        contract_id: uuid.UUID
        organization_id: uuid.UUID
        service_lines: list[str]
        period_start: date
        period_end: date
        signed_on: date
        service_area: list[dict[str, Any]]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["service_area"] = []

    @event(Signed)
    def __init__(
        self,
        contract_id: uuid.UUID,
        organization_id: uuid.UUID,
        service_lines: list[str],
        period_start: date,
        period_end: date,
        signed_on: date,
        service_area: list[dict[str, Any]],
    ):
        self.contract_id = contract_id
        self.organization_id = organization_id
        self.service_lines = list(service_lines)
        self.period_start = period_start
        self.period_end = period_end
        self.service_area = [dict(entry) for entry in service_area]
        self.status = ACTIVE

    class StatusChanged(Aggregate.Event):
        """Grants suspended, reinstated, terminated or completed the contract."""

        status: str
        on: date

    @event(StatusChanged)
    def _change_status(self, status: str, on: date) -> None:
        self.status = status

    def change_status(self, status: str, on: date) -> bool:
        """Follow grants' decision; False (nothing recorded) when it changes
        nothing: an ended contract stays ended, reinstating needs a suspension."""
        if status not in STATUSES:
            raise ValueError(f"unknown contract status {status!r}")
        current = getattr(self, "status", ACTIVE)
        if current in ENDED or status == current or (status == ACTIVE and current != SUSPENDED):
            return False
        self._change_status(status=status, on=on)
        return True

    @property
    def reaches(self) -> bool:
        """Whether its staff still reach children (read them): not once ended."""
        return getattr(self, "status", ACTIVE) not in ENDED

    @property
    def takes_new_work(self) -> bool:
        """Whether new work may be recorded under it: only while active
        (暂停 suspends new work, 卫沙民社函〔2025〕11号 §七; ended: none)."""
        return getattr(self, "status", ACTIVE) == ACTIVE


# A contract's status as casework follows it from grants' lifecycle events.
ACTIVE, SUSPENDED, TERMINATED, CLOSED = "active", "suspended", "terminated", "closed"
STATUSES = (ACTIVE, SUSPENDED, TERMINATED, CLOSED)
ENDED = (TERMINATED, CLOSED)
