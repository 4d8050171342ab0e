"""Read models for casework's lists, projected from its own log: cases and the
level-1 alert list, groups, activities, organisations, child directors."""
from __future__ import annotations

from typing import Any, Callable

from services.casework.activities import KIND_LINES, Activity
from services.casework.care import CareService
from services.casework.cases import Case
from services.casework.directors import ChildDirector, CommunityOrganization, Supervision
from services.casework.domain import RosterChild
from services.casework.groups import Group
from shared.projection import Projection


def listed(rows: dict[str, dict[str, Any]], *, limit: int, after: str | None,
           keep: Callable[[dict[str, Any]], bool] = lambda row: True) -> list[dict[str, Any]]:
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


class CasesView(Projection):
    """Cases, and the children a level-1 tier says need one."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.cases: dict[str, dict[str, Any]] = {}
        self.children: dict[str, dict[str, Any]] = {}

    def apply(self, e: Any) -> None:
        key = str(e.originator_id)
        if isinstance(e, RosterChild.Enrolled):
            self.children[key] = {"child_id": e.originator_id, "name": e.name, "town": e.town,
                                  "village": e.village, "risk_level": None, "assessed_on": None,
                                  "active": True, "open_cases": 0}
        elif isinstance(e, RosterChild.DetailsCorrected) and e.field in ("name", "town", "village"):
            self.children[key][e.field] = e.value
        elif isinstance(e, RosterChild.RiskAssessed):
            self.children[key].update(risk_level=e.level, assessed_on=e.assessed_on)
        elif isinstance(e, RosterChild.Left):
            self.children[key]["active"] = False
        elif isinstance(e, RosterChild.CaseOpened):
            self.children[key]["open_cases"] += 1
        elif isinstance(e, RosterChild.CaseClosed):
            self.children[key]["open_cases"] -= 1
        elif isinstance(e, Case.Opened):
            self.cases[key] = {
                "case_id": e.originator_id, "child_id": e.child_id, "contract_id": e.contract_id,
                "worker": e.worker, "opened_on": e.opened_on, "status": "open", "closed_on": None,
                "closure_reason": None, "sessions": 0, "flagged_for_closure": None,
            }
        elif isinstance(e, Case.SessionRecorded):
            self.cases[key]["sessions"] += 1
        elif isinstance(e, Case.Closed):
            self.cases[key].update(status="closed", closed_on=e.closed_on, closure_reason=e.reason)
        elif isinstance(e, Case.FlaggedForClosure):
            self.cases[key]["flagged_for_closure"] = {
                "why": e.why, "suggested_reason": e.suggested_reason, "flagged_on": e.flagged_on,
            }

    def list(self, *, limit: int, after: str | None, status: str | None = None,
             child_id=None, contract_id=None, flagged: bool | None = None) -> list[dict[str, Any]]:
        self.refresh()

        def keep(row):
            return matches(row, status=status, child_id=child_id, contract_id=contract_id) and (
                flagged is None
                or (flagged == (row["flagged_for_closure"] is not None and row["status"] == "open"))
            )

        return listed(self.cases, limit=limit, after=after, keep=keep)

    def alerts(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        """Level-1 children still in the programme with no open case."""
        self.refresh()
        return listed(self.children, limit=limit, after=after, keep=lambda c: (
            c["active"] and c["risk_level"] == 1 and c["open_cases"] == 0
        ))


class CommunityView(Projection):
    """Groups, community activities and nurtured social organisations."""

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.groups: dict[str, dict[str, Any]] = {}
        self.activities: dict[str, dict[str, Any]] = {}
        self.organizations: dict[str, dict[str, Any]] = {}
        self.care: dict[str, dict[str, Any]] = {}

    def apply(self, e: Any) -> None:
        key = str(e.originator_id)
        if isinstance(e, Group.Formed):
            self.groups[key] = {
                "group_id": e.originator_id, "name": e.name, "purpose": e.purpose,
                "service_line": e.service_line, "contract_id": e.contract_id,
                "min_age": e.min_age, "max_age": e.max_age, "formed_on": e.formed_on,
                "worker": e.worker, "members": len(e.member_ids), "sessions": 0,
            }
        elif isinstance(e, Group.MembersAdded):
            self.groups[key]["members"] += len(e.child_ids)
        elif isinstance(e, Group.SessionHeld):
            self.groups[key]["sessions"] += 1
        elif isinstance(e, Activity.Held):
            self.activities[key] = {
                "activity_id": e.originator_id, "kind": e.kind, "service_line": KIND_LINES[e.kind],
                "title": e.title, "held_on": e.held_on, "contract_id": e.contract_id,
                "town": e.town, "village": e.village, "children": len(e.child_ids),
                "guardian_count": e.guardian_count, "community_count": e.community_count,
                "topics": list(e.topics), "theme": e.theme, "organization_id": e.organization_id,
            }
            if e.organization_id is not None:
                self.organizations[str(e.organization_id)]["activities"] += 1
        elif isinstance(e, CommunityOrganization.Nurtured):
            self.organizations[key] = {
                "organization_id": e.originator_id, "name": e.name, "town": e.town,
                "village": e.village, "focus": e.focus, "contract_id": e.contract_id,
                "nurtured_on": e.nurtured_on, "activities": 0,
            }
        elif isinstance(e, CareService.Given):
            self.care[key] = {
                "service_id": e.originator_id, "child_id": e.child_id, "kind": e.kind,
                "given_on": e.given_on, "contract_id": e.contract_id, "value_fen": e.value_fen,
                "resource": e.resource, "occasion": e.occasion,
            }

    def list_groups(self, *, limit, after, contract_id=None, service_line=None):
        self.refresh()
        return listed(self.groups, limit=limit, after=after,
                      keep=lambda r: matches(r, contract_id=contract_id, service_line=service_line))

    def list_activities(self, *, limit, after, kind=None, contract_id=None, month=None):
        self.refresh()
        return listed(self.activities, limit=limit, after=after, keep=lambda r: (
            matches(r, kind=kind, contract_id=contract_id)
            and (month is None or r["held_on"].strftime("%Y-%m") == month)
        ))

    def list_organizations(self, *, limit, after, town=None):
        self.refresh()
        return listed(self.organizations, limit=limit, after=after, keep=lambda r: matches(r, town=town))

    def list_care(self, *, limit, after, child_id=None, kind=None, contract_id=None):
        self.refresh()
        return listed(self.care, limit=limit, after=after,
                      keep=lambda r: matches(r, child_id=child_id, kind=kind, contract_id=contract_id))


class DirectorsView(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.directors: dict[str, dict[str, Any]] = {}

    def apply(self, e: Any) -> None:
        if isinstance(e, ChildDirector.Appointed):
            self.directors[str(e.originator_id)] = {
                "director_id": e.originator_id, "name": e.name, "town": e.town,
                "village": e.village, "phone": e.phone, "appointed_on": e.appointed_on,
                "supervisions": 0, "cross_learning": 0, "last_supervised_on": None,
            }
        elif isinstance(e, Supervision.Held):
            for director_id in e.director_ids:
                row = self.directors[str(director_id)]
                row["supervisions" if e.kind == "supervision" else "cross_learning"] += 1
                if row["last_supervised_on"] is None or e.held_on > row["last_supervised_on"]:
                    row["last_supervised_on"] = e.held_on

    def list(self, *, limit, after, town=None, village=None) -> list[dict[str, Any]]:
        self.refresh()
        return listed(self.directors, limit=limit, after=after,
                      keep=lambda r: matches(r, town=town, village=village))


