"""Read models projected from casework's own log: the roster, cases and the
level-1 alert list, groups, activities, care, organisations, child directors,
and the supervision sessions held (directors', and the provider's team's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.casework.domain.activities import KIND_LINES, Activity
from services.casework.domain.care import CareService
from services.casework.domain.cases import Case
from services.casework.domain.directors import ChildDirector, CommunityOrganization, Supervision
from services.casework.domain.funds import ACTIVE, SUSPENDED, ContractScope
from services.casework.domain.groups import Group
from services.casework.domain.project_supervision import ProjectSupervision
from services.casework.domain.roster import RosterChild
from shared import places
from shared.projection import Projection, handles


def listed(
    rows: dict[str, dict[str, Any]],
    *,
    limit: int,
    after: str | None,
    keep: Callable[[dict[str, Any]], bool] = lambda row: True,
) -> list[dict[str, Any]]:
    """Rows in key order after the cursor, at most `limit`."""
    out = []
    for key in sorted(rows):
        if after is not None and key <= after:
            continue
        if keep(rows[key]):
            out.append(rows[key])
            if len(out) == limit:
                break
    return out


def matches(row: dict[str, Any], **wanted: Any) -> bool:
    return all(value is None or row.get(name) == value for name, value in wanted.items())


class RosterView(Projection):
    """The children casework knows from the registry, as listed."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        # Per child: has left the programme, and the contracts referred to (for reach).
        self.left: set[str] = set()
        self.referred: dict[str, set[str]] = {}

    @handles(RosterChild.Enrolled)
    def _enrolled(self, e: RosterChild.Enrolled) -> None:
        self.referred[str(e.originator_id)] = set()
        self.rows[str(e.originator_id)] = {
            "child_id": e.originator_id,
            "name": e.name,
            "date_of_birth": e.date_of_birth,
            "town": e.town,
            "village": e.village,
            "categories": e.categories,
            "enrolled_at": e.timestamp,
        }

    @handles(RosterChild.DetailsCorrected)
    def _corrected(self, e: RosterChild.DetailsCorrected) -> None:
        row = self.rows[str(e.originator_id)]
        if e.field in row:
            row[e.field] = e.value

    @handles(RosterChild.LeftBehindEnded)
    def _left_behind_ended(self, e: RosterChild.LeftBehindEnded) -> None:
        row = self.rows[str(e.originator_id)]
        row["categories"] = [c for c in row["categories"] if c != "left_behind"]

    @handles(RosterChild.Left)
    def _left(self, e: RosterChild.Left) -> None:
        self.left.add(str(e.originator_id))

    @handles(RosterChild.Referred)
    def _referred(self, e: Any) -> None:
        self.referred[str(e.originator_id)].add(str(e.contract_id))

    @handles(RosterChild.ReferralWithdrawn)
    def _referral_withdrawn(self, e: Any) -> None:
        self.referred[str(e.originator_id)].discard(str(e.contract_id))

    def list(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return [self._listed_row(row) for row in listed(self.rows, limit=limit, after=after)]

    def _listed_row(self, row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "in_programme": str(row["child_id"]) not in self.left}

    def reached(
        self, contract_id: UUID, service_area: list[dict[str, Any]], *, limit: int, after: str | None
    ) -> list[dict[str, Any]]:
        """The children still in the programme a contract reaches: living in
        its service area, or referred to it (as ReachUseCases.reaches)."""
        self.refresh()

        def keep(row: dict[str, Any]) -> bool:
            child = str(row["child_id"])
            if child in self.left:
                return False
            return places.covers(service_area, row["town"], row["village"]) or str(contract_id) in self.referred[child]

        return [self._listed_row(row) for row in listed(self.rows, limit=limit, after=after, keep=keep)]

    def count(self) -> int:
        self.refresh()
        return len(self.rows)


class CasesView(Projection):
    """Cases, and the children a level-1 tier says need one."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.cases: dict[str, dict[str, Any]] = {}
        self.children: dict[str, dict[str, Any]] = {}

    # The children ------------------------------------------------------------
    @handles(RosterChild.Enrolled)
    def _enrolled(self, e: RosterChild.Enrolled) -> None:
        self.children[str(e.originator_id)] = {
            "child_id": e.originator_id,
            "name": e.name,
            "town": e.town,
            "village": e.village,
            "risk_level": None,
            "assessed_on": None,
            "active": True,
            "open_cases": 0,
        }

    @handles(RosterChild.DetailsCorrected)
    def _corrected(self, e: RosterChild.DetailsCorrected) -> None:
        if e.field in ("name", "town", "village"):
            self.children[str(e.originator_id)][e.field] = e.value

    @handles(RosterChild.RiskAssessed)
    def _risk_assessed(self, e: RosterChild.RiskAssessed) -> None:
        self.children[str(e.originator_id)].update(risk_level=e.level, assessed_on=e.assessed_on)

    @handles(RosterChild.Left)
    def _left(self, e: RosterChild.Left) -> None:
        self.children[str(e.originator_id)]["active"] = False

    @handles(RosterChild.CaseOpened)
    def _child_case_opened(self, e: RosterChild.CaseOpened) -> None:
        self.children[str(e.originator_id)]["open_cases"] += 1

    @handles(RosterChild.CaseClosed)
    def _child_case_closed(self, e: RosterChild.CaseClosed) -> None:
        self.children[str(e.originator_id)]["open_cases"] -= 1

    # The cases ----------------------------------------------------------------
    @handles(Case.Opened)
    def _opened(self, e: Case.Opened) -> None:
        self.cases[str(e.originator_id)] = {
            "case_id": e.originator_id,
            "child_id": e.child_id,
            "contract_id": e.contract_id,
            "worker": e.worker,
            "opened_on": e.opened_on,
            "status": "open",
            "closed_on": None,
            "closure_reason": None,
            "sessions": 0,
            "flagged_for_closure": None,
            "planned_on": None,
            "last_reviewed_on": None,
            "goals": [],
        }

    @handles(Case.PlanSet)
    def _planned(self, e: Case.PlanSet) -> None:
        self.cases[str(e.originator_id)].update(
            planned_on=e.planned_on,
            goals=[
                {
                    "goal_id": g["goal_id"],
                    "description": g["description"],
                    "target_date": g.get("target_date"),
                    "status": "not_started",
                }
                for g in e.goals
            ],
        )

    @handles(Case.Reviewed)
    def _reviewed(self, e: Case.Reviewed) -> None:
        case = self.cases[str(e.originator_id)]
        status = {p["goal_id"]: p["status"] for p in e.goal_progress}
        case["goals"] = [{**g, "status": status.get(g["goal_id"], g["status"])} for g in case["goals"]]
        case["last_reviewed_on"] = e.reviewed_on

    @handles(Case.SessionRecorded)
    def _session(self, e: Case.SessionRecorded) -> None:
        self.cases[str(e.originator_id)]["sessions"] += 1

    @handles(Case.Closed)
    def _closed(self, e: Case.Closed) -> None:
        self.cases[str(e.originator_id)].update(status="closed", closed_on=e.closed_on, closure_reason=e.reason)

    @handles(Case.FlaggedForClosure)
    def _flagged(self, e: Case.FlaggedForClosure) -> None:
        self.cases[str(e.originator_id)]["flagged_for_closure"] = {
            "why": e.why,
            "suggested_reason": e.suggested_reason,
            "flagged_on": e.flagged_on,
        }

    def open_cases_of(self, contract_ids: set[str] | None) -> list[dict[str, Any]]:
        """Open cases under these contracts (all, if None), each with its
        child's name and whether the child is still in the programme."""
        self.refresh()
        out = []
        for case in self.cases.values():
            if case["status"] != "open":
                continue
            if contract_ids is not None and str(case["contract_id"]) not in contract_ids:
                continue
            child = self.children.get(str(case["child_id"]), {})
            out.append({**case, "child_name": child.get("name", ""), "child_active": child.get("active", False)})
        return out

    def list(
        self,
        *,
        limit: int,
        after: str | None,
        status: str | None = None,
        child_id=None,
        contract_id=None,
        flagged: bool | None = None,
    ) -> list[dict[str, Any]]:
        self.refresh()

        def keep(row):
            return matches(row, status=status, child_id=child_id, contract_id=contract_id) and (
                flagged is None or (flagged == (row["flagged_for_closure"] is not None and row["status"] == "open"))
            )

        return listed(self.cases, limit=limit, after=after, keep=keep)

    def alerts(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        """Level-1 children still in the programme with no open case."""
        self.refresh()
        return listed(
            self.children,
            limit=limit,
            after=after,
            keep=lambda c: c["active"] and c["risk_level"] == 1 and c["open_cases"] == 0,
        )


class CommunityView(Projection):
    """Groups, community activities, care given and nurtured social organisations."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.groups: dict[str, dict[str, Any]] = {}
        self.activities: dict[str, dict[str, Any]] = {}
        self.organizations: dict[str, dict[str, Any]] = {}
        self.care: dict[str, dict[str, Any]] = {}

    @handles(Group.Formed)
    def _group_formed(self, e: Group.Formed) -> None:
        self.groups[str(e.originator_id)] = {
            "group_id": e.originator_id,
            "name": e.name,
            "purpose": e.purpose,
            "service_line": e.service_line,
            "contract_id": e.contract_id,
            "min_age": e.min_age,
            "max_age": e.max_age,
            "formed_on": e.formed_on,
            "worker": e.worker,
            "members": len(e.member_ids),
            "sessions": 0,
        }

    @handles(Group.MembersAdded)
    def _members_added(self, e: Group.MembersAdded) -> None:
        self.groups[str(e.originator_id)]["members"] += len(e.child_ids)

    @handles(Group.SessionHeld)
    def _group_session(self, e: Group.SessionHeld) -> None:
        self.groups[str(e.originator_id)]["sessions"] += 1

    @handles(Activity.Held)
    def _activity(self, e: Activity.Held) -> None:
        self.activities[str(e.originator_id)] = {
            "activity_id": e.originator_id,
            "kind": e.kind,
            "service_line": KIND_LINES[e.kind],
            "title": e.title,
            "held_on": e.held_on,
            "contract_id": e.contract_id,
            "town": e.town,
            "village": e.village,
            "children": len(e.child_ids),
            "guardian_count": e.guardian_count,
            "community_count": e.community_count,
            "topics": list(e.topics),
            "theme": e.theme,
            "organization_id": e.organization_id,
        }
        if e.organization_id is not None:
            self.organizations[str(e.organization_id)]["activities"] += 1

    @handles(CommunityOrganization.Nurtured)
    def _organization(self, e: CommunityOrganization.Nurtured) -> None:
        self.organizations[str(e.originator_id)] = {
            "organization_id": e.originator_id,
            "name": e.name,
            "town": e.town,
            "village": e.village,
            "focus": e.focus,
            "contract_id": e.contract_id,
            "nurtured_on": e.nurtured_on,
            "activities": 0,
        }

    @handles(CareService.Given)
    def _care(self, e: CareService.Given) -> None:
        self.care[str(e.originator_id)] = {
            "service_id": e.originator_id,
            "child_id": e.child_id,
            "kind": e.kind,
            "given_on": e.given_on,
            "contract_id": e.contract_id,
            "value_fen": e.value_fen,
            "resource": e.resource,
            "occasion": e.occasion,
        }

    def list_groups(
        self, *, limit: int, after: str | None, contract_id: UUID | None = None, service_line: str | None = None
    ) -> list[dict[str, Any]]:
        self.refresh()
        return listed(
            self.groups,
            limit=limit,
            after=after,
            keep=lambda r: matches(r, contract_id=contract_id, service_line=service_line),
        )

    def list_activities(
        self,
        *,
        limit: int,
        after: str | None,
        kind: str | None = None,
        contract_id: UUID | None = None,
        month: str | None = None,
    ) -> list[dict[str, Any]]:
        self.refresh()
        return listed(
            self.activities,
            limit=limit,
            after=after,
            keep=lambda r: (
                matches(r, kind=kind, contract_id=contract_id)
                and (month is None or r["held_on"].strftime("%Y-%m") == month)
            ),
        )

    def list_organizations(self, *, limit: int, after: str | None, town: str | None = None) -> list[dict[str, Any]]:
        self.refresh()
        return listed(self.organizations, limit=limit, after=after, keep=lambda r: matches(r, town=town))

    def list_care(
        self,
        *,
        limit: int,
        after: str | None,
        child_id: UUID | None = None,
        kind: str | None = None,
        contract_id: UUID | None = None,
    ) -> list[dict[str, Any]]:
        self.refresh()
        return listed(
            self.care,
            limit=limit,
            after=after,
            keep=lambda r: matches(r, child_id=child_id, kind=kind, contract_id=contract_id),
        )


class DirectorsView(Projection):
    """Child directors by village, with how often each was supervised."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.directors: dict[str, dict[str, Any]] = {}

    @handles(ChildDirector.Appointed)
    def _appointed(self, e: ChildDirector.Appointed) -> None:
        self.directors[str(e.originator_id)] = {
            "director_id": e.originator_id,
            "name": e.name,
            "town": e.town,
            "village": e.village,
            "phone": e.phone,
            "appointed_on": e.appointed_on,
            "supervisions": 0,
            "cross_learning": 0,
            "last_supervised_on": None,
        }

    @handles(Supervision.Held)
    def _supervised(self, e: Supervision.Held) -> None:
        for director_id in e.director_ids:
            row = self.directors[str(director_id)]
            row["supervisions" if e.kind == "supervision" else "cross_learning"] += 1
            if row["last_supervised_on"] is None or e.held_on > row["last_supervised_on"]:
                row["last_supervised_on"] = e.held_on

    def list(self, *, limit, after, town=None, village=None) -> list[dict[str, Any]]:
        self.refresh()
        return listed(self.directors, limit=limit, after=after, keep=lambda r: matches(r, town=town, village=village))


class SupervisionsView(Projection):
    """Sessions held: child directors' supervision and cross-learning, and the
    provider's supervision team consulting or training its staff (§五.(三).3)."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.supervisions: dict[str, dict[str, Any]] = {}
        self.project_supervisions: dict[str, dict[str, Any]] = {}

    @handles(Supervision.Held)
    def _supervision(self, e: Supervision.Held) -> None:
        self.supervisions[str(e.originator_id)] = {
            "supervision_id": e.originator_id,
            "kind": e.kind,
            "held_on": e.held_on,
            "contract_id": e.contract_id,
            "topic": e.topic,
            "supervisor": e.supervisor,
            "director_ids": list(e.director_ids),
            "duration_minutes": e.duration_minutes,
            "notes": e.notes,
        }

    @handles(ProjectSupervision.Held)
    def _project_supervision(self, e: ProjectSupervision.Held) -> None:
        self.project_supervisions[str(e.originator_id)] = {
            "session_id": e.originator_id,
            "contract_id": e.contract_id,
            "format": e.format,
            "focus": list(e.focus),
            "held_on": e.held_on,
            "topic": e.topic,
            "supervisor": e.supervisor,
            "staff_attending": e.staff_attending,
            "duration_minutes": e.duration_minutes,
            "notes": e.notes,
        }

    def list_supervisions(
        self, *, limit: int, after: str | None, kind: str | None = None, contract_id: UUID | None = None
    ) -> list[dict[str, Any]]:
        self.refresh()
        return listed(
            self.supervisions, limit=limit, after=after, keep=lambda r: matches(r, kind=kind, contract_id=contract_id)
        )

    def list_project_supervisions(
        self, *, limit: int, after: str | None, format: str | None = None, contract_id: UUID | None = None
    ) -> list[dict[str, Any]]:
        self.refresh()
        return listed(
            self.project_supervisions,
            limit=limit,
            after=after,
            keep=lambda r: matches(r, format=format, contract_id=contract_id),
        )


class ContractAreasView(Projection):
    """Each signed contract's organisation and service area, to find the
    contracts whose area a child's address lies in."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.by_scope: dict[UUID, str] = {}

    @handles(ContractScope.Signed)
    def _signed(self, e: ContractScope.Signed) -> None:
        self.by_scope[e.originator_id] = str(e.contract_id)
        self.rows[str(e.contract_id)] = {
            "contract_id": e.contract_id,
            "organization_id": e.organization_id,
            "service_area": e.service_area,
            "status": ACTIVE,
        }

    @handles(ContractScope.StatusChanged)
    def _status_changed(self, e: Any) -> None:
        self.rows[self.by_scope[e.originator_id]]["status"] = e.status

    def contracts(
        self, organization_id: UUID | None = None, *, statuses: tuple[str, ...] = (ACTIVE, SUSPENDED)
    ) -> list[dict[str, Any]]:
        """The organisation's contracts in one of `statuses` (by default those
        that still reach children: not terminated or closed)."""
        self.refresh()
        return [
            r
            for r in self.rows.values()
            if (organization_id is None or r["organization_id"] == organization_id) and r["status"] in statuses
        ]
