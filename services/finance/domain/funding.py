"""The money of one funded contract, from obligation to spending: tranches
and their gates, withholding, payments, provider spending and designated
donations.

A tranche's status follows from its gate and the contract's state:
paid > withheld (contract suspended/terminated, or its evaluation failed) >
payable (gate met) > pending. Every change of status is its own event, so each
one can be journalled and published on its own."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.finance.domain import money
from services.finance.domain.errors import (
    DonationRefused,
    DuplicateVoucher,
    ExpenditureNotFound,
    ExpenditureRefused,
    PaymentRefused,
    TrancheAlreadyPaid,
    TrancheNotPayable,
)
from services.finance.domain.money import FUNDS
from shared.vocabulary import GATES

PENDING, PAYABLE, PAID, WITHHELD = "pending", "payable", "paid", "withheld"
ACTIVE, SUSPENDED, TERMINATED = "active", "suspended", "terminated"
MET, FAILED = "met", "failed"

_TRANCHES = uuid.UUID("6a1d3c1e-9a4b-4d7e-b1f8-3f0c2e9a5b21")


def tranche_id_for(contract_id: uuid.UUID, number: int) -> uuid.UUID:
    return uuid.uuid5(_TRANCHES, f"{contract_id}/{number}")


class ContractFunding(Aggregate):
    @staticmethod
    def create_id(contract_id: uuid.UUID) -> uuid.UUID:
        return contract_id

    @event("Obligated")
    def __init__(
        self,
        contract_id: uuid.UUID,
        call_id: uuid.UUID,
        application_id: uuid.UUID,
        organization_id: uuid.UUID,
        amount_fen: int,
        committed_fen: int | None,
        period_start: date,
        period_end: date,
        signed_on: date,
        tranches: list[dict[str, Any]],
        budget_lines: list[dict[str, Any]],
        plan_notes: list[str],
        plan_valid: bool,
    ):
        self.contract_id = contract_id
        self.call_id = call_id
        self.application_id = application_id
        self.organization_id = organization_id
        self.obligated_fen = amount_fen
        self.committed_fen = committed_fen
        self.period_start = period_start
        self.period_end = period_end
        self.signed_on = signed_on
        self.plan_notes = list(plan_notes)
        self.plan_is_valid = plan_valid
        self.tranches = [
            {
                **t,
                "status": PENDING,
                "payable_on": None,
                "paid_on": None,
                "voucher": None,
                "withheld_reason": None,
                "paid_version": None,
            }
            for t in tranches
        ]
        self.budget = {line["line"]: line["amount_fen"] for line in budget_lines}
        self.state = ACTIVE
        self.state_reason: str | None = None
        self.terminated_on: date | None = None
        self.deobligated_fen = 0
        self.gates: dict[str, str | None] = {gate: None for gate in GATES}
        self.completed_on: date | None = None
        self.effectiveness: str | None = None
        self.spent: dict[str, dict[str, int]] = {fund: {} for fund in FUNDS}
        self.expenditures: list[dict[str, Any]] = []
        self.vouchers: set[str] = set()
        self.donations: list[dict[str, Any]] = []

    @classmethod
    def sign(
        cls,
        *,
        contract_id: uuid.UUID,
        call_id: uuid.UUID,
        application_id: uuid.UUID,
        organization_id: uuid.UUID,
        amount_fen: int,
        committed_fen: int | None,
        period_start: date,
        period_end: date,
        signed_on: date,
        tranches: list[dict[str, Any]],
        budget_lines: list[dict[str, Any]],
    ) -> ContractFunding:
        """A plan that does not add up is recorded with its problems, and no tranche
        of it becomes payable: money is never paid on a plan finance cannot split."""
        ordered = sorted(tranches, key=lambda t: t["number"])
        percents = [t["percent"] for t in ordered]
        problems = money.plan_problems(amount_fen, percents)
        if [t["number"] for t in ordered] != list(range(1, len(ordered) + 1)):
            problems.append("tranches must be numbered 1, 2, 3 … without gaps")
        if any(t["gate"] not in GATES for t in ordered):
            problems.append(f"each tranche gate must be one of {', '.join(GATES)}")
        amounts = [0] * len(ordered) if problems else money.split(amount_fen, percents)
        notes = list(problems)
        for t, amount in zip(ordered, amounts, strict=True):
            if not problems and t["amount_fen"] != amount:
                notes.append(
                    f"tranche {t['number']}: grants stated {t['amount_fen']} fen, "
                    f"finance computed {amount} fen and uses that"
                )
        plan = [
            {
                "tranche_id": tranche_id_for(contract_id, t["number"]),
                "number": t["number"],
                "percent": t["percent"],
                "gate": t["gate"],
                "amount_fen": amount,
            }
            for t, amount in zip(ordered, amounts, strict=True)
        ]
        funding = cls(
            contract_id=contract_id,
            call_id=call_id,
            application_id=application_id,
            organization_id=organization_id,
            amount_fen=amount_fen,
            committed_fen=committed_fen,
            period_start=period_start,
            period_end=period_end,
            signed_on=signed_on,
            tranches=plan,
            budget_lines=[dict(b) for b in budget_lines],
            plan_notes=notes,
            plan_valid=not problems,
        )
        funding.record_gate("signing", True, signed_on)
        return funding

    # -- figures ---------------------------------------------------------

    def tranche(self, number: int) -> dict[str, Any]:
        return next(t for t in self.tranches if t["number"] == number)

    @property
    def paid_fen(self) -> int:
        return sum(t["amount_fen"] for t in self.tranches if t["status"] == PAID)

    @property
    def payable_fen(self) -> int:
        return sum(t["amount_fen"] for t in self.tranches if t["status"] == PAYABLE)

    @property
    def withheld_fen(self) -> int:
        return sum(t["amount_fen"] for t in self.tranches if t["status"] == WITHHELD)

    def spent_fen(self, fund: str) -> int:
        return sum(self.spent[fund].values())

    @property
    def donations_fen(self) -> int:
        return sum(d["amount_fen"] for d in self.donations)

    @property
    def donation_balance_fen(self) -> int:
        return self.donations_fen - self.spent_fen("donation")

    def _desired_status(self, t: dict[str, Any]) -> tuple[str, str | None]:
        if t["status"] == PAID:
            return PAID, None
        if self.state != ACTIVE:
            return WITHHELD, f"contract {self.state}" + (f": {self.state_reason}" if self.state_reason else "")
        gate = self.gates[t["gate"]]
        if gate == MET and self.plan_is_valid:
            return PAYABLE, None
        if gate == FAILED:
            return WITHHELD, {
                "mid_term_passed": "mid-term evaluation not passed",
                "final_passed": "effectiveness evaluation not passed",
            }.get(t["gate"], "gate failed")
        return PENDING, None

    def awaiting_evaluation(self) -> list[dict[str, Any]]:
        """The unpaid tranches of a live contract held by an evaluation not yet
        passed (the bureau's desk): the mid-term for a `mid_term_passed` gate,
        the effectiveness evaluation for `final_passed` (completion aside). A
        failed evaluation holds its tranche until a later one passes, so it is
        listed too, marked failed. A suspended or terminated contract's
        tranches wait on the contract, not on an evaluation: not listed."""
        if self.state != ACTIVE:
            return []
        outcomes = {"mid_term_passed": self.gates["mid_term_passed"], "final_passed": self.effectiveness}
        return [
            {**t, "evaluation_failed": outcomes[t["gate"]] == FAILED}
            for t in self.tranches
            if t["status"] != PAID and t["gate"] in outcomes and outcomes[t["gate"]] != MET
        ]

    def _settle(self, on: date) -> None:
        for t in self.tranches:
            status, reason = self._desired_status(t)
            if status == t["status"] or status == PAID:
                continue
            if status == PAYABLE:
                self._tranche_payable(number=t["number"], amount_fen=t["amount_fen"], payable_on=on)
            elif status == WITHHELD:
                assert reason is not None  # _desired_status gives every withholding its reason
                self._tranche_withheld(
                    number=t["number"],
                    amount_fen=t["amount_fen"],
                    reason=reason,
                    withheld_on=on,
                    was_payable=t["status"] == PAYABLE,
                )
            else:
                self._tranche_released(number=t["number"], released_on=on)

    @event("TranchePayable")
    def _tranche_payable(self, number: int, amount_fen: int, payable_on: date) -> None:
        t = self.tranche(number)
        t.update(status=PAYABLE, payable_on=payable_on, withheld_reason=None)

    @event("TrancheWithheld")
    def _tranche_withheld(
        self, number: int, amount_fen: int, reason: str, withheld_on: date, was_payable: bool
    ) -> None:
        t = self.tranche(number)
        t.update(status=WITHHELD, withheld_reason=reason, payable_on=None)

    @event("TrancheReleased")
    def _tranche_released(self, number: int, released_on: date) -> None:
        self.tranche(number).update(status=PENDING, withheld_reason=None)

    # -- gates and contract state (from grants' events) ------------------

    def record_gate(self, gate: str, passed: bool, on: date) -> None:
        outcome = MET if passed else FAILED
        if self.gates[gate] != outcome:
            self._gate_recorded(gate=gate, outcome=outcome, recorded_on=on)
        self._settle(on)

    @event("GateRecorded")
    def _gate_recorded(self, gate: str, outcome: str, recorded_on: date) -> None:
        self.gates[gate] = outcome

    def record_mid_term(self, passed: bool, on: date) -> None:
        self.record_gate("mid_term_passed", passed, on)

    def record_completion(self, on: date) -> None:
        if self.completed_on is None:
            self._completed(completed_on=on)
        self._refresh_final_gate(on)

    @event("Completed")
    def _completed(self, completed_on: date) -> None:
        self.completed_on = completed_on

    def record_effectiveness(self, passed: bool, on: date) -> None:
        outcome = MET if passed else FAILED
        if self.effectiveness != outcome:
            self._effectiveness_recorded(outcome=outcome, recorded_on=on)
        self._refresh_final_gate(on)

    @event("EffectivenessRecorded")
    def _effectiveness_recorded(self, outcome: str, recorded_on: date) -> None:
        self.effectiveness = outcome

    def _refresh_final_gate(self, on: date) -> None:
        if self.effectiveness == FAILED:
            self.record_gate("final_passed", False, on)
        elif self.effectiveness == MET and self.completed_on is not None:
            self.record_gate("final_passed", True, on)

    def suspend(self, reason: str, on: date) -> None:
        if self.state == ACTIVE:
            self._suspended(reason=reason, suspended_on=on)
            self._settle(on)

    @event("Suspended")
    def _suspended(self, reason: str, suspended_on: date) -> None:
        self.state, self.state_reason = SUSPENDED, reason

    def reinstate(self, on: date) -> None:
        if self.state == SUSPENDED:
            self._reinstated(reinstated_on=on)
            self._settle(on)

    @event("Reinstated")
    def _reinstated(self, reinstated_on: date) -> None:
        self.state, self.state_reason = ACTIVE, None

    def terminate(self, reason: str, on: date) -> bool:
        """False if already terminated. Unpaid money is withheld for good and de-obligated."""
        if self.state == TERMINATED:
            return False
        self._terminated(reason=reason, terminated_on=on, deobligated_fen=self.obligated_fen - self.paid_fen)
        self._settle(on)
        return True

    @event("Terminated")
    def _terminated(self, reason: str, terminated_on: date, deobligated_fen: int) -> None:
        self.state, self.state_reason = TERMINATED, reason
        self.terminated_on = terminated_on
        self.deobligated_fen = deobligated_fen

    # -- payments (finance officer) --------------------------------------

    def pay(self, *, number: int, amount_fen: int, voucher: str, paid_on: date, today: date) -> None:
        t = self.tranche(number)
        if t["status"] == PAID:
            raise TrancheAlreadyPaid(t["tranche_id"], t["voucher"])
        if t["status"] != PAYABLE:
            why = t["withheld_reason"] if t["status"] == WITHHELD else f"its gate ({t['gate']}) has not been met"
            if not self.plan_is_valid:
                why = "the contract's tranche plan is invalid: " + "; ".join(self.plan_notes)
            raise TrancheNotPayable({"tranche": [f"tranche {number} is {t['status']}: {why}"]})
        problems: dict[str, list[str]] = {}
        if not money.is_positive_fen(amount_fen):
            problems["amount_fen"] = ["must be a positive whole number of fen"]
        elif self.paid_fen + amount_fen > self.obligated_fen:
            problems["amount_fen"] = [
                f"paying {amount_fen} fen would bring payments to {self.paid_fen + amount_fen} fen, "
                f"above the obligation of {self.obligated_fen} fen"
            ]
        elif amount_fen != t["amount_fen"]:
            problems["amount_fen"] = [f"tranche {number} is {t['amount_fen']} fen, not {amount_fen}"]
        if not voucher.strip():
            problems["voucher"] = ["a voucher reference is required"]
        if paid_on > today:
            problems["paid_on"] = ["is in the future"]
        elif t["payable_on"] is not None and paid_on < t["payable_on"]:
            problems["paid_on"] = [f"is before the tranche became payable ({t['payable_on'].isoformat()})"]
        if problems:
            raise PaymentRefused(problems)
        # The payment event's own version, so a later reversal can name the entry it reverses.
        self._tranche_paid(
            number=number,
            amount_fen=amount_fen,
            voucher=voucher.strip(),
            paid_on=paid_on,
            paid_version=self.version + 1,
        )

    @event("TranchePaid")
    def _tranche_paid(self, number: int, amount_fen: int, voucher: str, paid_on: date, paid_version: int) -> None:
        self.tranche(number).update(status=PAID, paid_on=paid_on, voucher=voucher, paid_version=paid_version)

    def reverse_payment(self, *, number: int, reason: str, reversed_on: date) -> None:
        """A payment recorded in error is corrected by a reversal, never by editing it."""
        t = self.tranche(number)
        if t["status"] != PAID:
            raise PaymentRefused({"tranche": [f"tranche {number} is {t['status']}, not paid"]})
        if not reason.strip():
            raise PaymentRefused({"reason": ["a reversal needs a reason"]})
        if self.state == TERMINATED:
            raise PaymentRefused({"tranche": ["the contract is terminated; recover the money instead"]})
        self._payment_reversed(
            number=number,
            amount_fen=t["amount_fen"],
            voucher=t["voucher"],
            reason=reason.strip(),
            reversed_on=reversed_on,
            paid_version=t["paid_version"],
        )
        self._settle(reversed_on)

    @event("PaymentReversed")
    def _payment_reversed(
        self, number: int, amount_fen: int, voucher: str, reason: str, reversed_on: date, paid_version: int
    ) -> None:
        # The reversal restores the payable it settled; _settle withholds it again if it must.
        self.tranche(number).update(status=PAYABLE, paid_on=None, voucher=None, paid_version=None)

    # -- provider spending and donations ---------------------------------

    def record_expenditure(
        self,
        *,
        expenditure_id: uuid.UUID,
        budget_line: str,
        fund: str,
        amount_fen: int,
        voucher: str,
        spent_on: date,
        description: str,
        today: date,
    ) -> list[str]:
        """Records the spending; returns its flags (over budget, above money received)."""
        problems: dict[str, list[str]] = {}
        if fund not in FUNDS:
            problems["fund"] = [f"must be one of {', '.join(FUNDS)}"]
        if budget_line not in self.budget:
            problems["budget_line"] = [
                f"not an approved budget line; approved: {', '.join(sorted(self.budget)) or 'none'}"
            ]
        if not money.is_positive_fen(amount_fen):
            problems["amount_fen"] = ["must be a positive whole number of fen"]
        elif fund == "donation" and amount_fen > self.donation_balance_fen:
            problems["amount_fen"] = [
                f"designated donations for this project have {self.donation_balance_fen} fen unspent; "
                f"{amount_fen} fen cannot be charged to them"
            ]
        if not voucher.strip():
            problems["voucher"] = ["a voucher reference is required"]
        if spent_on > today:
            problems["spent_on"] = ["is in the future"]
        elif spent_on < self.signed_on:
            problems["spent_on"] = ["is before the contract was signed"]
        elif self.terminated_on is not None and spent_on > self.terminated_on:
            problems["spent_on"] = ["is after the contract was terminated"]
        if problems:
            raise ExpenditureRefused(problems)
        if voucher.strip() in self.vouchers:
            raise DuplicateVoucher(voucher.strip())
        flags = []
        if fund == "fiscal":
            if self.spent["fiscal"].get(budget_line, 0) + amount_fen > self.budget[budget_line]:
                flags.append("over_budget_line")
            if self.spent_fen("fiscal") + amount_fen > self.paid_fen:
                flags.append("above_money_received")
        self._expenditure_recorded(
            expenditure_id=expenditure_id,
            budget_line=budget_line,
            fund=fund,
            amount_fen=amount_fen,
            voucher=voucher.strip(),
            spent_on=spent_on,
            description=description,
            flags=flags,
            recorded_version=self.version + 1,
        )
        return flags

    @event("ExpenditureRecorded")
    def _expenditure_recorded(
        self,
        expenditure_id: uuid.UUID,
        budget_line: str,
        fund: str,
        amount_fen: int,
        voucher: str,
        spent_on: date,
        description: str,
        flags: list[str],
        recorded_version: int,
    ) -> None:
        self.spent[fund][budget_line] = self.spent[fund].get(budget_line, 0) + amount_fen
        self.vouchers.add(voucher)
        self.expenditures.append(
            {
                "expenditure_id": expenditure_id,
                "budget_line": budget_line,
                "fund": fund,
                "amount_fen": amount_fen,
                "voucher": voucher,
                "spent_on": spent_on,
                "flags": list(flags),
                "recorded_version": recorded_version,
                "reversed": False,
            }
        )

    def reverse_expenditure(self, *, expenditure_id: uuid.UUID, reason: str, reversed_on: date) -> None:
        """Spending recorded in error is corrected by a reversal; its voucher stays used."""
        found = next((x for x in self.expenditures if x["expenditure_id"] == expenditure_id), None)
        if found is None:
            raise ExpenditureNotFound(expenditure_id)
        if found["reversed"]:
            raise ExpenditureRefused({"expenditure": ["is already reversed"]})
        if not reason.strip():
            raise ExpenditureRefused({"reason": ["a reversal needs a reason"]})
        self._expenditure_reversed(
            expenditure_id=expenditure_id,
            budget_line=found["budget_line"],
            fund=found["fund"],
            amount_fen=found["amount_fen"],
            voucher=found["voucher"],
            reason=reason.strip(),
            reversed_on=reversed_on,
            recorded_version=found["recorded_version"],
        )

    @event("ExpenditureReversed")
    def _expenditure_reversed(
        self,
        expenditure_id: uuid.UUID,
        budget_line: str,
        fund: str,
        amount_fen: int,
        voucher: str,
        reason: str,
        reversed_on: date,
        recorded_version: int,
    ) -> None:
        self.spent[fund][budget_line] -= amount_fen
        next(x for x in self.expenditures if x["expenditure_id"] == expenditure_id)["reversed"] = True

    def receive_donation(
        self,
        *,
        donation_id: uuid.UUID,
        donor: str,
        amount_fen: int,
        receipt: str,
        received_on: date,
        purpose: str,
        today: date,
    ) -> None:
        problems: dict[str, list[str]] = {}
        if not donor.strip():
            problems["donor"] = ["the donor must be named"]
        if not receipt.strip():
            problems["receipt"] = ["a donation receipt (捐赠票据) number is required"]
        if not money.is_positive_fen(amount_fen):
            problems["amount_fen"] = ["must be a positive whole number of fen"]
        if received_on > today:
            problems["received_on"] = ["is in the future"]
        if self.state == TERMINATED:
            problems["contract_id"] = ["the project is terminated; a designated donation cannot be used for it"]
        if problems:
            raise DonationRefused(problems)
        if any(d["receipt"] == receipt.strip() for d in self.donations):
            raise DuplicateVoucher(receipt.strip())
        self._donation_received(
            donation_id=donation_id,
            donor=donor.strip(),
            amount_fen=amount_fen,
            receipt=receipt.strip(),
            received_on=received_on,
            purpose=purpose,
        )

    @event("DonationReceived")
    def _donation_received(
        self, donation_id: uuid.UUID, donor: str, amount_fen: int, receipt: str, received_on: date, purpose: str
    ) -> None:
        self.donations.append(
            {
                "donation_id": donation_id,
                "donor": donor,
                "amount_fen": amount_fen,
                "receipt": receipt,
                "received_on": received_on,
                "purpose": purpose,
            }
        )
