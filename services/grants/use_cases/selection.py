"""Selection: applications and their eligibility, preliminary review, the
panel's scoring, shortlist, public notice, determination and optimisation,
and disqualification at the call stage."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from services.grants.domain.calls import Call
from services.grants.domain.eligibility import evaluate
from services.grants.domain.notices import PublicNotice, notice_end
from services.grants.domain.organizations import Organization
from services.grants.domain.proposals import Proposal, ProposalClaim, proposal_problems
from services.grants.exceptions import (
    ApplicationNotFound,
    CallNotFound,
    DuplicateApplication,
    GrantsRuleViolation,
    NoticeNotFound,
    OrganizationNotFound,
    WrongState,
)
from services.grants.use_cases.base import GrantsBase
from shared.errors import ConcurrentChange, refuse

CENTS = Decimal("0.01")
REVIEWED = ("in_review", "shortlisted", "on_notice", "determined", "optimising", "contracted", "not_selected")


class SelectionUseCases(GrantsBase):
    # Applications

    def submit_application(
        self,
        call_id: UUID,
        organization_id: UUID,
        proposal: dict[str, Any],
        documents: list[dict[str, Any]],
        submitted_on: date | None = None,
    ) -> UUID:
        on = self._on(submitted_on, "submitted_on")
        call = self.load(Call, call_id, CallNotFound)
        org = self.load(Organization, organization_id, OrganizationNotFound)
        call.check_accepts_submission(on)
        problems = proposal_problems(proposal, call.terms)
        if problems:
            raise GrantsRuleViolation(problems)
        self._refuse_second_application(call_id, organization_id)
        application = Proposal(
            call_id=call_id,
            organisation_id=organization_id,
            organisation_name=org.name,
            proposal=proposal,
            documents=documents,
            submitted_on=on,
        )
        call.receive_application(application.id)
        claim = ProposalClaim(call_id=call_id, organisation_id=organization_id, application_id=application.id)
        try:
            self.save_or_conflict(application, call, claim, record="call")
        except ConcurrentChange:
            self._refuse_second_application(call_id, organization_id)
            raise
        return application.id

    def _refuse_second_application(self, call_id: UUID, organization_id: UUID) -> None:
        claim = self.find(ProposalClaim, ProposalClaim.create_id(call_id, organization_id))
        if claim is not None:
            raise DuplicateApplication(claim.application_id)

    def _proposal(self, application_id: UUID) -> Proposal:
        return self.load(Proposal, application_id, ApplicationNotFound)

    def get_application(self, application_id: UUID) -> dict[str, Any]:
        a = self._proposal(application_id)
        mean = a.mean_score()
        return {
            "application_id": a.id,
            "call_id": a.call_id,
            "organization_id": a.organisation_id,
            "organization_name": a.organisation_name,
            "status": a.status,
            "submitted_on": a.submitted_on,
            "proposal": a.proposal,
            "documents": a.documents,
            "preliminary": a.preliminary,
            "due_diligence": a.due_diligence,
            "scores": list(a.scores.values()),
            "mean_score": None if mean is None else mean.quantize(CENTS, ROUND_HALF_UP),
            "determination": a.determination,
            "revisions": a.revisions,
            "contract_id": a.contract_id,
            "disqualification": a.disqualification,
            "withdrawal": a.withdrawal,
            "version": a.version,
        }

    def eligibility(self, application_id: UUID) -> dict[str, Any]:
        """As of the application date, from the evidence then in effect."""
        a = self._proposal(application_id)
        call = self.load(Call, a.call_id, CallNotFound)
        org = self.load(Organization, a.organisation_id, OrganizationNotFound)
        return {"application_id": a.id, **evaluate(org, call.terms, a.documents, a.submitted_on)}

    def preliminary_review(
        self,
        application_id: UUID,
        decision: str,
        reviewer: str,
        reasons: list[str] | None = None,
        reviewed_on: date | None = None,
    ) -> None:
        on = self._on(reviewed_on, "reviewed_on")
        a = self._proposal(application_id)
        if on < a.submitted_on:
            refuse("reviewed_on", "is before the application was submitted", error=GrantsRuleViolation)
        found = self.eligibility(application_id)
        snapshot = {k: v for k, v in found.items() if k != "application_id"}
        if decision == "pass":
            a.pass_preliminary(eligibility=snapshot, reviewer=reviewer, on=on)
        elif decision == "reject":
            a.reject_preliminary(reasons=reasons or [], eligibility=snapshot, reviewer=reviewer, on=on)
        else:
            refuse("decision", "must be pass or reject", error=GrantsRuleViolation)
        self.save_or_conflict(a, record="application")

    def record_due_diligence(
        self,
        application_id: UUID,
        topic: str,
        finding: str,
        outcome: str,
        investigator: str,
        found_on: date | None = None,
    ) -> UUID:
        a = self._proposal(application_id)
        finding_id = uuid.uuid4()
        a.record_due_diligence(
            finding_id=finding_id,
            topic=topic,
            finding=finding,
            outcome=outcome,
            investigator=investigator,
            on=self._on(found_on, "found_on"),
        )
        self.save_or_conflict(a, record="application")
        return finding_id

    def withdraw_application(self, application_id: UUID, reason: str, withdrawn_on: date | None = None) -> None:
        a = self._proposal(application_id)
        a.withdraw(reason=reason, on=self._on(withdrawn_on, "withdrawn_on"))
        self.save_or_conflict(a, record="application")

    # Review panel

    def appoint_panel_member(
        self,
        call_id: UUID,
        name: str,
        role: str,
        affiliation: str,
        appointed_on: date | None = None,
    ) -> UUID:
        call = self.load(Call, call_id, CallNotFound)
        member_id = uuid.uuid4()
        call.appoint(
            member_id=member_id,
            name=name,
            role=role,
            affiliation=affiliation,
            on=self._on(appointed_on, "appointed_on"),
        )
        self.save_or_conflict(call, record="call")
        return member_id

    def declare_interest(
        self,
        call_id: UUID,
        member_id: UUID,
        application_id: UUID,
        conflicted: bool,
        statement: str = "",
        declared_on: date | None = None,
    ) -> None:
        call = self.load(Call, call_id, CallNotFound)
        call.declare(
            member_id=member_id,
            application_id=application_id,
            conflicted=conflicted,
            statement=statement,
            on=self._on(declared_on, "declared_on"),
        )
        self.save_or_conflict(call, record="call")

    def score_application(
        self,
        application_id: UUID,
        member_id: UUID,
        scores: dict[str, int],
        scored_on: date | None = None,
    ) -> dict[str, Any]:
        on = self._on(scored_on, "scored_on")
        a = self._proposal(application_id)
        call = self.load(Call, a.call_id, CallNotFound)
        call.check_in_review_window(on, "scored_on")
        call.check_may_score(member_id, a.id)
        a.score(member_id=member_id, scores=scores, rubric=call.terms["rubric"], on=on)
        self.save_or_conflict(a, record="application")
        return {"application_id": a.id, "member_id": member_id, "total": a.scores[str(member_id)]["total"]}

    def ranking(self, call_id: UUID) -> list[dict[str, Any]]:
        call = self.load(Call, call_id, CallNotFound)
        return self._ranking(call, [self._proposal(i) for i in call.application_ids])

    def _ranking(self, call: Call, applications: list[Proposal]) -> list[dict[str, Any]]:
        rows = []
        for a in applications:
            if a.status not in REVIEWED or not a.scores:
                continue
            mean = a.mean_score()
            assert mean is not None and a.preliminary is not None  # scored, so past preliminary review
            mean = mean.quantize(CENTS, ROUND_HALF_UP)
            points = a.preliminary["eligibility"]["preference_points"]
            rows.append(
                {
                    "application_id": a.id,
                    "organization_name": a.organisation_name,
                    "scorers": len(a.scores),
                    "mean_score": mean,
                    "preference_points": points,
                    "total": mean + points,
                }
            )
        rows.sort(key=lambda r: r["total"], reverse=True)
        for row in rows:
            row["rank"] = 1 + sum(1 for other in rows if other["total"] > row["total"])
        return rows

    def shortlist(self, call_id: UUID, size: int, decided_on: date | None = None) -> list[UUID]:
        on = self._on(decided_on, "decided_on")
        call = self.load(Call, call_id, CallNotFound)
        if call.status != "published" or call.shortlisted_on is not None:
            raise WrongState("call", call.status if call.status != "published" else "shortlisted", "shortlist")
        call.check_in_review_window(on, "decided_on")
        missing_roles = call.missing_panel_roles()
        if missing_roles:
            refuse("panel", "the panel has no member for: " + ", ".join(missing_roles), error=GrantsRuleViolation)
        applications = [self._proposal(i) for i in call.application_ids]
        waiting = [str(a.id) for a in applications if a.status == "submitted"]
        if waiting:
            refuse("applications", "awaiting preliminary review: " + ", ".join(waiting), error=GrantsRuleViolation)
        candidates = [a for a in applications if a.status in ("preliminary_passed", "in_review")]
        under = [str(a.id) for a in candidates if len(a.scores) < call.terms["min_scorers"]]
        if under:
            refuse(
                "applications",
                f"fewer than {call.terms['min_scorers']} panel scores: " + ", ".join(under),
                error=GrantsRuleViolation,
            )
        if not 1 <= size <= len(candidates):
            refuse("size", f"must be 1 to {len(candidates)}, the applications under review", error=GrantsRuleViolation)
        ranking = self._ranking(call, candidates)
        if size < len(ranking) and ranking[size - 1]["total"] == ranking[size]["total"]:
            refuse(
                "size",
                f"applications tie at place {size}; the panel must separate them by rescoring",
                error=GrantsRuleViolation,
            )
        chosen = [r["application_id"] for r in ranking[:size]]
        for a in candidates:
            a.conclude_review(shortlisted=a.id in chosen, on=on)
        call.record_shortlist(application_ids=chosen, ranking=ranking, on=on)
        self.save_or_conflict(call, *candidates, record="call")
        return chosen

    # Public notice

    def open_public_notice(self, call_id: UUID, opened_on: date | None = None) -> UUID:
        on = self._on(opened_on, "opened_on")
        call = self.load(Call, call_id, CallNotFound)
        call.check_may_open_notice()
        assert call.shortlisted_on is not None  # a shortlist is dated when decided
        if on < call.shortlisted_on:
            refuse("opened_on", "is before the shortlist was decided", error=GrantsRuleViolation)
        applications = [self._proposal(i) for i in call.shortlist]
        ranks = {r["application_id"]: r for r in call.ranking}
        entries = []
        for a in applications:
            org = self.load(Organization, a.organisation_id, OrganizationNotFound)
            entries.append(
                {
                    "application_id": a.id,
                    "organization_id": org.id,
                    "organization_name": org.name,
                    "credit_code": org.credit_code,
                    "rank": ranks[a.id]["rank"],
                    "score": ranks[a.id]["total"],
                }
            )
        t = call.terms
        notice = PublicNotice(
            call_id=call.id,
            call_title=t["title"],
            entries=entries,
            opened_on=on,
            ends_on=notice_end(on, t["notice_days"], t["notice_day_kind"], t["holidays"], t["workdays"]),
            day_kind=t["notice_day_kind"],
            days=t["notice_days"],
        )
        call.attach_notice(notice.id)
        for a in applications:
            a.put_on_notice(notice.id)
        self.save_or_conflict(notice, call, *applications, record="call")
        return notice.id

    def _notice(self, notice_id: UUID) -> PublicNotice:
        return self.load(PublicNotice, notice_id, NoticeNotFound)

    def open_objections(self) -> list[dict[str, Any]]:
        """Objections awaiting resolution, each due by the end of its notice
        (no determination while one is open, 卫沙民社函〔2025〕11号 §五.(二).2)."""
        out = []
        for notice_id in self.views.notices_with_open_objections():
            notice = self._notice(UUID(notice_id))
            out += [
                {
                    "notice_id": notice.id,
                    "objection_id": o["objection_id"],
                    "call_title": notice.call_title,
                    "lodged_on": o["lodged_on"],
                    "due_on": notice.ends_on,
                }
                for o in notice.open_objections()
            ]
        return out

    def get_notice(self, notice_id: UUID) -> dict[str, Any]:
        n = self._notice(notice_id)
        return {
            "notice_id": n.id,
            "call_id": n.call_id,
            "call_title": n.call_title,
            "entries": n.entries,
            "opened_on": n.opened_on,
            "ends_on": n.ends_on,
            "day_kind": n.day_kind,
            "days": n.days,
            "objections": list(n.objections.values()),
            "version": n.version,
        }

    def lodge_objection(
        self,
        notice_id: UUID,
        objector: str,
        grounds: str,
        contact: str = "",
        application_id: UUID | None = None,
        lodged_on: date | None = None,
    ) -> UUID:
        n = self._notice(notice_id)
        objection_id = uuid.uuid4()
        n.lodge(
            objection_id=objection_id,
            objector=objector,
            contact=contact,
            application_id=application_id,
            grounds=grounds,
            on=self._on(lodged_on, "lodged_on"),
        )
        self.save_or_conflict(n, record="public notice")
        return objection_id

    def resolve_objection(
        self,
        notice_id: UUID,
        objection_id: UUID,
        outcome: str,
        resolution: str,
        resolved_on: date | None = None,
    ) -> None:
        n = self._notice(notice_id)
        n.resolve(
            objection_id=objection_id, outcome=outcome, resolution=resolution, on=self._on(resolved_on, "resolved_on")
        )
        self.save_or_conflict(n, record="public notice")

    def list_public_notices(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        today = self.clock()
        rows = self.views.list_notices(limit, after)
        return [{**row, "in_progress": row["opened_on"] <= today <= row["ends_on"]} for row in rows]

    # Determination and optimisation

    def determine(
        self,
        call_id: UUID,
        application_id: UUID,
        amount_fen: int | None = None,
        determined_on: date | None = None,
    ) -> None:
        on = self._on(determined_on, "determined_on")
        call = self.load(Call, call_id, CallNotFound)
        if call.notice_id is None:
            raise WrongState("call", "not on public notice", "determine an application")
        notice = self._notice(call.notice_id)
        notice.check_allows_determination(application_id, on)
        chosen = self._proposal(application_id)
        if amount_fen is None:
            amount_fen = min(
                call.terms["budget_fen"], sum(line["amount_fen"] for line in chosen.current_budget_lines())
            )
        call.determine(application_id=chosen.id, amount_fen=amount_fen, on=on)
        chosen.determine(amount_fen=amount_fen, on=on)
        others = [self._proposal(i) for i in notice.application_ids() if i != chosen.id]
        others = [a for a in others if a.status == "on_notice"]
        for a in others:
            a.pass_over(on=on)
        self.save_or_conflict(call, chosen, *others, record="call")

    def optimise_plan(
        self,
        application_id: UUID,
        summary: str,
        budget_lines: list[dict[str, Any]],
        reviewer_comments: str = "",
        revised_on: date | None = None,
    ) -> UUID:
        a = self._proposal(application_id)
        revision_id = uuid.uuid4()
        a.optimise(
            revision_id=revision_id,
            summary=summary,
            budget_lines=budget_lines,
            reviewer_comments=reviewer_comments,
            on=self._on(revised_on, "revised_on"),
        )
        self.save_or_conflict(a, record="application")
        return revision_id

    # Sanctions at the call stage (卫沙民社函〔2025〕11号 §七.(一))

    def disqualify_application(
        self,
        application_id: UUID,
        reason: str,
        details: str,
        decided_on: date | None = None,
    ) -> None:
        """Disqualify, and ban the organisation for three years from the decision."""
        on = self._on(decided_on, "decided_on")
        a = self._proposal(application_id)
        org = self.load(Organization, a.organisation_id, OrganizationNotFound)
        was_determined = a.status in ("determined", "optimising")
        a.disqualify(reason=reason, details=details, on=on)
        org.ban(reason=f"{reason}: {details}", decided_on=on, source="application", source_id=a.id)
        changed: list[Any] = [a, org]
        if was_determined:
            call = self.load(Call, a.call_id, CallNotFound)
            call.void_determination(application_id=a.id, reason=f"{reason}: {details}", on=on)
            changed.append(call)
        self.save_or_conflict(*changed, record="application")
