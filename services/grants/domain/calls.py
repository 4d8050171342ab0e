"""A call for proposals: its terms, its review panel and its selection
decisions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.grants.domain.errors import GrantsRuleViolation, WrongState
from shared.vocabulary import GATES, SERVICE_LINES

DEFAULT_TRANCHES = [
    {"number": 1, "percent": 40, "gate": "signing"},
    {"number": 2, "percent": 30, "gate": "mid_term_passed"},
    {"number": 3, "percent": 30, "gate": "final_passed"},
]
# The notice's five requirements (二.(一)–(五)) plus team capability (五.(二).1).
DEFAULT_RUBRIC = [
    {"criterion": "need_authenticity", "weight": 20},  # 需求真实性
    {"criterion": "public_benefit", "weight": 15},  # 目标公益性
    {"criterion": "innovation", "weight": 15},  # 理念创新性
    {"criterion": "scientific_planning", "weight": 20},  # 策划科学性
    {"criterion": "professional_capacity", "weight": 15},  # 主体专业性
    {"criterion": "team_capability", "weight": 15},  # 团队能力
]
DEFAULT_PREFERENCE_POINTS = {"evaluation_grade_3a": 2, "honours": 1, "project_experience": 2}
PANEL_ROLES = ("civil_affairs", "finance", "social_worker", "implementer_representative")
NOTICE_DAY_KINDS = ("calendar", "working")
# The notice's application materials (五.(一).2); the first four are required.
REQUIRED_DOCUMENTS = (
    "application_form",
    "registration_certificate",
    "bank_account_documents",
    "accountant_qualification",
)
OPTIONAL_DOCUMENTS = ("honour_certificates", "evaluation_grade_proof")
DOCUMENT_KINDS = REQUIRED_DOCUMENTS + OPTIONAL_DOCUMENTS


def tranche_amounts(amount_fen: int, plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each tranche's share in whole fen; the remainder goes to the last."""
    out = [{**t, "amount_fen": amount_fen * t["percent"] // 100} for t in plan]
    out[-1]["amount_fen"] = amount_fen - sum(t["amount_fen"] for t in out[:-1])
    return out


def terms_problems(terms: dict[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if terms["budget_fen"] <= 0:
        problems["budget_fen"] = ["must be positive"]
    if terms["service_end"] <= terms["service_start"]:
        problems["service_end"] = ["must be after service_start"]
    lines = terms["service_lines"]
    if not lines or set(lines) - set(SERVICE_LINES) or len(set(lines)) != len(lines):
        problems["service_lines"] = [f"must be distinct service lines from: {', '.join(SERVICE_LINES)}"]
    years = terms["inspection_years"]
    if not years or len(set(years)) != len(years):
        problems["inspection_years"] = ["must be one or more distinct years"]
    elif max(years) >= terms["submission_opens"].year:
        problems["inspection_years"] = ["must be years completed before submissions open"]
    if terms["submission_closes"] < terms["submission_opens"]:
        problems["submission_closes"] = ["must not be before submission_opens"]
    if terms["review_opens"] <= terms["submission_closes"]:
        problems["review_opens"] = ["review must start after submissions close"]
    if terms["review_closes"] < terms["review_opens"]:
        problems["review_closes"] = ["must not be before review_opens"]
    if not 1 <= terms["notice_days"] <= 30:
        problems["notice_days"] = ["must be 1 to 30 days"]
    if terms["notice_day_kind"] not in NOTICE_DAY_KINDS:
        problems["notice_day_kind"] = [f"must be one of {', '.join(NOTICE_DAY_KINDS)}"]
    tranches = terms["tranches"]
    if (
        not tranches
        or [t["number"] for t in tranches] != list(range(1, len(tranches) + 1))
        or sum(t["percent"] for t in tranches) != 100
        or any(t["gate"] not in GATES or t["percent"] <= 0 for t in tranches)
    ):
        problems["tranches"] = ["must be numbered 1..n, with positive percents summing to 100 and known gates"]
    rubric = terms["rubric"]
    names = [c["criterion"] for c in rubric]
    if (
        not rubric
        or len(set(names)) != len(names)
        or sum(c["weight"] for c in rubric) != 100
        or any(c["weight"] <= 0 for c in rubric)
    ):
        problems["rubric"] = ["must name distinct criteria with positive weights summing to 100"]
    if terms["min_scorers"] < 1:
        problems["min_scorers"] = ["must be at least 1"]
    if any(p < 0 for p in terms["preference_points"].values()) or set(terms["preference_points"]) - set(
        DEFAULT_PREFERENCE_POINTS
    ):
        problems["preference_points"] = [f"non-negative points for: {', '.join(DEFAULT_PREFERENCE_POINTS)}"]
    return problems


class Call(Aggregate):
    @event("Drafted")
    def __init__(self, terms: dict[str, Any], drafted_on: date):
        self.terms = dict(terms)
        self.drafted_on = drafted_on
        self.status = "drafted"
        self.published_on: date | None = None
        self.closed_on: date | None = None
        self.close_reason: str | None = None
        self.application_ids: list[uuid.UUID] = []
        self.panel: dict[str, dict[str, Any]] = {}
        self.declarations: dict[str, dict[str, Any]] = {}
        self.shortlist: list[uuid.UUID] = []
        self.shortlisted_on: date | None = None
        self.ranking: list[dict[str, Any]] = []
        self.determined_amount_fen: int | None = None
        self.determined_on: date | None = None
        self.voided_determinations: list[dict[str, Any]] = []
        self.notice_id: uuid.UUID | None = None
        self.determined_application_id: uuid.UUID | None = None

    @classmethod
    def draft(cls, *, today: date, terms: dict[str, Any]) -> Call:
        problems = terms_problems(terms)
        if problems:
            raise GrantsRuleViolation(problems)
        return cls(terms=terms, drafted_on=today)

    def publish(self, *, on: date) -> None:
        if self.status != "drafted":
            raise WrongState("call", self.status, "publish")
        if on > self.terms["submission_closes"]:
            raise GrantsRuleViolation({"published_on": ["the submission window has already closed"]})
        # The public event is built from this one event, so it carries the terms it needs.
        self._published(
            published_on=on,
            title=self.terms["title"],
            budget_fen=self.terms["budget_fen"],
            service_start=self.terms["service_start"],
            service_end=self.terms["service_end"],
        )

    @event("Published")
    def _published(
        self, published_on: date, title: str, budget_fen: int, service_start: date, service_end: date
    ) -> None:
        self.status = "published"
        self.published_on = published_on

    def close(self, *, on: date, reason: str) -> None:
        if self.status != "published":
            raise WrongState("call", self.status, "close")
        if not reason.strip():
            raise GrantsRuleViolation({"reason": ["closing a call needs a reason"]})
        self._closed(closed_on=on, reason=reason)

    @event("Closed")
    def _closed(self, closed_on: date, reason: str) -> None:
        self.status = "closed"
        self.closed_on = closed_on
        self.close_reason = reason

    def check_accepts_submission(self, on: date) -> None:
        if self.status != "published":
            raise WrongState("call", self.status, "accept applications")
        if not self.terms["submission_opens"] <= on <= self.terms["submission_closes"]:
            raise GrantsRuleViolation(
                {
                    "submitted_on": [
                        "outside the submission window "
                        f"{self.terms['submission_opens']} to {self.terms['submission_closes']}"
                    ]
                }
            )

    def receive_application(self, application_id: uuid.UUID) -> None:
        self._application_received(application_id=application_id)

    @event("ApplicationReceived")
    def _application_received(self, application_id: uuid.UUID) -> None:
        self.application_ids.append(application_id)

    def check_in_review_window(self, on: date, field: str) -> None:
        if not self.terms["review_opens"] <= on <= self.terms["review_closes"]:
            raise GrantsRuleViolation(
                {field: [f"outside the review window {self.terms['review_opens']} to {self.terms['review_closes']}"]}
            )

    def _check_panel_open(self, action: str) -> None:
        if self.status != "published":
            raise WrongState("call", self.status, action)
        if self.shortlisted_on is not None:
            raise WrongState("call", "shortlisted", action)

    def appoint(self, *, member_id: uuid.UUID, name: str, role: str, affiliation: str, on: date) -> None:
        self._check_panel_open("change its panel")
        if role not in PANEL_ROLES:
            raise GrantsRuleViolation({"role": [f"must be one of {', '.join(PANEL_ROLES)}"]})
        self._member_appointed(member_id=member_id, name=name, role=role, affiliation=affiliation, appointed_on=on)

    @event("PanelMemberAppointed")
    def _member_appointed(
        self, member_id: uuid.UUID, name: str, role: str, affiliation: str, appointed_on: date
    ) -> None:
        self.panel[str(member_id)] = {
            "member_id": member_id,
            "name": name,
            "role": role,
            "affiliation": affiliation,
            "appointed_on": appointed_on,
        }

    def declare(
        self, *, member_id: uuid.UUID, application_id: uuid.UUID, conflicted: bool, statement: str, on: date
    ) -> None:
        self._check_panel_open("take declarations")
        if str(member_id) not in self.panel:
            raise GrantsRuleViolation({"member_id": ["is not on this call's panel"]})
        if application_id not in self.application_ids:
            raise GrantsRuleViolation({"application_id": ["is not an application to this call"]})
        key = f"{member_id}:{application_id}"
        if key in self.declarations:
            raise GrantsRuleViolation({"member_id": ["has already declared for this application"]})
        if conflicted and not statement.strip():
            raise GrantsRuleViolation({"statement": ["a conflict of interest must be described"]})
        self._declared(
            member_id=member_id,
            application_id=application_id,
            conflicted=conflicted,
            statement=statement,
            declared_on=on,
        )

    @event("InterestDeclared")
    def _declared(
        self, member_id: uuid.UUID, application_id: uuid.UUID, conflicted: bool, statement: str, declared_on: date
    ) -> None:
        self.declarations[f"{member_id}:{application_id}"] = {
            "member_id": member_id,
            "application_id": application_id,
            "conflicted": conflicted,
            "statement": statement,
            "declared_on": declared_on,
        }

    def check_may_score(self, member_id: uuid.UUID, application_id: uuid.UUID) -> None:
        self._check_panel_open("take scores")
        if str(member_id) not in self.panel:
            raise GrantsRuleViolation({"member_id": ["is not on this call's panel"]})
        declaration = self.declarations.get(f"{member_id}:{application_id}")
        if declaration is None:
            raise GrantsRuleViolation(
                {"member_id": ["must declare any conflict of interest with this application before scoring"]}
            )
        if declaration["conflicted"]:
            raise GrantsRuleViolation(
                {"member_id": ["declared a conflict of interest with this application and cannot score it"]}
            )

    def missing_panel_roles(self) -> list[str]:
        present = {m["role"] for m in self.panel.values()}
        return [r for r in PANEL_ROLES if r not in present]

    def record_shortlist(self, *, application_ids: list[uuid.UUID], ranking: list[dict[str, Any]], on: date) -> None:
        self._shortlisted(application_ids=application_ids, ranking=ranking, shortlisted_on=on)

    @event("Shortlisted")
    def _shortlisted(
        self, application_ids: list[uuid.UUID], ranking: list[dict[str, Any]], shortlisted_on: date
    ) -> None:
        self.shortlist = list(application_ids)
        self.ranking = list(ranking)
        self.shortlisted_on = shortlisted_on

    def check_may_open_notice(self) -> None:
        if self.status != "published":
            raise WrongState("call", self.status, "open a public notice")
        if not self.shortlist:
            raise WrongState("call", "not shortlisted", "open a public notice")
        if self.notice_id is not None:
            raise WrongState("call", "on notice", "open a second public notice")

    def attach_notice(self, notice_id: uuid.UUID) -> None:
        self._notice_opened(notice_id=notice_id)

    @event("NoticeOpened")
    def _notice_opened(self, notice_id: uuid.UUID) -> None:
        self.notice_id = notice_id

    def determine(self, *, application_id: uuid.UUID, amount_fen: int, on: date) -> None:
        if self.status != "published":
            raise WrongState("call", self.status, "determine an application")
        if self.determined_application_id is not None:
            raise WrongState("call", "determined", "determine a second application")
        if not 0 < amount_fen <= self.terms["budget_fen"]:
            raise GrantsRuleViolation(
                {"amount_fen": [f"must be positive and at most the budget {self.terms['budget_fen']}"]}
            )
        self._determined(application_id=application_id, amount_fen=amount_fen, determined_on=on)

    @event("Determined")
    def _determined(self, application_id: uuid.UUID, amount_fen: int, determined_on: date) -> None:
        self.determined_application_id = application_id
        self.determined_amount_fen = amount_fen
        self.determined_on = determined_on

    def void_determination(self, *, application_id: uuid.UUID, reason: str, on: date) -> None:
        """The determined applicant was disqualified before signing (卫沙民社函〔2025〕11号 §七.(一))."""
        if self.determined_application_id != application_id:
            raise WrongState("call", "not determined for this application", "void its determination")
        self._determination_voided(application_id=application_id, reason=reason, voided_on=on)

    @event("DeterminationVoided")
    def _determination_voided(self, application_id: uuid.UUID, reason: str, voided_on: date) -> None:
        self.voided_determinations.append({"application_id": application_id, "reason": reason, "voided_on": voided_on})
        self.determined_application_id = None
        self.determined_amount_fen = None
        self.determined_on = None
