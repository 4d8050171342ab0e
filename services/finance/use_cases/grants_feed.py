"""What each grants event means for the money. A consumer may not refuse an
upstream fact, so nothing here raises for a business reason: an event finance
cannot use is logged and has no effect, and repeated facts change nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from services.finance.domain import Appropriation, ContractFunding, Recovery, TrancheRef
from services.finance.domain.appropriation import HARDSHIP_RELIEF
from services.finance.domain.postings import with_entries
from services.finance.domain.recovery import ALL_FISCAL_PAID, DECISION, UNSPENT_UNDELIVERED, unspent_undelivered_fen
from services.finance.use_cases.base import FinanceBase

log = logging.getLogger(__name__)

Reaction = Callable[["GrantsFeedUseCases", dict[str, Any]], list[Any]]


def _on_funding(act: Callable[[ContractFunding, dict[str, Any]], None]) -> Reaction:
    """A reaction that changes a signed contract's money (and ignores an unknown one)."""

    def react(app: GrantsFeedUseCases, p: dict[str, Any]) -> list[Any]:
        funding = app._signed_funding(p)
        if funding is None:
            return []
        act(funding, p)
        return [funding]

    return react


class GrantsFeedUseCases(FinanceBase):
    def handle_grants_event(self, envelope: dict[str, Any]) -> list[Any]:
        """Effects of one grants event, with their journal entries (saved with
        the tracking row by the consumer)."""
        react = REACTIONS.get(envelope["type"])
        return with_entries(react(self, envelope["payload"]) if react else [])

    def _appropriation(self, call_id: Any) -> Appropriation | None:
        return self.find(Appropriation, Appropriation.create_id(call_id))

    def _signed_funding(self, p: dict[str, Any]) -> ContractFunding | None:
        funding = self.find(ContractFunding, p["contract_id"])
        if funding is None:
            log.warning("grants event for contract %s, which finance has not seen signed", p["contract_id"])
        return funding

    def _call_published(self, p: dict[str, Any]) -> list[Any]:
        if self._appropriation(p["call_id"]) is not None:
            return []
        return [
            Appropriation(
                call_id=p["call_id"],
                amount_fen=p["budget_fen"],
                source=HARDSHIP_RELIEF,
                appropriated_on=p["published_on"],
                announced=True,
            )
        ]

    def _application_determined(self, p: dict[str, Any]) -> list[Any]:
        appropriation = self._appropriation(p["call_id"])
        if appropriation is None:
            # Determination without a known call: commit anyway and let reconciliation show the break.
            appropriation = Appropriation(
                call_id=p["call_id"],
                amount_fen=0,
                source=HARDSHIP_RELIEF,
                appropriated_on=p["determined_on"],
                announced=False,
            )
        appropriation.commit(p["application_id"], p["amount_fen"], p["determined_on"])
        return [appropriation]

    def _determination_voided(self, p: dict[str, Any]) -> list[Any]:
        appropriation = self._appropriation(p["call_id"])
        if appropriation is None or not appropriation.release(p["application_id"], p["reason"], p["voided_on"]):
            return []
        return [appropriation]

    def _contract_signed(self, p: dict[str, Any]) -> list[Any]:
        if self.find(ContractFunding, p["contract_id"]) is not None:
            return []
        appropriation = self._appropriation(p["call_id"])
        committed = appropriation.commitments.get(str(p["application_id"])) if appropriation else None
        funding = ContractFunding.sign(
            contract_id=p["contract_id"],
            call_id=p["call_id"],
            application_id=p["application_id"],
            organization_id=p["organization_id"],
            amount_fen=p["amount_fen"],
            committed_fen=committed,
            period_start=p["period_start"],
            period_end=p["period_end"],
            signed_on=p["signed_on"],
            tranches=p["tranches"],
            budget_lines=p["budget_lines"],
        )
        refs = [
            TrancheRef(tranche_id=t["tranche_id"], contract_id=p["contract_id"], number=t["number"])
            for t in funding.tranches
        ]
        return [funding, *refs]

    def _contract_terminated(self, p: dict[str, Any]) -> list[Any]:
        """v1 carried no rule: a null recovery_fen meant all fiscal money paid."""
        rule = "all_paid" if p["recovery_fen"] is None else "decided"
        return self._contract_terminated_v2({**p, "recovery_rule": rule, "delivered_fen": None, "basis": ""})

    def _contract_terminated_v2(self, p: dict[str, Any]) -> list[Any]:
        funding = self._signed_funding(p)
        if funding is None:
            return []
        paid, spent = funding.paid_fen, funding.spent_fen("fiscal")
        if not funding.terminate(p["reason"], p["terminated_on"]):
            return []
        if p["recovery_rule"] == "unspent_undelivered":
            amount, basis = unspent_undelivered_fen(paid, spent, p["delivered_fen"]), UNSPENT_UNDELIVERED
        elif p["recovery_rule"] == "decided":
            amount, basis = p["recovery_fen"], DECISION
        else:
            amount, basis = paid, ALL_FISCAL_PAID
        if amount <= 0:
            return [funding]
        recovery = Recovery(
            contract_id=funding.id,
            organization_id=p["organization_id"],
            amount_fen=amount,
            raised_on=p["terminated_on"],
            reason=p["reason"],
            basis=basis,
        )
        return [funding, recovery]


REACTIONS: dict[str, Reaction] = {
    "grants.call_published.v1": GrantsFeedUseCases._call_published,
    "grants.application_determined.v1": GrantsFeedUseCases._application_determined,
    "grants.determination_voided.v1": GrantsFeedUseCases._determination_voided,
    "grants.contract_signed.v1": GrantsFeedUseCases._contract_signed,
    "grants.contract_signed.v2": GrantsFeedUseCases._contract_signed,  # adds the service area: not money
    "grants.mid_term_evaluation_recorded.v1": _on_funding(
        lambda f, p: f.record_mid_term(p["passed"], p["evaluated_on"])
    ),
    "grants.completion_recorded.v1": _on_funding(lambda f, p: f.record_completion(p["completed_on"])),
    "grants.effectiveness_evaluation_recorded.v1": _on_funding(
        lambda f, p: f.record_effectiveness(p["passed"], p["evaluated_on"])
    ),
    "grants.contract_suspended.v1": _on_funding(lambda f, p: f.suspend(p["reason"], p["suspended_on"])),
    "grants.contract_reinstated.v1": _on_funding(lambda f, p: f.reinstate(p["reinstated_on"])),
    "grants.contract_terminated.v1": GrantsFeedUseCases._contract_terminated,
    "grants.contract_terminated.v2": GrantsFeedUseCases._contract_terminated_v2,
}
