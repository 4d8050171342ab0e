"""Contracts: signing, monitoring, evaluation, closure, and the sanctions of
the implementation stage (卫沙民社函〔2025〕11号 §五.(三)–(四), 七)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from services.grants.domain import deadlines
from services.grants.domain.calls import Call, tranche_amounts
from services.grants.domain.contract_term import check_term
from services.grants.domain.contracts import DEFAULT_INDICATORS, DEFAULT_PASS_MARK, SANCTION_REASONS, Contract
from services.grants.domain.organizations import Organization
from services.grants.domain.proposals import Proposal
from services.grants.domain.report_schedule import late_periods
from services.grants.exceptions import (
    ApplicationNotFound,
    CallNotFound,
    ContractNotFound,
    GrantsRuleViolation,
    OrganizationNotFound,
)
from services.grants.use_cases.base import GrantsBase
from shared.context import current_meta
from shared.errors import refuse


class ContractUseCases(GrantsBase):
    def sign_contract(
        self,
        application_id: UUID,
        period_start: date,
        period_end: date,
        service_requirements: list[str],
        breach_terms: str,
        service_area: list[dict[str, Any]],
        signed_on: date | None = None,
        service_lines: list[str] | None = None,
        budget_lines: list[dict[str, Any]] | None = None,
        indicators: list[dict[str, Any]] | None = None,
        pass_mark: int | None = None,
        term_reason: str = "",
    ) -> UUID:
        on = self._on(signed_on, "signed_on")
        a = self.load(Proposal, application_id, ApplicationNotFound)
        call = self.load(Call, a.call_id, CallNotFound)
        org = self.load(Organization, a.organisation_id, OrganizationNotFound)
        a.check_contractable(on)
        ban = org.ban_on(on)
        if ban is not None:
            refuse("organization", f"banned until {ban['banned_until']}: {ban['reason']}", error=GrantsRuleViolation)
        scope = service_lines if service_lines is not None else list(call.terms["service_lines"])
        outside = sorted(set(scope) - set(call.terms["service_lines"]))
        if outside:
            refuse("service_lines", "not in the call: " + ", ".join(outside), error=GrantsRuleViolation)
        departures = check_term(
            period_start, period_end, call.terms["service_start"], call.terms["service_end"], term_reason
        )
        assert a.determination is not None  # contractable, so determined
        amount = a.determination["amount_fen"]
        contract = Contract.sign(
            places=self.places,
            service_area=[{"town": e["town"], "village": e.get("village")} for e in service_area],
            call_id=call.id,
            application_id=a.id,
            organisation_id=org.id,
            organisation_name=org.name,
            amount_fen=amount,
            period_start=period_start,
            period_end=period_end,
            signed_on=on,
            service_lines=scope,
            service_requirements=service_requirements,
            breach_terms=breach_terms,
            tranches=tranche_amounts(amount, call.terms["tranches"]),
            budget_lines=budget_lines if budget_lines is not None else a.current_budget_lines(),
            indicators=indicators if indicators is not None else [dict(i) for i in DEFAULT_INDICATORS],
            pass_mark=pass_mark if pass_mark is not None else DEFAULT_PASS_MARK,
        )
        if departures:
            contract.record_term_exception(reason=term_reason, departures=departures, on=on)
        a.mark_contracted(contract_id=contract.id, on=on)
        self.save_or_conflict(contract, a, record="application")
        return contract.id

    def _contract(self, contract_id: UUID) -> Contract:
        return self.load(Contract, contract_id, ContractNotFound)

    def _change(self, contract_id: UUID, change: Callable[[Contract], None]) -> None:
        contract = self._contract(contract_id)
        change(contract)
        self.save_or_conflict(contract, record="contract")

    def _evaluations(self, c: Contract) -> list[dict[str, Any]]:
        """Each mid-term evaluation with the quarters whose reports were late on
        its day: the mid-term check sees them (§五.(三).4)."""
        return [
            {**e, "late_reports": late_periods(c.report_schedule(e["evaluated_on"], self.report_due_days))}
            if e["kind"] == "mid_term"
            else e
            for e in c.evaluations
        ]

    def get_contract(self, contract_id: UUID) -> dict[str, Any]:
        c = self._contract(contract_id)
        report_schedule = c.report_schedule(self.clock(), self.report_due_days)
        return {
            "contract_id": c.id,
            "call_id": c.call_id,
            "application_id": c.application_id,
            "organization_id": c.organisation_id,
            "organization_name": c.organisation_name,
            "amount_fen": c.amount_fen,
            "period_start": c.period_start,
            "period_end": c.period_end,
            "signed_on": c.signed_on,
            "service_lines": c.service_lines,
            "service_area": c.service_area,
            "service_requirements": c.service_requirements,
            "breach_terms": c.breach_terms,
            "tranches": c.tranches,
            "budget_lines": c.budget_lines,
            "indicators": c.indicators,
            "pass_mark": c.pass_mark,
            "status": c.status,
            "started_on": c.started_on,
            "quarterly_reports": sorted(c.reports.values(), key=lambda r: (r["year"], r["quarter"], r["submitted_on"])),
            "report_due_days": self.report_due_days,
            "report_schedule": report_schedule,
            "late_reports": late_periods(report_schedule),
            "evaluations": self._evaluations(c),
            "re_evaluations": c.re_evaluations,
            "mid_term_passed": c.mid_term_passed,
            "effectiveness_passed": c.effectiveness_passed,
            "completion": c.completion,
            "audit": c.audit,
            "closed_on": c.closed_on,
            "suspensions": c.suspensions,
            "termination": c.termination,
            "force_majeure": c.force_majeure,
            "term_exception": c.term_exception,
            "version": c.version,
        }

    def list_contracts(
        self, *, limit: int, after: str | None, organization_id: UUID | None = None
    ) -> list[dict[str, Any]]:
        ids = self.views.contract_ids(None if organization_id is None else str(organization_id))
        return [self.get_contract(UUID(c)) for c in [c for c in ids if after is None or c > after][:limit]]

    def contract_dues(self, organization_id: UUID | None = None) -> list[dict[str, Any]]:
        """Every contract (of one organisation, or all) with what it still owes
        and when (domain/deadlines.py); REPORT_DUE_DAYS sets how many days
        after a quarter its written report is due, as for the late flags."""
        due_days = self.report_due_days
        out = []
        for contract_id in self.views.contract_ids(None if organization_id is None else str(organization_id)):
            contract = self.get_contract(UUID(contract_id))
            out.append(
                {
                    "contract_id": contract["contract_id"],
                    "organization_id": contract["organization_id"],
                    "organization_name": contract["organization_name"],
                    "status": contract["status"],
                    "dues": deadlines.contract_dues(contract, due_days),
                }
            )
        return out

    def start_contract(self, contract_id: UUID, started_on: date | None = None) -> None:
        on = self._on(started_on, "started_on")
        self._change(contract_id, lambda c: c.start(on=on))

    def submit_quarterly_report(
        self,
        contract_id: UUID,
        year: int,
        quarter: int,
        summary: str,
        figures: dict[str, Any] | None = None,
        submitted_on: date | None = None,
        generated_report: dict[str, Any] | None = None,
    ) -> UUID:
        on = self._on(submitted_on, "submitted_on")
        report_id = uuid.uuid4()
        self._change(
            contract_id,
            lambda c: c.submit_report(
                report_id=report_id,
                year=year,
                quarter=quarter,
                summary=summary,
                figures=figures or {},
                on=on,
                generated_report=generated_report,
            ),
        )
        return report_id

    def review_quarterly_report(
        self,
        contract_id: UUID,
        report_id: UUID,
        decision: str,
        reason: str = "",
        reviewed_on: date | None = None,
    ) -> None:
        on = self._on(reviewed_on, "reviewed_on")
        self._change(
            contract_id, lambda c: c.review_report(report_id=report_id, decision=decision, reason=reason, on=on)
        )

    def record_evaluation(
        self,
        contract_id: UUID,
        kind: str,
        scores: dict[str, Any],
        evaluators: list[dict[str, str]],
        opinion: str = "",
        evaluated_on: date | None = None,
    ) -> dict[str, Any]:
        on = self._on(evaluated_on, "evaluated_on")
        evaluation_id = uuid.uuid4()
        contract = self._contract(contract_id)
        contract.evaluate(
            evaluation_id=evaluation_id,
            kind=kind,
            scores=scores,
            evaluators=evaluators,
            opinion=opinion,
            on=on,
            recorded_by=current_meta().actor_id,
        )
        self.save_or_conflict(contract, record="contract")
        return self._evaluations(contract)[-1]

    def list_late_reports(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        """The bureau's list: live contracts with a quarterly report late today."""
        today, rows = self.clock(), []
        for contract_id in self.views.contract_ids():
            if after is not None and contract_id <= after:
                continue
            c = self._contract(UUID(contract_id))
            if c.status not in ("active", "suspended"):
                continue
            report_schedule = c.report_schedule(today, self.report_due_days)
            late = [row for row in report_schedule if row["late"]]
            if late:
                rows.append(
                    {
                        "contract_id": c.id,
                        "organization_id": c.organisation_id,
                        "organization_name": c.organisation_name,
                        "status": c.status,
                        "late_reports": [row["period"] for row in late],
                        "quarters": late,
                    }
                )
            if len(rows) >= limit:
                break
        return rows

    def open_mid_term_re_evaluation(self, contract_id: UUID, reason: str, opened_on: date | None = None) -> None:
        """After a failed mid-term evaluation: the visible step that allows a
        second one, to be recorded by a different bureau person."""
        on = self._on(opened_on, "opened_on")
        opened_by = current_meta().actor_id
        self._change(contract_id, lambda c: c.open_mid_term_re_evaluation(reason=reason, opened_by=opened_by, on=on))

    def complete_contract(self, contract_id: UUID, final_report: str, completed_on: date | None = None) -> None:
        on = self._on(completed_on, "completed_on")
        self._change(contract_id, lambda c: c.complete(final_report=final_report, on=on))

    def record_audit(
        self,
        contract_id: UUID,
        auditor: str,
        opinion: str,
        findings: str = "",
        audited_on: date | None = None,
    ) -> None:
        on = self._on(audited_on, "audited_on")
        self._change(contract_id, lambda c: c.record_audit(auditor=auditor, opinion=opinion, findings=findings, on=on))

    def close_contract(self, contract_id: UUID, closed_on: date | None = None) -> None:
        on = self._on(closed_on, "closed_on")
        self._change(contract_id, lambda c: c.close(on=on))

    def suspend_contract(self, contract_id: UUID, reason: str, suspended_on: date | None = None) -> None:
        on = self._on(suspended_on, "suspended_on")
        self._change(contract_id, lambda c: c.suspend(reason=reason, on=on))

    def reinstate_contract(self, contract_id: UUID, reason: str, reinstated_on: date | None = None) -> None:
        on = self._on(reinstated_on, "reinstated_on")
        self._change(contract_id, lambda c: c.reinstate(reason=reason, on=on))

    def terminate_contract(
        self,
        contract_id: UUID,
        reason: str,
        details: str,
        recovery_fen: int | None = None,
        terminated_on: date | None = None,
    ) -> None:
        """A 七.(一) sanction (false materials, improper means, a prior
        sanction) also bans the organisation for three years and publishes the
        ban (the public credit notice); finance recovers all fiscal money paid."""
        on = self._on(terminated_on, "terminated_on")
        contract = self._contract(contract_id)
        contract.terminate(reason=reason, details=details, recovery_fen=recovery_fen, on=on)
        changed: list[Any] = [contract]
        if reason in SANCTION_REASONS:
            org = self.load(Organization, contract.organisation_id, OrganizationNotFound)
            org.ban(reason=f"{reason}: {details}", decided_on=on, source="contract", source_id=contract.id)
            changed.append(org)
        self.save_or_conflict(*changed, record="contract")

    def report_force_majeure(
        self,
        contract_id: UUID,
        event: str,
        impact: str,
        proposed_action: str,
        reported_on: date | None = None,
    ) -> UUID:
        on = self._on(reported_on, "reported_on")
        report_id = uuid.uuid4()
        self._change(
            contract_id,
            lambda c: c.report_force_majeure(
                report_id=report_id, event_description=event, impact=impact, proposed_action=proposed_action, on=on
            ),
        )
        return report_id

    def decide_force_majeure(
        self,
        contract_id: UUID,
        report_id: UUID,
        decision: str,
        basis: str,
        period_end: date | None = None,
        service_lines: list[str] | None = None,
        delivered_fen: int | None = None,
        decided_on: date | None = None,
    ) -> None:
        on = self._on(decided_on, "decided_on")
        self._change(
            contract_id,
            lambda c: c.decide_force_majeure(
                report_id=report_id,
                decision=decision,
                basis=basis,
                on=on,
                period_end=period_end,
                service_lines=service_lines,
                delivered_fen=delivered_fen,
            ),
        )

    def request_transfer(self, contract_id: UUID, **_request: Any) -> None:
        self._contract(contract_id).refuse_transfer()
