"""The service contract and its lifecycle (卫沙民社函〔2025〕11号 §五.(三)–(四), 六, 七)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.grants.domain.errors import GrantsRuleViolation, WrongState
from services.grants.domain.report_schedule import schedule
from shared.places import area_problems

DEFAULT_INDICATORS = [
    {"code": "budget_execution", "name": "预算执行 budget execution", "max_points": 10, "children": []},
    {"code": "output", "name": "产出 output", "max_points": 50, "children": []},
    {"code": "effect", "name": "效果 effect", "max_points": 30, "children": []},
    {"code": "satisfaction", "name": "满意度 satisfaction", "max_points": 10, "children": []},
]
DEFAULT_PASS_MARK = 60
EVALUATION_KINDS = ("mid_term", "effectiveness")
# Who evaluates, by body: 区民社局 (the civil affairs bureau), 区财政局 (the finance
# bureau), 项目实施代表 (implementer representatives), 专业社工 (professional social
# workers), other.
EVALUATOR_BODIES = (
    "civil_affairs_bureau",
    "finance_bureau",
    "implementer_representative",
    "professional_social_worker",
    "other",
)
BODY_NAMES = {
    "civil_affairs_bureau": "区民社局",
    "finance_bureau": "区财政局",
    "implementer_representative": "项目实施代表",
    "professional_social_worker": "专业社工",
    "other": "其他",
}
# The bodies an evaluation cannot be recorded without. Mid-term: the bureau
# supervises and evaluates performance during implementation (§五.(三).4
# "区民社局对项目实施进度、资金的使用情况进行监督和绩效评估"). Effectiveness, at
# completion: "区民社局、财政局、项目实施代表等对创投活动进行绩效考评并形成评估意见"
# (§五.(四).2).
REQUIRED_EVALUATORS = {
    "mid_term": ("civil_affairs_bureau",),
    "effectiveness": ("civil_affairs_bureau", "finance_bureau", "implementer_representative"),
}
# Seed 七.(一): false materials, other improper means, or a prior sanction for a breach of
# discipline or rules: withdrawal, termination, recovery of the fiscal money, a public credit
# notice and a three-year ban.
SANCTION_REASONS = ("false_materials", "improper_means", "prior_sanction")
TERMINATION_REASONS = (*SANCTION_REASONS, "misuse", "other")
# Seed 七.(三): a force-majeure report is decided by the bureau; terminating on it is without fault.
FORCE_MAJEURE_DECISIONS = ("accept", "suspend", "terminate_without_fault")
WITHOUT_FAULT = "force_majeure"
AUDIT_OPINIONS = ("unqualified", "qualified", "adverse", "disclaimer")
FORCE_MAJEURE_ACTIONS = ("continue", "suspend", "terminate")
LIVE = ("signed", "active", "suspended", "completed", "evaluated", "audited")
TENTHS = Decimal("0.1")


def recovery_rule(recovery_fen: int | None) -> str:
    """How finance computes what a fault termination recovers: all fiscal money
    paid (every 七.(一) sanction), or the amount the decision set."""
    return "all_paid" if recovery_fen is None else "decided"


def grade(score: Decimal) -> str:
    """优 ≥90, 良 80–89, 中 60–79, 差 <60."""
    if score >= 90:
        return "excellent"
    if score >= 80:
        return "good"
    if score >= 60:
        return "fair"
    return "poor"


def leaves(indicators: list[dict[str, Any]], prefix: str = "") -> dict[str, Decimal]:
    """Leaf indicator path → maximum points."""
    out: dict[str, Decimal] = {}
    for node in indicators:
        path = f"{prefix}{node['code']}"
        if node["children"]:
            out.update(leaves(node["children"], path + "."))
        else:
            out[path] = Decimal(node["max_points"])
    return out


def indicator_problems(indicators: list[dict[str, Any]], prefix: str = "") -> list[str]:
    problems = []
    codes = [n["code"] for n in indicators]
    if not indicators or len(set(codes)) != len(codes):
        problems.append(f"{prefix or 'indicators'}: needs distinct codes")
    for node in indicators:
        if node["max_points"] <= 0:
            problems.append(f"{prefix}{node['code']}: max_points must be positive")
        if node["children"]:
            if sum(c["max_points"] for c in node["children"]) != node["max_points"]:
                problems.append(f"{prefix}{node['code']}: children's points must add up to {node['max_points']}")
            problems += indicator_problems(node["children"], f"{prefix}{node['code']}.")
    if not prefix and sum(n["max_points"] for n in indicators) != 100:
        problems.append("top-level indicators must add up to 100 points")
    return problems


def by_body(evaluators: list[Any]) -> list[dict[str, Any]]:
    """Evaluators as recorded: {body, name}; evaluations recorded before bodies
    were named (a bare name) show body None."""
    return [dict(e) if isinstance(e, dict) else {"body": None, "name": e} for e in evaluators]


def evaluator_problems(kind: str, evaluators: list[dict[str, str]]) -> None:
    """Refuses an evaluation whose evaluators lack a body the notice requires
    for its kind (REQUIRED_EVALUATORS), name nobody, or name an unknown body."""
    problems = []
    if not evaluators:
        problems.append("name who evaluated, each with their body")
    for index, evaluator in enumerate(evaluators):
        if evaluator.get("body") not in EVALUATOR_BODIES:
            problems.append(f"{index}: body must be one of {', '.join(EVALUATOR_BODIES)}")
        if not str(evaluator.get("name", "")).strip():
            problems.append(f"{index}: name the evaluator")
    present = {e.get("body") for e in evaluators if str(e.get("name", "")).strip()}
    missing = [body for body in REQUIRED_EVALUATORS[kind] if body not in present]
    if missing:
        names = "、".join(f"{BODY_NAMES[b]} ({b})" for b in missing)
        problems.append(f"a {kind} evaluation needs evaluators from {names}")
    if problems:
        raise GrantsRuleViolation({"evaluators": problems})


def quarters_between(start: date, end: date) -> list[tuple[int, int]]:
    first, last = (start.year, (start.month - 1) // 3 + 1), (end.year, (end.month - 1) // 3 + 1)
    out, (year, quarter) = [], first
    while (year, quarter) <= last:
        out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


class Contract(Aggregate):
    # Set by later events; class defaults so contracts signed before they existed still load.
    term_exception: dict[str, Any] | None = None

    class Signed(Aggregate.Created):
        """v2 names the service area (towns/villages the provider serves);
        contracts signed before it have none, so only referred children."""

        class_version = 2
        call_id: uuid.UUID
        application_id: uuid.UUID
        organisation_id: uuid.UUID
        organisation_name: str
        amount_fen: int
        period_start: date
        period_end: date
        signed_on: date
        service_lines: list[str]
        service_requirements: list[str]
        breach_terms: str
        tranches: list[dict[str, Any]]
        budget_lines: list[dict[str, Any]]
        indicators: list[dict[str, Any]]
        pass_mark: int
        service_area: list[dict[str, Any]]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["service_area"] = []

    @event(Signed)
    def __init__(
        self,
        call_id: uuid.UUID,
        application_id: uuid.UUID,
        organisation_id: uuid.UUID,
        organisation_name: str,
        amount_fen: int,
        period_start: date,
        period_end: date,
        signed_on: date,
        service_lines: list[str],
        service_requirements: list[str],
        breach_terms: str,
        tranches: list[dict[str, Any]],
        budget_lines: list[dict[str, Any]],
        indicators: list[dict[str, Any]],
        pass_mark: int,
        service_area: list[dict[str, Any]],
    ):
        self.call_id = call_id
        self.application_id = application_id
        self.organisation_id = organisation_id
        self.organisation_name = organisation_name
        self.amount_fen = amount_fen
        self.period_start = period_start
        self.period_end = period_end
        self.signed_on = signed_on
        self.service_lines = list(service_lines)
        self.service_requirements = list(service_requirements)
        self.breach_terms = breach_terms
        self.tranches = list(tranches)
        self.budget_lines = list(budget_lines)
        self.indicators = list(indicators)
        self.pass_mark = pass_mark
        self.service_area = [dict(entry) for entry in service_area]
        self.status = "signed"
        self.started_on: date | None = None
        self.reports: dict[str, dict[str, Any]] = {}
        self.evaluations: list[dict[str, Any]] = []
        self.mid_term_passed = False
        self.effectiveness_passed = False
        self.completion: dict[str, Any] | None = None
        self.audit: dict[str, Any] | None = None
        self.closed_on: date | None = None
        self.suspensions: list[dict[str, Any]] = []
        self.termination: dict[str, Any] | None = None
        self.force_majeure: list[dict[str, Any]] = []
        # A second mid-term evaluation is a separate, visible step: one bureau
        # person opens it with a reason, a different one records it.
        self.re_evaluations: list[dict[str, Any]] = []

    @classmethod
    def sign(cls, *, places: Mapping[str, frozenset[str]], **terms: Any) -> Contract:
        problems: dict[str, list[str]] = {}
        area = terms["service_area"]
        if not area:
            problems["service_area"] = ["name the towns or villages the provider serves"]
        else:
            found = area_problems(places, area)
            keys = [(e["town"], e.get("village")) for e in area]
            if len(set(keys)) != len(keys):
                found.append("names a place twice")
            if found:
                problems["service_area"] = found
        if terms["period_end"] <= terms["period_start"]:
            problems["period_end"] = ["must be after period_start"]
        if terms["period_end"] < terms["signed_on"]:
            problems["period_end"] = ["the service period has already ended"]
        total = sum(line["amount_fen"] for line in terms["budget_lines"])
        if total != terms["amount_fen"] or any(line["amount_fen"] <= 0 for line in terms["budget_lines"]):
            problems["budget_lines"] = [
                f"positive lines must add up to the amount {terms['amount_fen']} fen (got {total})"
            ]
        if not terms["service_lines"]:
            problems["service_lines"] = ["the scope needs at least one service line"]
        if not [r for r in terms["service_requirements"] if r.strip()]:
            problems["service_requirements"] = ["state the service requirements"]
        if not terms["breach_terms"].strip():
            problems["breach_terms"] = ["state the liability for breach"]
        found = indicator_problems(terms["indicators"])
        if found:
            problems["indicators"] = found
        if not 0 < terms["pass_mark"] <= 100:
            problems["pass_mark"] = ["must be 1 to 100"]
        if problems:
            raise GrantsRuleViolation(problems)
        return cls(**terms)

    def _require(self, states: tuple[str, ...], action: str) -> None:
        if self.status not in states:
            raise WrongState("contract", self.status, action)

    def _not_before(self, on: date, earlier: date | None, field: str, what: str) -> None:
        if earlier is not None and on < earlier:
            raise GrantsRuleViolation({field: [f"is before {what} ({earlier})"]})

    def start(self, *, on: date) -> None:
        self._require(("signed",), "start")
        if on < self.period_start:
            raise GrantsRuleViolation({"started_on": [f"the service period starts on {self.period_start}"]})
        self._started(started_on=on)

    @event("Started")
    def _started(self, started_on: date) -> None:
        self.status = "active"
        self.started_on = started_on

    def submit_report(
        self,
        *,
        report_id: uuid.UUID,
        year: int,
        quarter: int,
        summary: str,
        figures: dict[str, Any],
        on: date,
        generated_report: dict[str, Any] | None = None,
    ) -> None:
        """`generated_report` {as_of_position, content_hash} names casework's
        generated report the written one rests on (§五.(三).4); the gateway has
        checked it against the regenerated report before this is called."""
        self._require(("active",), "take a quarterly report")
        if (year, quarter) not in quarters_between(self.period_start, self.period_end):
            raise GrantsRuleViolation({"quarter": ["is outside the contract period"]})
        if on < quarter_start(year, quarter):
            raise GrantsRuleViolation({"submitted_on": ["the quarter has not begun"]})
        for report in self.reports.values():
            if (report["year"], report["quarter"]) == (year, quarter) and report["status"] != "returned":
                raise GrantsRuleViolation({"quarter": [f"already has a report that is {report['status']}"]})
        if not summary.strip():
            raise GrantsRuleViolation({"summary": ["a written report is required"]})
        self._report_submitted(
            report_id=report_id,
            year=year,
            quarter=quarter,
            summary=summary,
            figures=dict(figures),
            submitted_on=on,
            generated_report=None if generated_report is None else dict(generated_report),
        )

    @event("QuarterlyReportSubmitted")
    def _report_submitted(
        self,
        report_id: uuid.UUID,
        year: int,
        quarter: int,
        summary: str,
        figures: dict[str, Any],
        submitted_on: date,
        generated_report: dict[str, Any] | None = None,  # absent from reports submitted before it existed
    ) -> None:
        self.reports[str(report_id)] = {
            "report_id": report_id,
            "year": year,
            "quarter": quarter,
            "summary": summary,
            "figures": figures,
            "submitted_on": submitted_on,
            "generated_report": generated_report,
            "status": "submitted",
            "reason": None,
            "reviewed_on": None,
        }

    def review_report(self, *, report_id: uuid.UUID, decision: str, reason: str, on: date) -> None:
        self._require(("active", "suspended"), "review a quarterly report")
        report = self.reports.get(str(report_id))
        if report is None:
            raise GrantsRuleViolation({"report_id": ["no such report on this contract"]})
        if report["status"] != "submitted":
            raise WrongState("quarterly report", report["status"], "review it again")
        self._not_before(on, report["submitted_on"], "reviewed_on", "the submission")
        if decision == "accepted":
            self._report_accepted(
                report_id=report_id, year=report["year"], quarter=report["quarter"], comment=reason, accepted_on=on
            )
        elif decision == "returned":
            if not reason.strip():
                raise GrantsRuleViolation({"reason": ["a returned report needs a reason"]})
            self._report_returned(report_id=report_id, reason=reason, returned_on=on)
        else:
            raise GrantsRuleViolation({"decision": ["must be accepted or returned"]})

    @event("QuarterlyReportAccepted")
    def _report_accepted(self, report_id: uuid.UUID, year: int, quarter: int, comment: str, accepted_on: date) -> None:
        self.reports[str(report_id)].update(status="accepted", reason=comment or None, reviewed_on=accepted_on)

    @event("QuarterlyReportReturned")
    def _report_returned(self, report_id: uuid.UUID, reason: str, returned_on: date) -> None:
        self.reports[str(report_id)].update(status="returned", reason=reason, reviewed_on=returned_on)

    def report_schedule(self, as_of: date, due_days: int) -> list[dict[str, Any]]:
        """Each begun quarter's due date, status and lateness as of a day (report_schedule.py)."""
        return schedule(
            quarters_between(self.period_start, self.period_end), list(self.reports.values()), as_of, due_days
        )

    def accepted_quarters(self) -> list[tuple[int, int]]:
        return sorted((r["year"], r["quarter"]) for r in self.reports.values() if r["status"] == "accepted")

    def score(self, scores: dict[str, Any]) -> Decimal:
        maxima = leaves(self.indicators)
        problems = []
        if set(scores) != set(maxima):
            missing, extra = sorted(set(maxima) - set(scores)), sorted(set(scores) - set(maxima))
            problems.append(
                "score every leaf indicator"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(extra)}" if extra else "")
            )
        else:
            for path, value in sorted(scores.items()):
                value = Decimal(value)
                if not 0 <= value <= maxima[path] or value != value.quantize(TENTHS):
                    problems.append(f"{path}: 0 to {maxima[path]} in steps of 0.1")
        if problems:
            raise GrantsRuleViolation({"scores": problems})
        return sum((Decimal(v) for v in scores.values()), Decimal(0)).quantize(TENTHS, ROUND_HALF_UP)

    def evaluate(
        self,
        *,
        evaluation_id: uuid.UUID,
        kind: str,
        scores: dict[str, Any],
        evaluators: list[dict[str, str]],
        opinion: str,
        on: date,
        recorded_by: str = "",
    ) -> None:
        if kind not in EVALUATION_KINDS:
            raise GrantsRuleViolation({"kind": [f"must be one of {', '.join(EVALUATION_KINDS)}"]})
        evaluator_problems(kind, evaluators)
        if kind == "mid_term":
            self._require(("active",), "take a mid-term evaluation")
            if self.mid_term_passed:
                raise WrongState("contract", "mid-term passed", "be evaluated at mid-term again")
            self._check_re_evaluation(recorded_by)
            if len(self.accepted_quarters()) < 2:
                raise GrantsRuleViolation({"kind": ["mid-term evaluation needs two accepted quarterly reports"]})
        elif kind == "effectiveness":
            self._require(("completed",), "take an effectiveness evaluation")
            assert self.completion is not None  # set on entering "completed"
            self._not_before(on, self.completion["completed_on"], "evaluated_on", "completion")
        total = self.score(scores)
        record: dict[str, Any] = dict(
            evaluation_id=evaluation_id,
            scores={k: Decimal(v) for k, v in scores.items()},
            score=total,
            grade=grade(total),
            passed=total >= self.pass_mark,
            evaluators=[{"body": e["body"], "name": e["name"].strip()} for e in evaluators],
            opinion=opinion,
            evaluated_on=on,
        )
        if kind == "mid_term":
            self._mid_term_evaluated(**record)
        else:
            self._effectiveness_evaluated(**record)

    def _open_re_evaluation(self) -> dict[str, Any] | None:
        return next((r for r in self.re_evaluations if r["evaluation_id"] is None), None)

    def _check_re_evaluation(self, recorded_by: str) -> None:
        """A mid-term evaluation after one that failed releases a withheld
        tranche: it needs a re-evaluation opened by another bureau person."""
        if not any(e["kind"] == "mid_term" for e in self.evaluations):
            return
        opened = self._open_re_evaluation()
        if opened is None:
            raise GrantsRuleViolation(
                {"kind": ["the mid-term evaluation failed; a re-evaluation must first be opened, with a reason"]}
            )
        if not recorded_by or recorded_by == opened["opened_by"]:
            raise GrantsRuleViolation(
                {"kind": [f"the re-evaluation was opened by {opened['opened_by']}; a different person records it"]}
            )

    def open_mid_term_re_evaluation(self, *, reason: str, opened_by: str, on: date) -> None:
        self._require(("active",), "open a mid-term re-evaluation")
        if self.mid_term_passed:
            raise WrongState("contract", "mid-term passed", "be re-evaluated at mid-term")
        if not any(e["kind"] == "mid_term" for e in self.evaluations):
            raise GrantsRuleViolation({"reason": ["there is no mid-term evaluation to re-evaluate"]})
        if self._open_re_evaluation() is not None:
            raise GrantsRuleViolation({"reason": ["a re-evaluation is already open"]})
        if not reason.strip():
            raise GrantsRuleViolation({"reason": ["say why the mid-term evaluation is taken again"]})
        last = [e for e in self.evaluations if e["kind"] == "mid_term"][-1]
        self._not_before(on, last["evaluated_on"], "opened_on", "the last mid-term evaluation")
        self._re_evaluation_opened(reason=reason, opened_by=opened_by, opened_on=on)

    @event("MidTermReEvaluationOpened")
    def _re_evaluation_opened(self, reason: str, opened_by: str, opened_on: date) -> None:
        self.re_evaluations.append(
            {"reason": reason, "opened_by": opened_by, "opened_on": opened_on, "evaluation_id": None}
        )

    @event("MidTermEvaluated")
    def _mid_term_evaluated(
        self,
        evaluation_id: uuid.UUID,
        scores: dict[str, Decimal],
        score: Decimal,
        grade: str,
        passed: bool,
        evaluators: list[Any],
        opinion: str,
        evaluated_on: date,
    ) -> None:
        self.evaluations.append(
            {
                "kind": "mid_term",
                "evaluation_id": evaluation_id,
                "re_evaluation": self._open_re_evaluation() is not None,
                "scores": scores,
                "score": score,
                "grade": grade,
                "passed": passed,
                "evaluators": by_body(evaluators),
                "opinion": opinion,
                "evaluated_on": evaluated_on,
            }
        )
        self.mid_term_passed = passed
        opened = self._open_re_evaluation()
        if opened is not None:
            opened["evaluation_id"] = evaluation_id

    @event("EffectivenessEvaluated")
    def _effectiveness_evaluated(
        self,
        evaluation_id: uuid.UUID,
        scores: dict[str, Decimal],
        score: Decimal,
        grade: str,
        passed: bool,
        evaluators: list[Any],
        opinion: str,
        evaluated_on: date,
    ) -> None:
        self.evaluations.append(
            {
                "kind": "effectiveness",
                "evaluation_id": evaluation_id,
                "scores": scores,
                "score": score,
                "grade": grade,
                "passed": passed,
                "evaluators": by_body(evaluators),
                "opinion": opinion,
                "evaluated_on": evaluated_on,
            }
        )
        self.effectiveness_passed = passed
        if passed:
            self.status = "evaluated"

    def complete(self, *, final_report: str, on: date) -> None:
        self._require(("active",), "be completed")
        if not self.mid_term_passed:
            raise GrantsRuleViolation({"completed_on": ["the mid-term evaluation has not been passed"]})
        missing = [
            f"{y}-Q{q}"
            for y, q in quarters_between(self.period_start, self.period_end)
            if (y, q) not in self.accepted_quarters()
        ]
        if missing:
            raise GrantsRuleViolation({"completed_on": ["quarterly reports not accepted: " + ", ".join(missing)]})
        if on < self.period_end:
            raise GrantsRuleViolation({"completed_on": [f"the service period runs until {self.period_end}"]})
        if not final_report.strip():
            raise GrantsRuleViolation({"final_report": ["a written final report is required"]})
        self._completed(final_report=final_report, completed_on=on)

    @event("Completed")
    def _completed(self, final_report: str, completed_on: date) -> None:
        self.status = "completed"
        self.completion = {"final_report": final_report, "completed_on": completed_on}

    def record_audit(self, *, auditor: str, opinion: str, findings: str, on: date) -> None:
        self._require(("evaluated",), "be audited")
        if opinion not in AUDIT_OPINIONS:
            raise GrantsRuleViolation({"opinion": [f"must be one of {', '.join(AUDIT_OPINIONS)}"]})
        if opinion != "unqualified" and not findings.strip():
            raise GrantsRuleViolation({"findings": ["a modified audit opinion needs its findings"]})
        self._audited(auditor=auditor, opinion=opinion, findings=findings, audited_on=on)

    @event("Audited")
    def _audited(self, auditor: str, opinion: str, findings: str, audited_on: date) -> None:
        self.status = "audited"
        self.audit = {"auditor": auditor, "opinion": opinion, "findings": findings, "audited_on": audited_on}

    def close(self, *, on: date) -> None:
        self._require(("audited",), "be closed")
        assert self.audit is not None  # set on entering "audited"
        if self.audit["opinion"] in ("adverse", "disclaimer"):
            raise GrantsRuleViolation({"audit": [f"the audit opinion is {self.audit['opinion']}; settle it first"]})
        self._not_before(on, self.audit["audited_on"], "closed_on", "the audit")
        self._closed(closed_on=on)

    @event("Closed")
    def _closed(self, closed_on: date) -> None:
        self.status = "closed"
        self.closed_on = closed_on

    def suspend(self, *, reason: str, on: date) -> None:
        self._require(("active",), "be suspended")
        if not reason.strip():
            raise GrantsRuleViolation({"reason": ["a suspension needs a reason"]})
        self._suspended(reason=reason, suspended_on=on)

    @event("Suspended")
    def _suspended(self, reason: str, suspended_on: date) -> None:
        self.status = "suspended"
        self.suspensions.append(
            {"reason": reason, "suspended_on": suspended_on, "reinstated_on": None, "reinstatement_reason": None}
        )

    def reinstate(self, *, reason: str, on: date) -> None:
        self._require(("suspended",), "be reinstated")
        if not reason.strip():
            raise GrantsRuleViolation({"reason": ["say why the contract is reinstated"]})
        self._not_before(on, self.suspensions[-1]["suspended_on"], "reinstated_on", "the suspension")
        self._reinstated(reason=reason, reinstated_on=on)

    @event("Reinstated")
    def _reinstated(self, reason: str, reinstated_on: date) -> None:
        self.status = "active"
        self.suspensions[-1].update(reinstated_on=reinstated_on, reinstatement_reason=reason)

    def record_term_exception(self, *, reason: str, departures: list[str], on: date) -> None:
        """The bureau's reason for a term that is not one year within the call's window."""
        if not reason.strip():
            raise GrantsRuleViolation({"term_reason": ["say why the term departs from one year in the window"]})
        self._term_exception_recorded(reason=reason, departures=list(departures), recorded_on=on)

    @event("TermExceptionRecorded")
    def _term_exception_recorded(self, reason: str, departures: list[str], recorded_on: date) -> None:
        self.term_exception = {"reason": reason, "departures": departures, "recorded_on": recorded_on}

    def undecided_force_majeure(self) -> list[dict[str, Any]]:
        return [r for r in self.force_majeure if r.get("decision") is None]

    def terminate(self, *, reason: str, details: str, recovery_fen: int | None, on: date) -> None:
        self._require(LIVE, "be terminated")
        if reason not in TERMINATION_REASONS:
            raise GrantsRuleViolation({"reason": [f"must be one of {', '.join(TERMINATION_REASONS)}"]})
        if not details.strip():
            raise GrantsRuleViolation({"details": ["a termination must say what happened"]})
        if reason in SANCTION_REASONS and recovery_fen is not None:
            raise GrantsRuleViolation(
                {"recovery_fen": ["a sanction under 七.(一) recovers all fiscal money paid; leave it empty"]}
            )
        if recovery_fen is not None and not 0 <= recovery_fen <= self.amount_fen:
            raise GrantsRuleViolation({"recovery_fen": [f"must be 0 to the contract amount {self.amount_fen}"]})
        if reason not in SANCTION_REASONS and self.undecided_force_majeure():
            raise GrantsRuleViolation(
                {
                    "force_majeure": [
                        "a force-majeure report awaits the bureau's decision (七.(三)); decide it first — "
                        "terminating on it is without fault"
                    ]
                }
            )
        self._not_before(on, self.signed_on, "terminated_on", "signing")
        self._terminated(
            organisation_id=self.organisation_id,
            reason=reason,
            details=details,
            recovery_fen=recovery_fen,
            terminated_on=on,
        )

    @event("Terminated")
    def _terminated(
        self, organisation_id: uuid.UUID, reason: str, details: str, recovery_fen: int | None, terminated_on: date
    ) -> None:
        self.status = "terminated"
        self.termination = {
            "reason": reason,
            "details": details,
            "recovery_fen": recovery_fen,
            "recovery_rule": recovery_rule(recovery_fen),
            "terminated_on": terminated_on,
        }

    def report_force_majeure(
        self, *, report_id: uuid.UUID, event_description: str, impact: str, proposed_action: str, on: date
    ) -> None:
        self._require(("signed", "active", "suspended"), "take a force-majeure report")
        if proposed_action not in FORCE_MAJEURE_ACTIONS:
            raise GrantsRuleViolation({"proposed_action": [f"must be one of {', '.join(FORCE_MAJEURE_ACTIONS)}"]})
        if not event_description.strip() or not impact.strip():
            raise GrantsRuleViolation({"event": ["describe the event and its impact on the services"]})
        self._force_majeure_reported(
            report_id=report_id,
            event_description=event_description,
            impact=impact,
            proposed_action=proposed_action,
            reported_on=on,
        )

    @event("ForceMajeureReported")
    def _force_majeure_reported(
        self, report_id: uuid.UUID, event_description: str, impact: str, proposed_action: str, reported_on: date
    ) -> None:
        self.force_majeure.append(
            {
                "report_id": report_id,
                "event": event_description,
                "impact": impact,
                "proposed_action": proposed_action,
                "reported_on": reported_on,
                "decision": None,
            }
        )

    def decide_force_majeure(
        self,
        *,
        report_id: uuid.UUID,
        decision: str,
        basis: str,
        on: date,
        period_end: date | None = None,
        service_lines: list[str] | None = None,
        delivered_fen: int | None = None,
    ) -> None:
        """The bureau's decision on a force-majeure report (七.(三)): accept (the
        scope or term may be adjusted), suspend, or terminate without fault,
        which recovers only the unspent, undelivered part of the money paid."""
        self._require(("signed", "active", "suspended"), "take a force-majeure decision")
        report = next((r for r in self.force_majeure if r["report_id"] == report_id), None)
        if report is None:
            raise GrantsRuleViolation({"report_id": ["no such force-majeure report on this contract"]})
        if report.get("decision") is not None:
            raise WrongState("force-majeure report", "decided", "be decided again")
        problems: dict[str, list[str]] = {}
        if decision not in FORCE_MAJEURE_DECISIONS:
            problems["decision"] = [f"must be one of {', '.join(FORCE_MAJEURE_DECISIONS)}"]
        if not basis.strip():
            problems["basis"] = ["record the basis of the decision"]
        if on < report["reported_on"]:
            problems["decided_on"] = [f"is before the report ({report['reported_on']})"]
        adjusting = period_end is not None or service_lines is not None
        if decision != "accept" and adjusting:
            problems["decision"] = ["only an accepted report adjusts the scope or term"]
        if decision == "accept":
            problems.update(self._adjustment_problems(period_end, service_lines, on))
        if decision == "terminate_without_fault":
            if delivered_fen is None or not 0 <= delivered_fen <= self.amount_fen:
                problems["delivered_fen"] = [
                    f"state the value of the services delivered, 0 to the contract amount {self.amount_fen}"
                ]
        elif delivered_fen is not None:
            problems["delivered_fen"] = ["applies only to a termination without fault"]
        if decision == "suspend" and self.status != "active":
            raise WrongState("contract", self.status, "be suspended")
        if problems:
            raise GrantsRuleViolation(problems)
        self._force_majeure_decided(
            report_id=report_id,
            decision=decision,
            basis=basis,
            period_end=period_end,
            service_lines=None if service_lines is None else list(service_lines),
            delivered_fen=delivered_fen,
            decided_on=on,
        )
        if decision == "suspend":
            self._suspended(reason=f"force majeure (七.(三)): {basis}", suspended_on=on)
        elif decision == "terminate_without_fault":
            assert delivered_fen is not None  # checked above
            self._terminated_without_fault(
                organisation_id=self.organisation_id,
                report_id=report_id,
                basis=basis,
                delivered_fen=delivered_fen,
                terminated_on=on,
            )

    def _adjustment_problems(
        self, period_end: date | None, service_lines: list[str] | None, on: date
    ) -> dict[str, list[str]]:
        problems: dict[str, list[str]] = {}
        if period_end is not None and (period_end <= self.period_start or period_end < on):
            problems["period_end"] = ["the adjusted term must end after the period start and not before the decision"]
        if service_lines is not None:
            outside = sorted(set(service_lines) - set(self.service_lines))
            if not service_lines or outside:
                problems["service_lines"] = [
                    "the adjusted scope keeps one or more of the contract's lines"
                    + (f"; not in the contract: {', '.join(outside)}" if outside else "")
                ]
        return problems

    @event("ForceMajeureDecided")
    def _force_majeure_decided(
        self,
        report_id: uuid.UUID,
        decision: str,
        basis: str,
        period_end: date | None,
        service_lines: list[str] | None,
        delivered_fen: int | None,
        decided_on: date,
    ) -> None:
        report = next(r for r in self.force_majeure if r["report_id"] == report_id)
        report["decision"] = {
            "decision": decision,
            "basis": basis,
            "period_end": period_end,
            "service_lines": service_lines,
            "delivered_fen": delivered_fen,
            "decided_on": decided_on,
        }
        if period_end is not None:
            self.period_end = period_end
        if service_lines is not None:
            self.service_lines = list(service_lines)

    @event("TerminatedWithoutFault")
    def _terminated_without_fault(
        self, organisation_id: uuid.UUID, report_id: uuid.UUID, basis: str, delivered_fen: int, terminated_on: date
    ) -> None:
        self.status = "terminated"
        self.termination = {
            "reason": WITHOUT_FAULT,
            "details": basis,
            "recovery_fen": None,
            "recovery_rule": "unspent_undelivered",
            "delivered_fen": delivered_fen,
            "force_majeure_report_id": report_id,
            "terminated_on": terminated_on,
        }

    def refuse_transfer(self) -> None:
        """Seed 七.(三): the project may not be transferred or subcontracted."""
        raise GrantsRuleViolation(
            {
                "transfer": [
                    "the project may not be transferred or subcontracted to another organisation or person; "
                    "if it cannot be carried out, report force majeure to the bureau"
                ]
            }
        )
