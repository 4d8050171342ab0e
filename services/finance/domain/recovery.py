"""Money to recover (追回) from a terminated contract: raised once, settled by
collections and approved write-offs."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.finance.domain import money
from services.finance.domain.errors import RecoveryRefused

_RECOVERIES = uuid.UUID("5f3e2d1c-0b9a-4877-8695-a4b3c2d1e0f9")
OPEN, SETTLED = "open", "settled"


# How the amount was computed (grants.contract_terminated: the reason decides the rule).
ALL_FISCAL_PAID, DECISION, UNSPENT_UNDELIVERED = "all_fiscal_paid", "decision", "unspent_undelivered"


def unspent_undelivered_fen(paid_fen: int, spent_fen: int, delivered_fen: int) -> int:
    """A termination without fault (force majeure, 卫沙民社函〔2025〕11号 §七.(三)) recovers only the
    fiscal money paid that is neither spent on the project nor covered by the
    services the bureau decided were delivered: the provider keeps whichever is
    larger, never more than it was paid."""
    return max(paid_fen - max(spent_fen, delivered_fen), 0)


def status_for(outstanding_fen: int) -> str:
    """Open while anything is outstanding, else settled."""
    return OPEN if outstanding_fen > 0 else SETTLED


def age_in_days(raised_on: date, today: date) -> int:
    """Days since the recovery was raised (never negative)."""
    return max((today - raised_on).days, 0)


class Recovery(Aggregate):
    @staticmethod
    def create_id(contract_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(_RECOVERIES, str(contract_id))

    @event("Raised")
    def __init__(
        self,
        contract_id: uuid.UUID,
        organization_id: uuid.UUID,
        amount_fen: int,
        raised_on: date,
        reason: str,
        basis: str,
    ):
        self.contract_id = contract_id
        self.organization_id = organization_id
        self.amount_fen = amount_fen
        self.raised_on = raised_on
        self.reason = reason
        self.basis = basis  # ALL_FISCAL_PAID, DECISION or UNSPENT_UNDELIVERED
        self.collected_fen = 0
        self.written_off_fen = 0
        self.collections: list[dict[str, Any]] = []
        self.write_offs: list[dict[str, Any]] = []

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.collected_fen - self.written_off_fen

    @property
    def status(self) -> str:
        return status_for(self.outstanding_fen)

    def _check_amount(self, amount_fen: int, on: date, today: date, what: str) -> dict[str, list[str]]:
        problems: dict[str, list[str]] = {}
        if self.outstanding_fen == 0:
            problems["recovery"] = ["is already settled"]
        elif not money.is_positive_fen(amount_fen):
            problems["amount_fen"] = ["must be a positive whole number of fen"]
        elif amount_fen > self.outstanding_fen:
            problems["amount_fen"] = [
                f"{what} of {amount_fen} fen is more than the {self.outstanding_fen} fen outstanding"
            ]
        if on > today:
            problems[f"{what}_on"] = ["is in the future"]
        elif on < self.raised_on:
            problems[f"{what}_on"] = [f"is before the recovery was raised ({self.raised_on.isoformat()})"]
        return problems

    def collect(
        self, *, collection_id: uuid.UUID, amount_fen: int, collected_on: date, reference: str, today: date
    ) -> None:
        problems = self._check_amount(amount_fen, collected_on, today, "collected")
        if not reference.strip():
            problems["reference"] = ["a receipt or bank reference is required"]
        if any(c["reference"] == reference.strip() for c in self.collections):
            problems["reference"] = [f"collection {reference.strip()!r} is already recorded"]
        if problems:
            raise RecoveryRefused(problems)
        self._collected(
            collection_id=collection_id,
            contract_id=self.contract_id,
            amount_fen=amount_fen,
            outstanding_fen=self.outstanding_fen - amount_fen,
            collected_on=collected_on,
            reference=reference.strip(),
        )

    @event("Collected")
    def _collected(
        self,
        collection_id: uuid.UUID,
        contract_id: uuid.UUID,
        amount_fen: int,
        outstanding_fen: int,
        collected_on: date,
        reference: str,
    ) -> None:
        self.collected_fen += amount_fen
        self.collections.append(
            {
                "collection_id": collection_id,
                "amount_fen": amount_fen,
                "collected_on": collected_on,
                "reference": reference,
            }
        )

    def write_off(
        self, *, amount_fen: int | None, reason: str, approver: str, written_off_on: date, today: date
    ) -> int:
        """Writes off `amount_fen` (default: all outstanding); returns the amount."""
        amount = self.outstanding_fen if amount_fen is None else amount_fen
        problems = self._check_amount(amount, written_off_on, today, "written_off")
        if not reason.strip():
            problems["reason"] = ["a write-off needs a reason"]
        if not approver.strip():
            problems["approver"] = ["a write-off needs an approver"]
        if problems:
            raise RecoveryRefused(problems)
        self._written_off(
            contract_id=self.contract_id,
            amount_fen=amount,
            reason=reason.strip(),
            approver=approver.strip(),
            written_off_on=written_off_on,
        )
        return amount

    @event("WrittenOff")
    def _written_off(
        self, contract_id: uuid.UUID, amount_fen: int, reason: str, approver: str, written_off_on: date
    ) -> None:
        self.written_off_fen += amount_fen
        self.write_offs.append(
            {"amount_fen": amount_fen, "reason": reason, "approver": approver, "written_off_on": written_off_on}
        )
