"""What each grants event means for the money. A consumer may not refuse an
upstream fact, so nothing here raises for a business reason: an event finance
cannot use is logged and has no effect, and repeated facts change nothing."""
from __future__ import annotations

import logging
from typing import Any, Callable

from eventsourcing.application import AggregateNotFoundError

from services.finance.appropriation import HARDSHIP_RELIEF, Appropriation
from services.finance.claims import TrancheRef
from services.finance.domain import ContractFunding
from services.finance.recovery import Recovery

log = logging.getLogger(__name__)


def _get(app, cls, aggregate_id):
    try:
        found = app.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, cls) else None


def _funding(app, payload) -> ContractFunding | None:
    funding = _get(app, ContractFunding, payload["contract_id"])
    if funding is None:
        log.warning("grants event for contract %s, which finance has not seen signed", payload["contract_id"])
    return funding


def call_published(app, p) -> list[Any]:
    if _get(app, Appropriation, Appropriation.create_id(p["call_id"])) is not None:
        return []
    return [Appropriation(call_id=p["call_id"], amount_fen=p["budget_fen"], source=HARDSHIP_RELIEF,
                          appropriated_on=p["published_on"], announced=True)]


def application_determined(app, p) -> list[Any]:
    appropriation = _get(app, Appropriation, Appropriation.create_id(p["call_id"]))
    if appropriation is None:
        # Determination without a known call: commit anyway and let reconciliation show the break.
        appropriation = Appropriation(call_id=p["call_id"], amount_fen=0, source=HARDSHIP_RELIEF,
                                      appropriated_on=p["determined_on"], announced=False)
    appropriation.commit(p["application_id"], p["amount_fen"], p["determined_on"])
    return [appropriation]


def determination_voided(app, p) -> list[Any]:
    appropriation = _get(app, Appropriation, Appropriation.create_id(p["call_id"]))
    if appropriation is None or not appropriation.release(p["application_id"], p["reason"], p["voided_on"]):
        return []
    return [appropriation]


def contract_signed(app, p) -> list[Any]:
    if _get(app, ContractFunding, p["contract_id"]) is not None:
        return []
    appropriation = _get(app, Appropriation, Appropriation.create_id(p["call_id"]))
    committed = appropriation.commitments.get(str(p["application_id"])) if appropriation else None
    funding = ContractFunding.sign(
        contract_id=p["contract_id"], call_id=p["call_id"], application_id=p["application_id"],
        organization_id=p["organization_id"], amount_fen=p["amount_fen"], committed_fen=committed,
        period_start=p["period_start"], period_end=p["period_end"], signed_on=p["signed_on"],
        tranches=p["tranches"], budget_lines=p["budget_lines"],
    )
    refs = [TrancheRef(tranche_id=t["tranche_id"], contract_id=p["contract_id"], number=t["number"])
            for t in funding.tranches]
    return [funding, *refs]


def _on_funding(act: Callable[[ContractFunding, dict], None]) -> Callable:
    def handle(app, p) -> list[Any]:
        funding = _funding(app, p)
        if funding is None:
            return []
        act(funding, p)
        return [funding]
    return handle


def contract_terminated(app, p) -> list[Any]:
    funding = _funding(app, p)
    if funding is None or not funding.terminate(p["reason"], p["terminated_on"]):
        return []
    decided = p["recovery_fen"]
    amount = funding.paid_fen if decided is None else decided
    if amount <= 0:
        return [funding]
    recovery = Recovery(contract_id=funding.id, organization_id=p["organization_id"], amount_fen=amount,
                        raised_on=p["terminated_on"], reason=p["reason"],
                        basis="all_fiscal_paid" if decided is None else "decision")
    return [funding, recovery]


HANDLERS: dict[str, Callable[[Any, dict], list[Any]]] = {
    "grants.call_published.v1": call_published,
    "grants.application_determined.v1": application_determined,
    "grants.determination_voided.v1": determination_voided,
    "grants.contract_signed.v1": contract_signed,
    "grants.mid_term_evaluation_recorded.v1": _on_funding(lambda f, p: f.record_mid_term(p["passed"], p["evaluated_on"])),
    "grants.completion_recorded.v1": _on_funding(lambda f, p: f.record_completion(p["completed_on"])),
    "grants.effectiveness_evaluation_recorded.v1": _on_funding(
        lambda f, p: f.record_effectiveness(p["passed"], p["evaluated_on"])),
    "grants.contract_suspended.v1": _on_funding(lambda f, p: f.suspend(p["reason"], p["suspended_on"])),
    "grants.contract_reinstated.v1": _on_funding(lambda f, p: f.reinstate(p["reinstated_on"])),
    "grants.contract_terminated.v1": contract_terminated,
}


def effects_of(app, envelope: dict[str, Any]) -> list[Any]:
    handler = HANDLERS.get(envelope["type"])
    return handler(app, envelope["payload"]) if handler else []
