"""Individual cases (个案): intake, assessment, plan, sessions, reviews, closure."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from services.casework.domain.cases import Case, review_due
from services.casework.domain.roster import RosterChild
from services.casework.exceptions import CaseAlreadyOpen, CaseNotFound, RosterChildNotFound
from services.casework.use_cases.base import CaseworkBase


class CaseUseCases(CaseworkBase):
    def _case(self, case_id: UUID) -> Case:
        return self.load(Case, case_id, CaseNotFound)

    def open_case(
        self,
        *,
        child_id: UUID,
        contract_id: UUID | None,
        worker: str,
        opened_on: date,
        referral_source: str,
        presenting_needs: str,
    ) -> UUID:
        self._contract_takes_work(contract_id)
        child = self._child_in_programme(child_id, "child_id")
        if child.open_case_ids:
            raise CaseAlreadyOpen(child.open_case_ids[0])
        case = Case.open(
            today=self.clock(),
            child_id=child_id,
            contract_id=contract_id,
            worker=worker,
            opened_on=opened_on,
            referral_source=referral_source,
            presenting_needs=presenting_needs,
        )
        child.case_opened(case_id=case.id)
        # Saved together: a concurrent second opening or a leaving child conflicts on the child's version.
        self.save_or_conflict(case, child, record=child_id)
        return case.id

    def assess_case(self, case_id: UUID, *, assessed_on: date, worker: str, summary: str, needs: list[str]) -> None:
        case = self._case(case_id)
        case.assess(today=self.clock(), assessed_on=assessed_on, worker=worker, summary=summary, needs=needs)
        self.save_or_conflict(case)

    def set_case_plan(self, case_id: UUID, *, planned_on: date, worker: str, goals: list[dict[str, Any]]) -> list[UUID]:
        case = self._case(case_id)
        goals = [{**goal, "goal_id": uuid.uuid4()} for goal in goals]
        case.set_plan(today=self.clock(), planned_on=planned_on, worker=worker, goals=goals)
        self.save_or_conflict(case)
        return [goal["goal_id"] for goal in goals]

    def record_case_session(
        self, case_id: UUID, *, held_on: date, worker: str, session_type: str, duration_minutes: int, notes: str
    ) -> UUID:
        case = self._case(case_id)
        self._contract_takes_work(case.contract_id)
        session_id = uuid.uuid4()
        case.record_session(
            today=self.clock(),
            session_id=session_id,
            held_on=held_on,
            worker=worker,
            session_type=session_type,
            duration_minutes=duration_minutes,
            notes=notes,
        )
        self.save_or_conflict(case)
        return session_id

    def review_case(
        self, case_id: UUID, *, reviewed_on: date, worker: str, goal_progress: list[dict[str, Any]], notes: str
    ) -> None:
        case = self._case(case_id)
        case.review(
            today=self.clock(), reviewed_on=reviewed_on, worker=worker, goal_progress=goal_progress, notes=notes
        )
        self.save_or_conflict(case)

    def close_case(self, case_id: UUID, *, closed_on: date, reason: str, worker: str, summary: str) -> None:
        case = self._case(case_id)
        case.close(today=self.clock(), closed_on=closed_on, reason=reason, worker=worker, summary=summary)
        child = self.load(RosterChild, case.child_id, RosterChildNotFound)
        child.case_closed(case_id=case.id)
        self.save_or_conflict(case, child)

    def get_case(self, case_id: UUID) -> dict[str, Any]:
        case = self._case(case_id)
        return {
            "case_id": case.id,
            "child_id": case.child_id,
            "contract_id": case.contract_id,
            "worker": case.worker,
            "opened_on": case.opened_on,
            "referral_source": case.referral_source,
            "presenting_needs": case.presenting_needs,
            "status": "open" if case.is_open else "closed",
            "assessments": case.assessments,
            "goals": case.goals,
            "sessions": case.sessions,
            "reviews": case.reviews,
            "closure": case.closure,
            "flagged_for_closure": case.flagged,
            "version": case.version,
        }

    def list_cases(
        self,
        *,
        limit: int,
        after: str | None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> tuple[list[dict[str, Any]], int]:
        """Cases now, or as they stood (shared/past_registers.py); with the position read at."""
        return self.past.read(
            self.cases_view, as_of, as_of_position, lambda view, _day: view.list(limit=limit, after=after, **filters)
        )

    def case_dues(self, contract_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Open cases (under these contracts, or all) with their plan goals and
        when the plan is next due a review (the reminders, GET /me/tasks)."""
        wanted = None if contract_ids is None else set(contract_ids)
        return [
            {
                "case_id": case["case_id"],
                "child_id": case["child_id"],
                "child_name": case["child_name"],
                "child_active": case["child_active"],
                "contract_id": case["contract_id"],
                "goals": case["goals"],
                "review_due_on": review_due(case["planned_on"], case["last_reviewed_on"], self.case_review_days),
            }
            for case in self.cases_view.open_cases_of(wanted)
        ]

    def case_alerts(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.cases_view.alerts(limit=limit, after=after)
