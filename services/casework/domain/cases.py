"""Individual casework (个案): intake, assessment, plan, sessions, reviews,
closure."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.casework.domain.errors import CaseClosed
from services.casework.domain.rules import no_duplicates, not_before, not_in_future, one_of, session_minutes
from shared.errors import refuse

SESSION_TYPES = ("home_visit", "school_visit", "office", "phone", "online", "accompaniment")
CLOSURE_REASONS = ("goals_met", "aged_out", "moved_away", "transferred", "other")
GOAL_STATUSES = ("not_started", "in_progress", "achieved")
# An open case's plan is reviewed this often (days) after it was set or last
# reviewed, unless CASEWORK_CASE_REVIEW_DAYS says otherwise (the reminders, GET /me/tasks).
DEFAULT_REVIEW_DAYS = 90
# Individual casework delivers the notice's line 4, 困境儿童分级管理 (个案工作).
SERVICE_LINE = "tiered_management"


def review_due(planned_on: date | None, last_reviewed_on: date | None, every_days: int) -> date | None:
    """When an open case's plan is next due a review: `every_days` after the
    last review, or after the plan was set; no plan, nothing to review."""
    if planned_on is None:
        return None
    return (last_reviewed_on or planned_on) + timedelta(days=every_days)


class Case(Aggregate):
    class Opened(Aggregate.Created):
        child_id: uuid.UUID
        contract_id: uuid.UUID | None
        worker: str
        opened_on: date
        referral_source: str
        presenting_needs: str

    @event(Opened)
    def __init__(
        self,
        child_id: uuid.UUID,
        contract_id: uuid.UUID | None,
        worker: str,
        opened_on: date,
        referral_source: str,
        presenting_needs: str,
    ):
        self.child_id = child_id
        self.contract_id = contract_id
        self.worker = worker
        self.opened_on = opened_on
        self.referral_source = referral_source
        self.presenting_needs = presenting_needs
        self.assessments: list[dict[str, Any]] = []
        self.goals: list[dict[str, Any]] = []
        self.sessions: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.closure: dict[str, Any] | None = None
        self.flagged: dict[str, Any] | None = None

    @classmethod
    def open(cls, *, today: date, opened_on: date, **details: Any) -> Case:
        not_in_future("opened_on", opened_on, today)
        return cls(opened_on=opened_on, **details)

    @property
    def is_open(self) -> bool:
        return self.closure is None

    def _on_open_case(self, field: str, day: date, today: date) -> None:
        if not self.is_open:
            raise CaseClosed(self.id)
        not_in_future(field, day, today)
        not_before(field, day, self.opened_on, "the case was opened")

    # Assessment -----------------------------------------------------------
    def assess(self, *, today: date, assessed_on: date, worker: str, summary: str, needs: list[str]) -> None:
        self._on_open_case("assessed_on", assessed_on, today)
        if not needs:
            refuse("needs", "an assessment names at least one need")
        self._assessed(assessed_on=assessed_on, worker=worker, summary=summary, needs=list(needs))

    @event("Assessed")
    def _assessed(self, assessed_on: date, worker: str, summary: str, needs: list[str]) -> None:
        self.assessments = [
            *self.assessments,
            {
                "assessed_on": assessed_on,
                "worker": worker,
                "summary": summary,
                "needs": list(needs),
            },
        ]

    # Plan -------------------------------------------------------------------
    def set_plan(self, *, today: date, planned_on: date, worker: str, goals: list[dict[str, Any]]) -> None:
        """goals: [{"goal_id": UUID, "description": str, "target_date": date|None}]."""
        self._on_open_case("planned_on", planned_on, today)
        if not self.assessments:
            refuse("goals", "assess the case before setting a plan")
        if not goals:
            refuse("goals", "a plan has at least one goal")
        for goal in goals:
            if goal.get("target_date") is not None and goal["target_date"] < planned_on:
                refuse("goals", "a goal's target date is before the plan date")
        self._planned(
            planned_on=planned_on,
            worker=worker,
            goals=[
                {"goal_id": g["goal_id"], "description": g["description"], "target_date": g.get("target_date")}
                for g in goals
            ],
        )

    @event("PlanSet")
    def _planned(self, planned_on: date, worker: str, goals: list[dict[str, Any]]) -> None:
        self.goals = [{**goal, "status": "not_started"} for goal in goals]
        self.planned_on = planned_on

    # Sessions ---------------------------------------------------------------
    def record_session(
        self,
        *,
        today: date,
        session_id: uuid.UUID,
        held_on: date,
        worker: str,
        session_type: str,
        duration_minutes: int,
        notes: str,
    ) -> None:
        self._on_open_case("held_on", held_on, today)
        one_of("session_type", session_type, SESSION_TYPES)
        session_minutes(duration_minutes)
        self._session(
            child_id=self.child_id,
            session_id=session_id,
            held_on=held_on,
            worker=worker,
            session_type=session_type,
            duration_minutes=duration_minutes,
            notes=notes,
        )

    class SessionRecorded(Aggregate.Event):
        child_id: uuid.UUID
        session_id: uuid.UUID
        held_on: date
        worker: str
        session_type: str
        duration_minutes: int
        notes: str

    @event(SessionRecorded)
    def _session(
        self,
        child_id: uuid.UUID,
        session_id: uuid.UUID,
        held_on: date,
        worker: str,
        session_type: str,
        duration_minutes: int,
        notes: str,
    ) -> None:
        self.sessions = [
            *self.sessions,
            {
                "session_id": session_id,
                "held_on": held_on,
                "worker": worker,
                "session_type": session_type,
                "duration_minutes": duration_minutes,
                "notes": notes,
            },
        ]

    # Reviews ----------------------------------------------------------------
    def review(
        self, *, today: date, reviewed_on: date, worker: str, goal_progress: list[dict[str, Any]], notes: str
    ) -> None:
        """goal_progress: [{"goal_id": UUID, "status": one of GOAL_STATUSES}]."""
        self._on_open_case("reviewed_on", reviewed_on, today)
        if not self.goals:
            refuse("goal_progress", "set a plan before reviewing it")
        known = {g["goal_id"] for g in self.goals}
        ids = [p["goal_id"] for p in goal_progress]
        no_duplicates("goal_progress", ids)
        unknown = [str(i) for i in ids if i not in known]
        if unknown:
            refuse("goal_progress", f"not goals of this case's plan: {', '.join(unknown)}")
        for progress in goal_progress:
            one_of("goal_progress", progress["status"], GOAL_STATUSES)
        self._reviewed(
            reviewed_on=reviewed_on,
            worker=worker,
            notes=notes,
            goal_progress=[{"goal_id": p["goal_id"], "status": p["status"]} for p in goal_progress],
        )

    class Reviewed(Aggregate.Event):
        reviewed_on: date
        worker: str
        goal_progress: list[dict[str, Any]]
        notes: str

    @event(Reviewed)
    def _reviewed(self, reviewed_on: date, worker: str, goal_progress: list[dict[str, Any]], notes: str) -> None:
        status = {p["goal_id"]: p["status"] for p in goal_progress}
        self.goals = [{**g, "status": status.get(g["goal_id"], g["status"])} for g in self.goals]
        self.reviews = [
            *self.reviews,
            {
                "reviewed_on": reviewed_on,
                "worker": worker,
                "notes": notes,
                "goal_progress": [dict(p) for p in goal_progress],
            },
        ]

    # Closure ----------------------------------------------------------------
    def close(self, *, today: date, closed_on: date, reason: str, worker: str, summary: str) -> None:
        self._on_open_case("closed_on", closed_on, today)
        one_of("reason", reason, CLOSURE_REASONS)
        if reason == "goals_met":
            pending = [g["description"] for g in self.goals if g["status"] != "achieved"]
            if not self.goals or pending:
                refuse("reason", "goals_met needs a plan whose goals a review marked achieved")
        self._closed(child_id=self.child_id, closed_on=closed_on, reason=reason, worker=worker, summary=summary)

    class Closed(Aggregate.Event):
        child_id: uuid.UUID
        closed_on: date
        reason: str
        worker: str
        summary: str

    @event(Closed)
    def _closed(self, child_id: uuid.UUID, closed_on: date, reason: str, worker: str, summary: str) -> None:
        self.closure = {"closed_on": closed_on, "reason": reason, "worker": worker, "summary": summary}

    @event("FlaggedForClosure")
    def flag_for_closure(self, why: str, suggested_reason: str, flagged_on: date) -> None:
        """The child left the programme (registry); a worker should close the case."""
        self.flagged = {"why": why, "suggested_reason": suggested_reason, "flagged_on": flagged_on}
