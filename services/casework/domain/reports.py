"""The quarterly report (季度书面报告, 卫沙民社函〔2025〕11号 §五.(三).4), computed by folding
casework's own log: what was delivered on each of the eight service lines,
which children were reached, registry visits and overdue contacts, and money.

The fold is pure: feed it domain events in log order and ask it for any
contract and quarter. Fed the log up to a position, it gives the same numbers
however often and whenever it is run."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.casework.domain.activities import KIND_LINES, SAFETY_KINDS, SAFETY_TOPICS, Activity, month_of
from services.casework.domain.care import CareService, service_line_of
from services.casework.domain.cases import SERVICE_LINE as CASE_LINE
from services.casework.domain.cases import Case
from services.casework.domain.directors import ChildDirector, CommunityOrganization, Supervision
from services.casework.domain.funds import ContractFunds, ContractScope
from services.casework.domain.groups import Group
from services.casework.domain.project_supervision import FOCUS_AREAS, FORMATS, ProjectSupervision
from services.casework.domain.roster import RosterChild
from shared.vocabulary import DEFAULT_CONTACT_CADENCE, LINE_TITLES, SERVICE_LINES, parse_cadence

# Line 1 (摸底走访建档): files opened and visits made under the contract.
SCREENING_LINE = "screening_and_files"
FUNDS = ("fiscal", "donation")
# What finance reported: (direction, fund, amount in fen, day, budget line or None).
FundRow = tuple[str, str, int, date, str | None]
# A registry risk assessment: (assessed on, tier, next contact due).
RiskRow = tuple[date, int, date]


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


@dataclass
class Bucket:
    """What one contract delivered in one quarter."""

    line_records: Counter[str] = field(default_factory=Counter)
    line_attendances: Counter[str] = field(default_factory=Counter)
    line_children: defaultdict[str, set[UUID]] = field(default_factory=lambda: defaultdict(set))
    reached: set[UUID] = field(default_factory=set)
    cases: Counter[str] = field(default_factory=Counter)
    closed_by_reason: Counter[str] = field(default_factory=Counter)
    groups_met: set[UUID] = field(default_factory=set)
    groups: Counter[str] = field(default_factory=Counter)
    activities: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    themes: set[tuple[str, str | None]] = field(default_factory=set)
    safety: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    care: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    supervision: Counter[str] = field(default_factory=Counter)
    directors_reached: set[UUID] = field(default_factory=set)
    organizations: Counter[str] = field(default_factory=Counter)
    # Line 1 (摸底走访建档) under this contract: files opened, visits, households visited.
    screening: Counter[str] = field(default_factory=Counter)
    households: set[str] = field(default_factory=set)
    project_supervision: Counter[str] = field(default_factory=Counter)

    def deliver(self, line: str, child_ids: Iterable[UUID] = (), records: int = 1) -> None:
        self.line_records[line] += records
        for child_id in child_ids:
            self.line_attendances[line] += 1
            self.line_children[line].add(child_id)
            self.reached.add(child_id)


class QuarterlyFold:
    def __init__(self, cadence: Mapping[int, int] | None = None) -> None:
        # Days between contacts by tier, the registry's own setting
        # (shared/config.py contact_cadence); a visit restarts the clock.
        self.cadence = dict(cadence or parse_cadence(DEFAULT_CONTACT_CADENCE))
        self.position = 0
        self.children: dict[UUID, dict[str, Any]] = {}
        self.aliases: dict[UUID, UUID] = {}
        self.cases: dict[UUID, dict[str, Any]] = {}
        self.groups: dict[UUID, dict[str, Any]] = {}
        self.directors: dict[UUID, date] = {}
        self.organizations: dict[UUID, dict[str, Any]] = {}
        self.funds: defaultdict[UUID, list[FundRow]] = defaultdict(list)
        self.scopes: dict[UUID, dict[str, Any]] = {}
        self.buckets: defaultdict[tuple[UUID | None, int, int], Bucket] = defaultdict(Bucket)
        self._handlers = self._handler_table()

    def _handler_table(self) -> dict[type, Callable[[Any], None]]:
        return {
            RosterChild.Enrolled: self._enrolled,
            RosterChild.DetailsCorrected: self._corrected,
            RosterChild.RiskAssessed: self._assessed,
            RosterChild.Visited: self._visited,
            RosterChild.LeftBehindEnded: self._left_behind_ended,
            RosterChild.Left: self._left,
            Case.Opened: self._case_opened,
            Case.SessionRecorded: self._case_session,
            Case.Reviewed: self._case_reviewed,
            Case.Closed: self._case_closed,
            Group.Formed: self._group_formed,
            Group.SessionHeld: self._group_session,
            Activity.Held: self._activity,
            CareService.Given: self._care,
            ChildDirector.Appointed: self._director,
            Supervision.Held: self._supervision,
            CommunityOrganization.Nurtured: self._organization,
            ProjectSupervision.Held: self._project_supervision,
            ContractFunds.TranchePaid: self._tranche,
            ContractFunds.ExpenditureRecorded: self._expenditure,
            ContractFunds.DonationReceived: self._donation,
            ContractScope.Signed: self._signed,
        }

    def __getstate__(self) -> dict[str, Any]:
        # Checkpoints are pickled; the handler table is rebuilt, not copied.
        return {k: v for k, v in self.__dict__.items() if k != "_handlers"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._handlers = self._handler_table()

    def apply(self, event: Any, position: int) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)
        self.position = position

    def _bucket(self, contract_id: UUID | None, day: date) -> Bucket:
        return self.buckets[(contract_id, *quarter_of(day))]

    def _who(self, child_id: UUID) -> UUID:
        while child_id in self.aliases:
            child_id = self.aliases[child_id]
        return child_id

    # Registry, as mirrored by the roster ------------------------------------
    def _enrolled(self, e: RosterChild.Enrolled) -> None:
        enrolled_on = e.registered_on or e.timestamp.date()
        if e.contract_id is not None:
            # A file opened under a contract is that contract's line-1 work (§三.(四).1).
            bucket = self._bucket(e.contract_id, enrolled_on)
            bucket.screening["files_opened"] += 1
            bucket.deliver(SCREENING_LINE, [e.originator_id])
        self.children[e.originator_id] = {
            "town": e.town,
            "village": e.village,
            "categories": list(e.categories),
            "enrolled_on": enrolled_on,
            "left_on": None,
            "risk": [],
            "visits": [],
        }

    def _corrected(self, e: RosterChild.DetailsCorrected) -> None:
        if e.field in ("town", "village", "categories"):
            self.children[e.originator_id][e.field] = e.value

    def _assessed(self, e: RosterChild.RiskAssessed) -> None:
        self.children[e.originator_id]["risk"].append((e.assessed_on, e.level, e.next_contact_due))

    def _visited(self, e: RosterChild.Visited) -> None:
        self.children[e.originator_id]["visits"].append(e.visited_on)
        if e.contract_id is not None:
            # Only visits made under the contract count as its line-1 work; the
            # bureau's and directors' visits count for the district (registry figures).
            bucket = self._bucket(e.contract_id, e.visited_on)
            bucket.screening["visits"] += 1
            bucket.households.add(e.household or f"child:{self._who(e.originator_id)}")
            bucket.deliver(SCREENING_LINE, [self._who(e.originator_id)])

    def _left_behind_ended(self, e: RosterChild.LeftBehindEnded) -> None:
        child = self.children[e.originator_id]
        child["categories"] = [c for c in child["categories"] if c != "left_behind"]

    def _left(self, e: RosterChild.Left) -> None:
        self.children[e.originator_id]["left_on"] = e.left_on
        if e.reason == "merged" and e.detail:
            self.aliases[e.originator_id] = UUID(e.detail)

    # Casework ---------------------------------------------------------------
    def _case_opened(self, e: Case.Opened) -> None:
        self.cases[e.originator_id] = {
            "contract_id": e.contract_id,
            "opened_on": e.opened_on,
            "closed_on": None,
            "child_id": e.child_id,
        }
        bucket = self._bucket(e.contract_id, e.opened_on)
        bucket.cases["opened"] += 1
        bucket.deliver(CASE_LINE, [self._who(e.child_id)])

    def _case_session(self, e: Case.SessionRecorded) -> None:
        case = self.cases[e.originator_id]
        bucket = self._bucket(case["contract_id"], e.held_on)
        bucket.cases["sessions"] += 1
        bucket.cases["session_minutes"] += e.duration_minutes
        bucket.deliver(CASE_LINE, [self._who(e.child_id)])

    def _case_reviewed(self, e: Case.Reviewed) -> None:
        case = self.cases[e.originator_id]
        self._bucket(case["contract_id"], e.reviewed_on).cases["reviews"] += 1

    def _case_closed(self, e: Case.Closed) -> None:
        case = self.cases[e.originator_id]
        case["closed_on"] = e.closed_on
        bucket = self._bucket(case["contract_id"], e.closed_on)
        bucket.cases["closed"] += 1
        bucket.closed_by_reason[e.reason] += 1

    def _group_formed(self, e: Group.Formed) -> None:
        self.groups[e.originator_id] = {"contract_id": e.contract_id}
        self._bucket(e.contract_id, e.formed_on).groups["formed"] += 1

    def _group_session(self, e: Group.SessionHeld) -> None:
        group = self.groups[e.originator_id]
        bucket = self._bucket(group["contract_id"], e.held_on)
        bucket.groups["sessions"] += 1
        bucket.groups["attendances"] += len(e.attended_child_ids)
        bucket.groups_met.add(e.originator_id)
        bucket.deliver(e.service_line, [self._who(c) for c in e.attended_child_ids])

    def _activity(self, e: Activity.Held) -> None:
        bucket = self._bucket(e.contract_id, e.held_on)
        children = [self._who(c) for c in e.child_ids]
        by_kind = bucket.activities[e.kind]
        by_kind["count"] += 1
        by_kind["children"] += len(children)
        by_kind["guardians"] += e.guardian_count
        by_kind["community"] += e.community_count
        bucket.deliver(KIND_LINES[e.kind], children)
        if e.kind == "monthly_theme":
            bucket.themes.add((month_of(e.held_on), e.theme))
        if e.kind in SAFETY_KINDS:
            for topic in e.topics:
                bucket.safety[topic]["sessions"] += 1
                bucket.safety[topic]["children"] += len(children)
                bucket.safety[topic]["guardians"] += e.guardian_count
        if e.organization_id is not None:
            bucket.organizations["activities"] += 1

    def _care(self, e: CareService.Given) -> None:
        bucket = self._bucket(e.contract_id, e.given_on)
        bucket.care[e.kind]["count"] += 1
        bucket.care[e.kind]["value_fen"] += e.value_fen or 0
        bucket.deliver(service_line_of(e.kind), [self._who(e.child_id)])

    def _director(self, e: ChildDirector.Appointed) -> None:
        self.directors[e.originator_id] = e.appointed_on

    def _supervision(self, e: Supervision.Held) -> None:
        bucket = self._bucket(e.contract_id, e.held_on)
        bucket.supervision[e.kind] += 1
        bucket.supervision["director_attendances"] += len(e.director_ids)
        bucket.directors_reached.update(e.director_ids)
        bucket.deliver("director_supervision")

    def _organization(self, e: CommunityOrganization.Nurtured) -> None:
        self.organizations[e.originator_id] = {"nurtured_on": e.nurtured_on, "contract_id": e.contract_id}
        bucket = self._bucket(e.contract_id, e.nurtured_on)
        bucket.organizations["nurtured"] += 1
        bucket.deliver("social_participation")

    def _project_supervision(self, e: ProjectSupervision.Held) -> None:
        """§五.(三).3: the provider's supervision team; supports every line, delivers none."""
        tally = self._bucket(e.contract_id, e.held_on).project_supervision
        tally[e.format] += 1
        tally["staff_attendances"] += e.staff_attending
        tally["minutes"] += e.duration_minutes
        for area in e.focus:
            tally[f"focus:{area}"] += 1

    # Finance ------------------------------------------------------------------
    def _tranche(self, e: ContractFunds.TranchePaid) -> None:
        self.funds[e.originator_id].append(("received", "fiscal", e.amount_fen, e.paid_on, None))

    def _expenditure(self, e: ContractFunds.ExpenditureRecorded) -> None:
        self.funds[e.originator_id].append(("spent", e.fund, e.amount_fen, e.spent_on, e.budget_line))

    def _donation(self, e: ContractFunds.DonationReceived) -> None:
        self.funds[e.originator_id].append(("received", "donation", e.amount_fen, e.received_on, None))

    def _signed(self, e: ContractScope.Signed) -> None:
        self.scopes[e.contract_id] = {
            "service_lines": list(e.service_lines),
            "period_start": e.period_start,
            "period_end": e.period_end,
        }

    # The report ----------------------------------------------------------------
    def report(
        self, contract_id: UUID, year: int, quarter: int, expected_lines: tuple[str, ...] | None = None
    ) -> dict[str, Any]:
        """`expected_lines` None: the signed contract's scope, or all eight if
        casework has not heard of the contract's signing."""
        start, end = quarter_bounds(year, quarter)
        scope = self.scopes.get(contract_id)
        if expected_lines is not None:
            expected_from = "request"
        elif scope is not None:
            expected_lines, expected_from = tuple(scope["service_lines"]), "contract"
        else:
            expected_lines, expected_from = SERVICE_LINES, "default"
        bucket = self.buckets.get((contract_id, year, quarter)) or Bucket()
        registry = self._registry_figures(start, end)
        line_records = Counter(bucket.line_records)
        lines = [
            {
                "line": line,
                "title": LINE_TITLES[line],
                "expected": line in expected_lines,
                "records": line_records[line],
                "attendances": bucket.line_attendances[line],
                "children_reached": len(bucket.line_children.get(line, ())),
                "delivered": line_records[line] > 0,
            }
            for line in SERVICE_LINES
        ]
        return {
            "contract_id": contract_id,
            "year": year,
            "quarter": quarter,
            "period": {"start": start, "end": end},
            "as_of_position": self.position,
            "contract": {
                "signed": scope is not None,
                "period": None if scope is None else {"start": scope["period_start"], "end": scope["period_end"]},
                "expected_lines_from": expected_from,
            },
            "service_lines": lines,
            "gaps": [
                {"line": row["line"], "title": row["title"], "reason": "nothing delivered this quarter"}
                for row in lines
                if row["expected"] and not row["delivered"]
            ],
            "cases": {
                **{k: bucket.cases[k] for k in ("opened", "closed", "sessions", "session_minutes", "reviews")},
                "closed_by_reason": dict(sorted(bucket.closed_by_reason.items())),
                "open_at_end": sum(
                    1
                    for c in self.cases.values()
                    if c["contract_id"] == contract_id
                    and c["opened_on"] <= end
                    and (c["closed_on"] is None or c["closed_on"] > end)
                ),
            },
            "groups": {
                "formed": bucket.groups["formed"],
                "met": len(bucket.groups_met),
                "sessions": bucket.groups["sessions"],
                "attendances": bucket.groups["attendances"],
            },
            "activities": {
                "by_kind": {k: dict(v) for k, v in sorted(bucket.activities.items())},
                "monthly_themes": [{"month": m, "theme": t} for m, t in sorted(bucket.themes)],
                "safety_education_by_topic": {
                    topic: {k: bucket.safety[topic][k] for k in ("sessions", "children", "guardians")}
                    for topic in SAFETY_TOPICS
                },
            },
            "care": {
                "by_kind": {k: dict(v) for k, v in sorted(bucket.care.items())},
                "value_fen": sum(v["value_fen"] for v in bucket.care.values()),
            },
            "directors": {
                "supervisions": bucket.supervision["supervision"],
                "cross_learning": bucket.supervision["cross_learning"],
                "attendances": bucket.supervision["director_attendances"],
                "directors_reached": len(bucket.directors_reached),
                "directors_known": sum(1 for on in self.directors.values() if on <= end),
            },
            "community_organizations": {
                "nurtured_this_quarter": bucket.organizations["nurtured"],
                "nurtured_to_date": sum(
                    1
                    for o in self.organizations.values()
                    if o["contract_id"] == contract_id and o["nurtured_on"] <= end
                ),
                "activities": bucket.organizations["activities"],
            },
            "screening_and_files": {
                "children_reached": len({self._who(c) for c in bucket.line_children.get(SCREENING_LINE, ())}),
                "households_visited": len(bucket.households),
                "visits": bucket.screening["visits"],
                "files_opened": bucket.screening["files_opened"],
            },
            "project_supervision": _project_supervision(bucket.project_supervision),
            "children": self._reach(bucket.reached, end),
            "registry": registry,
            "funds": self._funds(contract_id, start, end),
        }

    def _tier_on(self, child: dict[str, Any], day: date) -> RiskRow | None:
        known: list[RiskRow] = [r for r in child["risk"] if r[0] <= day]
        return max(known, key=lambda r: r[0]) if known else None

    def _reach(self, reached: set[UUID], end: date) -> dict[str, Any]:
        by_category: Counter[str] = Counter()
        by_town: Counter[str] = Counter()
        by_tier: Counter[str] = Counter()
        reached = {self._who(child_id) for child_id in reached}  # files merged since
        for child_id in reached:
            child = self.children.get(child_id)
            if child is None:
                continue
            by_category.update(child["categories"])
            by_town[child["town"]] += 1
            tier = self._tier_on(child, end)
            by_tier[str(tier[1]) if tier else "unassessed"] += 1
        return {
            "reached": len(reached),
            "by_category": dict(sorted(by_category.items())),
            "by_town": dict(sorted(by_town.items())),
            "by_tier": _tiers(by_tier),
        }

    def _registry_figures(self, start: date, end: date) -> dict[str, Any]:
        visits = children_visited = overdue = in_programme = 0
        tiers: Counter[str] = Counter()
        overdue_by_tier: Counter[str] = Counter()
        for child_id, child in self.children.items():
            if child_id in self.aliases or child["enrolled_on"] > end:
                continue
            if child["left_on"] is not None and child["left_on"] <= end:
                continue
            in_programme += 1
            quarter_visits = [d for d in child["visits"] if start <= d <= end]
            visits += len(quarter_visits)
            children_visited += bool(quarter_visits)
            tier = self._tier_on(child, end)
            tiers[str(tier[1]) if tier else "unassessed"] += 1
            if tier is None:
                continue
            assessed_on, level, due = tier
            later_visits = [d for d in child["visits"] if assessed_on <= d <= end]
            if later_visits:
                due = max(due, max(later_visits) + timedelta(days=self.cadence[level]))
            if due < end:
                overdue += 1
                overdue_by_tier[str(level)] += 1
        return {
            "children_in_programme": in_programme,
            "visits": visits,
            "children_visited": children_visited,
            "tiers_at_end": _tiers(tiers),
            "overdue_contacts_at_end": overdue,
            "overdue_by_tier": _tiers(overdue_by_tier),
        }

    def _funds(self, contract_id: UUID, start: date, end: date) -> dict[str, Any]:
        rows = self.funds.get(ContractFunds.create_id(contract_id), [])
        quarter: dict[str, Counter[str]] = {"received": Counter(), "spent": Counter()}
        to_date: dict[str, Counter[str]] = {"received": Counter(), "spent": Counter()}
        by_budget_line: Counter[str] = Counter()
        for direction, fund, amount, day, budget_line in rows:
            if day <= end:
                to_date[direction][fund] += amount
            if start <= day <= end:
                quarter[direction][fund] += amount
                if budget_line is not None:
                    by_budget_line[budget_line] += amount

        def by_fund(counter: Counter[str]) -> dict[str, int]:
            return {**{f: counter[f] for f in FUNDS}, "total": sum(counter[f] for f in FUNDS)}

        return {
            "received_fen": by_fund(quarter["received"]),
            "spent_fen": by_fund(quarter["spent"]),
            "received_to_date_fen": by_fund(to_date["received"]),
            "spent_to_date_fen": by_fund(to_date["spent"]),
            "balance_fen": sum(to_date["received"].values()) - sum(to_date["spent"].values()),
            "spent_by_budget_line_fen": dict(sorted(by_budget_line.items())),
        }


def _project_supervision(tally: Counter[str]) -> dict[str, Any]:
    """卫沙民社函〔2025〕11号 §五.(三).3: the supervision team's consultation and training."""
    return {
        "sessions": sum(tally[f] for f in FORMATS),
        "by_format": {f: tally[f] for f in FORMATS},
        "by_focus": {area: tally[f"focus:{area}"] for area in FOCUS_AREAS},
        "staff_attendances": tally["staff_attendances"],
        "minutes": tally["minutes"],
    }


def _tiers(counter: Counter[str]) -> dict[str, int]:
    return {key: counter[key] for key in ("1", "2", "3", "unassessed")}
