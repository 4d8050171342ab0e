"""Which grants events become public, and in what shape (shared.contracts.grants)."""

from __future__ import annotations

from typing import Any

from services.grants.domain.calls import Call
from services.grants.domain.contracts import WITHOUT_FAULT, Contract, recovery_rule
from services.grants.domain.organizations import Organization
from services.grants.domain.proposals import Proposal


def _evaluation(e: Any) -> dict[str, Any]:
    return {
        "contract_id": e.originator_id,
        "evaluation_id": e.evaluation_id,
        "score": e.score,
        "grade": e.grade,
        "passed": e.passed,
        "evaluated_on": e.evaluated_on,
    }


def public_event(e: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(e, Call.Published):
        return "grants.call_published.v1", {
            "call_id": e.originator_id,
            "title": e.title,
            "budget_fen": e.budget_fen,
            "service_start": e.service_start,
            "service_end": e.service_end,
            "published_on": e.published_on,
        }
    if isinstance(e, Proposal.Determined):
        return "grants.application_determined.v1", {
            "call_id": e.call_id,
            "application_id": e.originator_id,
            "organization_id": e.organisation_id,
            "amount_fen": e.amount_fen,
            "determined_on": e.determined_on,
        }
    if isinstance(e, Call.DeterminationVoided):
        return "grants.determination_voided.v1", {
            "call_id": e.originator_id,
            "application_id": e.application_id,
            "reason": e.reason,
            "voided_on": e.voided_on,
        }
    if isinstance(e, Contract.Signed):
        return "grants.contract_signed.v2", {
            "contract_id": e.originator_id,
            "call_id": e.call_id,
            "application_id": e.application_id,
            "organization_id": e.organisation_id,
            "amount_fen": e.amount_fen,
            "period_start": e.period_start,
            "period_end": e.period_end,
            "signed_on": e.signed_on,
            "tranches": e.tranches,
            "budget_lines": e.budget_lines,
            "service_lines": e.service_lines,
            "service_area": e.service_area,
        }
    if isinstance(e, Contract.QuarterlyReportAccepted):
        return "grants.quarterly_report_accepted.v1", {
            "contract_id": e.originator_id,
            "report_id": e.report_id,
            "year": e.year,
            "quarter": e.quarter,
            "accepted_on": e.accepted_on,
        }
    if isinstance(e, Contract.MidTermEvaluated):
        return "grants.mid_term_evaluation_recorded.v1", _evaluation(e)
    if isinstance(e, Contract.Completed):
        return "grants.completion_recorded.v1", {"contract_id": e.originator_id, "completed_on": e.completed_on}
    if isinstance(e, Contract.EffectivenessEvaluated):
        return "grants.effectiveness_evaluation_recorded.v1", _evaluation(e)
    if isinstance(e, Contract.Suspended):
        return "grants.contract_suspended.v1", {
            "contract_id": e.originator_id,
            "reason": e.reason,
            "suspended_on": e.suspended_on,
        }
    if isinstance(e, Contract.Reinstated):
        return "grants.contract_reinstated.v1", {"contract_id": e.originator_id, "reinstated_on": e.reinstated_on}
    if isinstance(e, Contract.Terminated):
        return "grants.contract_terminated.v2", {
            "contract_id": e.originator_id,
            "organization_id": e.organisation_id,
            "reason": e.reason,
            "terminated_on": e.terminated_on,
            "recovery_rule": recovery_rule(e.recovery_fen),
            "recovery_fen": e.recovery_fen,
            "delivered_fen": None,
            "basis": e.details,
        }
    if isinstance(e, Contract.TerminatedWithoutFault):
        return "grants.contract_terminated.v2", {
            "contract_id": e.originator_id,
            "organization_id": e.organisation_id,
            "reason": WITHOUT_FAULT,
            "terminated_on": e.terminated_on,
            "recovery_rule": "unspent_undelivered",
            "recovery_fen": None,
            "delivered_fen": e.delivered_fen,
            "basis": e.basis,
        }
    if isinstance(e, Organization.Banned):
        return "grants.organization_banned.v1", {
            "organization_id": e.originator_id,
            "name": e.name,
            "credit_code": e.credit_code,
            "reason": e.reason,
            "decided_on": e.decided_on,
            "banned_until": e.banned_until,
        }
    return None
