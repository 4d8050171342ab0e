"""An organization's proposal to a call (its "application" in the API), from
submission to contract."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.grants.domain.errors import GrantsRuleViolation, WrongState

APPLICATION_NAMESPACE = uuid.UUID("0c9b8f0e-3d7a-4d52-a1f4-58b1e0c4d9a3")
DUE_DILIGENCE_OUTCOMES = ("confirmed", "concern", "false_materials")
DISQUALIFICATION_REASONS = ("false_materials", "prior_sanction", "improper_means")
BEFORE_CONTRACT = (
    "submitted",
    "preliminary_passed",
    "in_review",
    "shortlisted",
    "on_notice",
    "determined",
    "optimising",
)


def proposal_problems(proposal: dict[str, Any], terms: dict[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    total = sum(line["amount_fen"] for line in proposal["budget_lines"])
    if total > terms["budget_fen"]:
        problems["proposal.budget_lines"] = [f"total {total} fen exceeds the call's budget {terms['budget_fen']} fen"]
    if any(line["amount_fen"] <= 0 for line in proposal["budget_lines"]):
        problems.setdefault("proposal.budget_lines", []).append("every budget line must be positive")
    outside = sorted({a["service_line"] for a in proposal["activities"]} - set(terms["service_lines"]))
    if outside:
        problems["proposal.activities"] = ["service lines not in this call: " + ", ".join(outside)]
    missing = [
        line for line in terms["service_lines"] if line not in {a["service_line"] for a in proposal["activities"]}
    ]
    if missing:
        problems.setdefault("proposal.activities", []).append("no activities for: " + ", ".join(missing))
    return problems


def weighted_total(scores: dict[str, int], rubric: list[dict[str, Any]]) -> Decimal:
    """0–100: each criterion scored 0–100, weighted by the rubric."""
    return sum((Decimal(scores[c["criterion"]]) * c["weight"] for c in rubric), Decimal(0)) / 100


class Proposal(Aggregate):
    @event("Submitted")
    def __init__(
        self,
        call_id: uuid.UUID,
        organisation_id: uuid.UUID,
        organisation_name: str,
        proposal: dict[str, Any],
        documents: list[dict[str, Any]],
        submitted_on: date,
    ):
        self.call_id = call_id
        self.organisation_id = organisation_id
        self.organisation_name = organisation_name
        self.proposal = dict(proposal)
        self.documents = list(documents)
        self.submitted_on = submitted_on
        self.status = "submitted"
        self.preliminary: dict[str, Any] | None = None
        self.due_diligence: list[dict[str, Any]] = []
        self.scores: dict[str, dict[str, Any]] = {}
        self.determination: dict[str, Any] | None = None
        self.revisions: list[dict[str, Any]] = []
        self.contract_id: uuid.UUID | None = None
        self.disqualification: dict[str, Any] | None = None
        self.withdrawal: dict[str, Any] | None = None
        self.notice_id: uuid.UUID | None = None
        self.passed_over = False

    def _require(self, states: tuple[str, ...], action: str) -> None:
        if self.status not in states:
            raise WrongState("application", self.status, action)

    def pass_preliminary(self, *, eligibility: dict[str, Any], reviewer: str, on: date) -> None:
        self._require(("submitted",), "pass preliminary review")
        failing = [r["rule"] for r in eligibility["rules"] if r["kind"] == "hard" and not r["passed"]]
        if failing:
            raise GrantsRuleViolation(
                {"decision": ["cannot pass an ineligible application; failing rules: " + ", ".join(failing)]}
            )
        self._preliminary_passed(eligibility=eligibility, reviewer=reviewer, reviewed_on=on)

    @event("PreliminaryPassed")
    def _preliminary_passed(self, eligibility: dict[str, Any], reviewer: str, reviewed_on: date) -> None:
        self.status = "preliminary_passed"
        self.preliminary = {
            "decision": "pass",
            "reasons": [],
            "reviewer": reviewer,
            "reviewed_on": reviewed_on,
            "eligibility": eligibility,
        }

    def reject_preliminary(self, *, reasons: list[str], eligibility: dict[str, Any], reviewer: str, on: date) -> None:
        self._require(("submitted",), "reject at preliminary review")
        reasons = [r.strip() for r in reasons if r.strip()]
        if not reasons:
            raise GrantsRuleViolation({"reasons": ["a rejection must tell the applicant why"]})
        self._preliminary_rejected(reasons=reasons, eligibility=eligibility, reviewer=reviewer, reviewed_on=on)

    @event("PreliminaryRejected")
    def _preliminary_rejected(
        self, reasons: list[str], eligibility: dict[str, Any], reviewer: str, reviewed_on: date
    ) -> None:
        self.status = "rejected"
        self.preliminary = {
            "decision": "reject",
            "reasons": list(reasons),
            "reviewer": reviewer,
            "reviewed_on": reviewed_on,
            "eligibility": eligibility,
        }

    def record_due_diligence(
        self, *, finding_id: uuid.UUID, topic: str, finding: str, outcome: str, investigator: str, on: date
    ) -> None:
        self._require(BEFORE_CONTRACT, "record due diligence")
        if outcome not in DUE_DILIGENCE_OUTCOMES:
            raise GrantsRuleViolation({"outcome": [f"must be one of {', '.join(DUE_DILIGENCE_OUTCOMES)}"]})
        self._due_diligence_recorded(
            finding_id=finding_id, topic=topic, finding=finding, outcome=outcome, investigator=investigator, found_on=on
        )

    @event("DueDiligenceRecorded")
    def _due_diligence_recorded(
        self, finding_id: uuid.UUID, topic: str, finding: str, outcome: str, investigator: str, found_on: date
    ) -> None:
        self.due_diligence.append(
            {
                "finding_id": finding_id,
                "topic": topic,
                "finding": finding,
                "outcome": outcome,
                "investigator": investigator,
                "found_on": found_on,
            }
        )

    def score(self, *, member_id: uuid.UUID, scores: dict[str, int], rubric: list[dict[str, Any]], on: date) -> None:
        self._require(("preliminary_passed", "in_review"), "be scored")
        criteria = {c["criterion"] for c in rubric}
        problems = []
        if set(scores) != criteria:
            missing, extra = sorted(criteria - set(scores)), sorted(set(scores) - criteria)
            problems.append(
                "score exactly the rubric's criteria"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(extra)}" if extra else "")
            )
        if any(not isinstance(v, int) or not 0 <= v <= 100 for v in scores.values()):
            problems.append("each score must be a whole number from 0 to 100")
        if problems:
            raise GrantsRuleViolation({"scores": problems})
        self._scored(member_id=member_id, scores=dict(scores), total=weighted_total(scores, rubric), scored_on=on)

    @event("Scored")
    def _scored(self, member_id: uuid.UUID, scores: dict[str, int], total: Decimal, scored_on: date) -> None:
        self.status = "in_review"
        self.scores[str(member_id)] = {"member_id": member_id, "scores": scores, "total": total, "scored_on": scored_on}

    def mean_score(self) -> Decimal | None:
        if not self.scores:
            return None
        return sum((s["total"] for s in self.scores.values()), Decimal(0)) / len(self.scores)

    def conclude_review(self, *, shortlisted: bool, on: date) -> None:
        self._require(("in_review",), "conclude review")
        if shortlisted:
            self._shortlisted(shortlisted_on=on)
        else:
            self._not_selected(decided_on=on, stage="review")

    @event("Shortlisted")
    def _shortlisted(self, shortlisted_on: date) -> None:
        self.status = "shortlisted"

    @event("NotSelected")
    def _not_selected(self, decided_on: date, stage: str) -> None:
        self.status = "not_selected"
        # Passed over for another on the notice: determinable again if that one is disqualified.
        self.passed_over = stage == "determination"

    def put_on_notice(self, notice_id: uuid.UUID) -> None:
        self._require(("shortlisted",), "go on public notice")
        self._put_on_notice(notice_id=notice_id)

    @event("PutOnNotice")
    def _put_on_notice(self, notice_id: uuid.UUID) -> None:
        self.status = "on_notice"
        self.notice_id = notice_id

    def determine(self, *, amount_fen: int, on: date) -> None:
        if not (self.status == "not_selected" and self.passed_over):
            self._require(("on_notice",), "be determined")
        self._determined(
            call_id=self.call_id, organisation_id=self.organisation_id, amount_fen=amount_fen, determined_on=on
        )

    @event("Determined")
    def _determined(self, call_id: uuid.UUID, organisation_id: uuid.UUID, amount_fen: int, determined_on: date) -> None:
        self.status = "determined"
        self.passed_over = False
        self.determination = {"amount_fen": amount_fen, "determined_on": determined_on}

    def pass_over(self, *, on: date) -> None:
        """Another application was determined for this call."""
        self._require(("on_notice",), "be passed over")
        self._not_selected(decided_on=on, stage="determination")

    def optimise(
        self,
        *,
        revision_id: uuid.UUID,
        summary: str,
        budget_lines: list[dict[str, Any]],
        reviewer_comments: str,
        on: date,
    ) -> None:
        self._require(("determined", "optimising"), "record a plan optimisation")
        assert self.determination is not None  # set on entering "determined"
        total = sum(line["amount_fen"] for line in budget_lines)
        amount = self.determination["amount_fen"]
        if total != amount or any(line["amount_fen"] <= 0 for line in budget_lines):
            raise GrantsRuleViolation(
                {"budget_lines": [f"positive lines must add up to the determined amount {amount} fen (got {total})"]}
            )
        self._optimised(
            revision_id=revision_id,
            summary=summary,
            budget_lines=list(budget_lines),
            reviewer_comments=reviewer_comments,
            revised_on=on,
        )

    @event("PlanOptimised")
    def _optimised(
        self,
        revision_id: uuid.UUID,
        summary: str,
        budget_lines: list[dict[str, Any]],
        reviewer_comments: str,
        revised_on: date,
    ) -> None:
        self.status = "optimising"
        self.revisions.append(
            {
                "revision_id": revision_id,
                "summary": summary,
                "budget_lines": budget_lines,
                "reviewer_comments": reviewer_comments,
                "revised_on": revised_on,
            }
        )

    def current_budget_lines(self) -> list[dict[str, Any]]:
        if self.revisions:
            return list(self.revisions[-1]["budget_lines"])
        return list(self.proposal["budget_lines"])

    def check_contractable(self, on: date) -> None:
        self._require(("determined", "optimising"), "be contracted")
        assert self.determination is not None  # set on entering "determined"
        if on < self.determination["determined_on"]:
            raise GrantsRuleViolation({"signed_on": ["is before the determination"]})

    def mark_contracted(self, *, contract_id: uuid.UUID, on: date) -> None:
        self.check_contractable(on)
        self._contracted(contract_id=contract_id, contracted_on=on)

    @event("Contracted")
    def _contracted(self, contract_id: uuid.UUID, contracted_on: date) -> None:
        self.status = "contracted"
        self.contract_id = contract_id

    def withdraw(self, *, reason: str, on: date) -> None:
        self._require(BEFORE_CONTRACT, "be withdrawn")
        if not reason.strip():
            raise GrantsRuleViolation({"reason": ["a withdrawal needs a reason"]})
        self._withdrawn(reason=reason, withdrawn_on=on)

    @event("Withdrawn")
    def _withdrawn(self, reason: str, withdrawn_on: date) -> None:
        self.status = "withdrawn"
        self.withdrawal = {"reason": reason, "withdrawn_on": withdrawn_on}

    def disqualify(self, *, reason: str, details: str, on: date) -> None:
        self._require(BEFORE_CONTRACT + ("rejected", "not_selected", "withdrawn"), "be disqualified")
        if reason not in DISQUALIFICATION_REASONS:
            raise GrantsRuleViolation({"reason": [f"must be one of {', '.join(DISQUALIFICATION_REASONS)}"]})
        if not details.strip():
            raise GrantsRuleViolation({"details": ["a disqualification must say what was found"]})
        self._disqualified(reason=reason, details=details, decided_on=on)

    @event("Disqualified")
    def _disqualified(self, reason: str, details: str, decided_on: date) -> None:
        self.status = "disqualified"
        self.disqualification = {"reason": reason, "details": details, "decided_on": decided_on}


class ProposalClaim(Aggregate):
    """One application per organization per call."""

    @staticmethod
    def create_id(call_id: uuid.UUID, organisation_id: uuid.UUID) -> uuid.UUID:
        # Named as the stored Claimed event's field: the aggregate passes it by name.
        return uuid.uuid5(APPLICATION_NAMESPACE, f"{call_id}/{organisation_id}")

    @event("Claimed")
    def __init__(self, call_id: uuid.UUID, organisation_id: uuid.UUID, application_id: uuid.UUID):
        self.application_id = application_id
