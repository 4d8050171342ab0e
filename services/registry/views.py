"""Read models of the registry, projected from its own log: the children list
(filters, statistics, duplicates less dismissed pairs, overdue contacts), the
standing dismissals and screening coverage.

Rows hold no ID numbers and no mental-health data: lists never show them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date
from difflib import SequenceMatcher
from typing import Any
from uuid import UUID

from services.registry.domain import rules
from services.registry.domain.cadence import contact_due
from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.domain.child import ACTIVE, AGED_OUT, MERGED, TRANSFERRED_OUT, Child
from services.registry.domain.dismissals import DuplicateDismissal
from shared.pagination import keyset_page
from shared.projection import Projection, handles

ROW_FACTS = (
    "name",
    "gender",
    "date_of_birth",
    "town",
    "village",
    "categories",
    "school_status",
    "guardianship_status",
)
LIST_FIELDS = ROW_FACTS + (
    "child_id",
    "status",
    "registered_on",
    "without_household_registration",
    "pending_facts",
    "tier",
    "last_contact_on",
    "visits",
    "help_records",
)


class ChildrenView(Projection):
    """One row per file, the screening campaigns with what their visits found,
    and the dismissed duplicate pairs; each list reads them after a refresh."""

    def __init__(self, app, cadence: Mapping[int, int]):
        super().__init__(app)
        self.cadence = dict(cadence)
        self.reset()

    def reset(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.campaigns: dict[str, dict[str, Any]] = {}
        # dismissal id → the pair found not to be one child (standing or withdrawn)
        self.dismissals: dict[str, dict[str, Any]] = {}
        # (campaign, town, village) → households visited / children found
        self.households: dict[tuple, set] = defaultdict(set)
        self.found: dict[tuple, set] = defaultdict(set)
        # visit id → one home visit (走访记录), read with its child's current row
        self.visit_records: dict[str, dict[str, Any]] = {}

    # -- projecting -------------------------------------------------------------------

    @handles(Child.Registered)
    def _registered(self, e) -> None:
        key = str(e.originator_id)
        row = {field: getattr(e, field) for field in ROW_FACTS}
        row.update(
            child_id=key,
            status=ACTIVE,
            registered_on=e.registered_on,
            has_id_number=e.id_number is not None,
            has_household=e.household is not None,
            distress_reasons=list(e.distress_reasons),
            tier=None,
            assessed_on=None,
            last_contact_on=None,
            last_visitor=None,
            visits=0,
            help_records=0,
        )
        self.rows[key] = row
        if e.campaign_id is not None:
            self.found[(str(e.campaign_id), e.town, e.village)].add(key)

    @handles(Child.Corrected)
    def _corrected(self, e) -> None:
        row = self.rows[str(e.originator_id)]
        if e.field in ROW_FACTS:
            row[e.field] = e.new
        elif e.field == "id_number":
            row["has_id_number"] = e.new is not None
        elif e.field == "household":
            row["has_household"] = e.new is not None
        elif e.field == "distress_reasons":
            row["distress_reasons"] = list(e.new)

    @handles(Child.VisitRecorded)
    def _visit_recorded(self, e) -> None:
        key = str(e.originator_id)
        row = self.rows[key]
        row["visits"] += 1
        if row["last_contact_on"] is None or e.visited_on >= row["last_contact_on"]:
            row["last_contact_on"], row["last_visitor"] = e.visited_on, e.visitor
        self.visit_records[str(e.visit_id)] = {
            "visit_id": str(e.visit_id),
            "child_id": key,
            "visited_on": e.visited_on,
            "visitor": e.visitor,
            "findings": e.findings,
            "follow_up": e.follow_up,
            "household": e.household,
        }
        if e.campaign_id is not None:
            place = (str(e.campaign_id), row["town"], row["village"])
            self.households[place].add(e.household or key)
            self.found[place].add(key)

    @handles(Child.RiskAssessed)
    def _risk_assessed(self, e) -> None:
        self.rows[str(e.originator_id)].update(tier=e.level, assessed_on=e.assessed_on)

    @handles(Child.HelpRecorded)
    def _help_recorded(self, e) -> None:
        self.rows[str(e.originator_id)]["help_records"] += 1

    @handles(Child.MergedInto)
    def _merged_into(self, e) -> None:
        row = self.rows[str(e.originator_id)]
        row["status"] = MERGED
        survivor = self.rows[str(e.survivor_id)]
        if row["last_contact_on"] and (
            survivor["last_contact_on"] is None or row["last_contact_on"] > survivor["last_contact_on"]
        ):
            survivor["last_contact_on"], survivor["last_visitor"] = row["last_contact_on"], row["last_visitor"]

    @handles(Child.LeftBehindEnded)
    def _left_behind_ended(self, e) -> None:
        row = self.rows[str(e.originator_id)]
        row["categories"] = [c for c in row["categories"] if c != "left_behind"]

    @handles(Child.AgedOut)
    def _aged_out(self, e) -> None:
        self.rows[str(e.originator_id)]["status"] = AGED_OUT

    @handles(Child.TransferredOut)
    def _transferred_out(self, e) -> None:
        self.rows[str(e.originator_id)]["status"] = TRANSFERRED_OUT

    @handles(DuplicateDismissal.Dismissed)
    def _dismissed(self, e) -> None:
        key = str(e.originator_id)
        self.dismissals[key] = {
            "dismissal_id": key,
            "first_id": str(e.first_id),
            "second_id": str(e.second_id),
            "reason": e.reason,
            "dismissed_on": e.dismissed_on,
            "standing": True,
        }

    @handles(DuplicateDismissal.Redismissed)
    def _redismissed(self, e) -> None:
        self.dismissals[str(e.originator_id)].update(reason=e.reason, dismissed_on=e.dismissed_on, standing=True)

    @handles(DuplicateDismissal.Withdrawn)
    def _withdrawn(self, e) -> None:
        self.dismissals[str(e.originator_id)]["standing"] = False

    @handles(ScreeningCampaign.Planned)
    def _planned(self, e) -> None:
        key = str(e.originator_id)
        self.campaigns[key] = {
            "campaign_id": key,
            "name": e.name,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "targets": e.targets,
            "planned_on": e.planned_on,
            "contract_id": e.contract_id,
        }

    # -- reading ----------------------------------------------------------------------

    @staticmethod
    def _listed(row: dict[str, Any]) -> dict[str, Any]:
        out = {field: row[field] for field in LIST_FIELDS if field in row}
        out["without_household_registration"] = not row["has_id_number"]
        out["pending_facts"] = rules.pending_facts(
            {
                "categories": row["categories"],
                "distress_reasons": row["distress_reasons"],
                "household": {} if row["has_household"] else None,
            }
        )
        return out

    def list_children(
        self,
        *,
        limit: int,
        cursor: str | None,
        town: str | None = None,
        village: str | None = None,
        category: str | None = None,
        tier: int | None = None,
        guardianship_status: str | None = None,
        status: str | None = ACTIVE,
        q: str | None = None,
    ) -> dict[str, Any]:
        self.refresh()
        needle = q.casefold() if q else None
        rows = [
            r
            for r in self.rows.values()
            if (status is None or r["status"] == status)
            and (town is None or r["town"] == town)
            and (village is None or r["village"] == village)
            and (category is None or category in r["categories"])
            and (tier is None or r["tier"] == tier)
            and (guardianship_status is None or r["guardianship_status"] == guardianship_status)
            and (needle is None or needle in r["name"].casefold())
        ]
        found = keyset_page(rows, lambda r: (r["child_id"],), limit, cursor)
        found["items"] = [self._listed(r) for r in found["items"]]
        return found

    def list_visits(
        self,
        *,
        limit: int,
        cursor: str | None,
        town: str | None = None,
        village: str | None = None,
        visited_from: date | None = None,
        visited_to: date | None = None,
    ) -> dict[str, Any]:
        """Home visits (走访记录, 卫沙民社函〔2025〕11号 §三), oldest first, placed
        by where the child's file stands now (so a village's director sees
        the visits of the children now in their village)."""
        self.refresh()
        rows = []
        for v in self.visit_records.values():
            child = self.rows[v["child_id"]]
            if (town and child["town"] != town) or (village and child["village"] != village):
                continue
            if (visited_from and v["visited_on"] < visited_from) or (visited_to and v["visited_on"] > visited_to):
                continue
            rows.append({**v, "name": child["name"], "town": child["town"], "village": child["village"]})
        return keyset_page(rows, lambda v: (str(v["visited_on"]), v["visit_id"]), limit, cursor)

    def statistics(self) -> dict[str, Any]:
        self.refresh()
        active = [r for r in self.rows.values() if r["status"] == ACTIVE]
        by_category: Counter = Counter(c for r in active for c in r["categories"])
        return {
            "active": len(active),
            "closed": len(self.rows) - len(active),
            "by_town": dict(Counter(r["town"] for r in active)),
            "by_category": dict(by_category),
            "by_guardianship_status": dict(Counter(r["guardianship_status"] or "unknown" for r in active)),
            "by_tier": dict(Counter(str(r["tier"]) if r["tier"] else "unassessed" for r in active)),
        }

    def due_for_time_rules(self, today: date) -> list[str]:
        """Active files the daily job must look at: left-behind children who have
        turned 16 and children who have turned 18."""
        self.refresh()
        return sorted(
            key
            for key, r in self.rows.items()
            if r["status"] == ACTIVE
            and (
                rules.has_aged_out(r["date_of_birth"], today)
                or rules.left_behind_has_ended(r["date_of_birth"], r["categories"], today)
            )
        )

    def overdue_contacts(
        self,
        *,
        today: date,
        limit: int,
        cursor: str | None,
        town: str | None = None,
        village: str | None = None,
        tier: int | None = None,
    ) -> dict[str, Any]:
        self.refresh()
        overdue = []
        for r in self.rows.values():
            if r["status"] != ACTIVE or r["tier"] is None:
                continue
            if (town and r["town"] != town) or (village and r["village"] != village) or (tier and r["tier"] != tier):
                continue
            due = contact_due(r["last_contact_on"], r["assessed_on"], self.cadence[r["tier"]])
            if due < today:
                overdue.append(
                    {
                        "child_id": r["child_id"],
                        "name": r["name"],
                        "town": r["town"],
                        "village": r["village"],
                        "tier": r["tier"],
                        "cadence_days": self.cadence[r["tier"]],
                        "last_contact_on": r["last_contact_on"],
                        "last_visitor": r["last_visitor"],
                        "due_on": due,
                        "days_overdue": (today - due).days,
                    }
                )
        return keyset_page(overdue, lambda o: (-o["days_overdue"], o["child_id"]), limit, cursor)

    def contacts_due(self, *, town: str | None = None, village: str | None = None) -> list[dict[str, Any]]:
        """Every assessed file in a town/village (or all), with when its next
        contact falls due by its tier's cadence and the file's status: the
        reminders (GET /me/tasks) drop the ones no longer in the programme."""
        self.refresh()
        return [
            {
                "child_id": r["child_id"],
                "name": r["name"],
                "town": r["town"],
                "village": r["village"],
                "status": r["status"],
                "tier": r["tier"],
                "due_on": contact_due(r["last_contact_on"], r["assessed_on"], self.cadence[r["tier"]]),
            }
            for r in self.rows.values()
            if r["tier"] is not None
            and (town is None or r["town"] == town)
            and (village is None or r["village"] == village)
        ]

    def duplicates(self, *, min_score: float, limit: int, cursor: str | None) -> dict[str, Any]:
        """Candidate pairs: same date of birth and village, similar names. Two
        files with ID numbers are never candidates (the numbers differ, or
        intake would have refused the second), nor is a pair standing dismissed
        as not the same child."""
        self.refresh()
        dismissed = {frozenset((d["first_id"], d["second_id"])) for d in self.dismissals.values() if d["standing"]}
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for r in self.rows.values():
            if r["status"] == ACTIVE:
                groups[(r["date_of_birth"], r["town"], r["village"])].append(r)
        pairs = []
        for group in groups.values():
            group.sort(key=lambda r: r["child_id"])
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    if a["has_id_number"] and b["has_id_number"]:
                        continue
                    if frozenset((a["child_id"], b["child_id"])) in dismissed:
                        continue
                    score = round(SequenceMatcher(None, a["name"], b["name"]).ratio(), 2)
                    if score >= min_score:
                        pairs.append({"score": score, "first": self._listed(a), "second": self._listed(b)})
        return keyset_page(
            pairs,
            lambda p: (-p["score"], p["first"]["child_id"], p["second"]["child_id"]),
            limit,
            cursor,
        )

    def list_dismissals(self, *, limit: int, cursor: str | None) -> dict[str, Any]:
        """Standing dismissals, oldest first, each with both files' list rows."""
        self.refresh()
        found = keyset_page(
            [d for d in self.dismissals.values() if d["standing"]],
            lambda d: (d["dismissed_on"].isoformat(), d["dismissal_id"]),
            limit,
            cursor,
        )
        found["items"] = [
            {
                "dismissal_id": d["dismissal_id"],
                "reason": d["reason"],
                "dismissed_on": d["dismissed_on"],
                "first": self._listed(self.rows[d["first_id"]]),
                "second": self._listed(self.rows[d["second_id"]]),
            }
            for d in found["items"]
        ]
        return found

    def list_campaigns(self, *, limit: int, cursor: str | None, contract_id: UUID | None = None) -> dict[str, Any]:
        self.refresh()
        campaigns = self.campaigns.values()
        if contract_id is not None:
            campaigns = [c for c in campaigns if c["contract_id"] and str(c["contract_id"]) == str(contract_id)]
        return keyset_page(
            campaigns,
            lambda c: (c["starts_on"].isoformat(), c["campaign_id"]),
            limit,
            cursor,
        )

    def coverage(self, campaign_id: UUID) -> dict[str, Any] | None:
        self.refresh()
        campaign = self.campaigns.get(str(campaign_id))
        if campaign is None:
            return None
        villages = []
        for t in campaign["targets"]:
            place = (campaign["campaign_id"], t["town"], t["village"])
            visited = len(self.households.get(place, ()))
            villages.append(
                {
                    "town": t["town"],
                    "village": t["village"],
                    "target_households": t["households"],
                    "visited_households": visited,
                    "coverage_percent": round(100 * visited / t["households"], 1),
                    "children_found": len(self.found.get(place, ())),
                }
            )
        target = sum(v["target_households"] for v in villages)
        visited = sum(min(v["visited_households"], v["target_households"]) for v in villages)
        return {
            "campaign_id": campaign["campaign_id"],
            "name": campaign["name"],
            "contract_id": campaign.get("contract_id"),
            "villages": villages,
            "target_households": target,
            "visited_households": visited,
            "coverage_percent": round(100 * visited / target, 1) if target else 0.0,
            "children_found": sum(v["children_found"] for v in villages),
        }
