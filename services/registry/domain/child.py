"""The child file (一人一档): one aggregate per child. Standard library and
eventsourcing.domain only.

Every change to a file is an event; nothing is overwritten. Decorated methods
are deterministic: ids and dates are made by the caller, and every check runs
before the event is triggered."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from eventsourcing.domain import Aggregate, event

from services.registry.domain import rules
from services.registry.domain.errors import InvalidChild
from shared.errors import refuse
from shared.vocabulary import RISK_LEVELS

ACTIVE, AGED_OUT, TRANSFERRED_OUT, MERGED = "active", "aged_out", "transferred_out", "merged"
STATUSES = (ACTIVE, AGED_OUT, TRANSFERRED_OUT, MERGED)

# The facts of a file, each correctable. Public ones may travel in integration
# events; the others (identity number, family, health) never leave the registry.
PUBLIC_FIELDS = (
    "name",
    "gender",
    "date_of_birth",
    "town",
    "village",
    "categories",
    "school",
    "school_status",
    "guardianship_status",
)
PRIVATE_FIELDS = ("id_number", "household", "guardian", "mental_health", "distress_reasons")
FACT_FIELDS = PUBLIC_FIELDS + PRIVATE_FIELDS
OPTIONAL_FACTS: dict[str, Any] = {
    "id_number": None,
    "school": None,
    "school_status": None,
    "household": None,
    "guardian": None,
    "guardianship_status": None,
    "mental_health": None,
    "distress_reasons": [],
}


class Child(Aggregate):
    if TYPE_CHECKING:
        # Defined when the class is made, by @event("LeftBehindEnded") and
        # @event("AgedOut") below; declared for the type checker only.
        LeftBehindEnded: ClassVar[type[Aggregate.Event]]
        AgedOut: ClassVar[type[Aggregate.Event]]

    class Registered(Aggregate.Created):
        """v3: the contract the file was opened under (line 1, 摸底走访建档,
        卫沙民社函〔2025〕11号 §三.(四).1) and the day the child was found, when a
        paper form is typed in later (§五.(三))."""

        class_version = 3
        name: str
        gender: str
        date_of_birth: date
        id_number: str | None
        town: str
        village: str
        categories: list[str]
        registered_on: date
        school: str | None
        school_status: str | None
        household: dict[str, Any] | None
        guardian: dict[str, Any] | None
        guardianship_status: str | None
        mental_health: dict[str, Any] | None
        distress_reasons: list[str]
        campaign_id: uuid.UUID | None
        contract_id: uuid.UUID | None
        found_on: date | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Files opened before the full file existed had identity and place only.
            for field, default in {**OPTIONAL_FACTS, "campaign_id": None}.items():
                state.setdefault(field, default)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Opened before line 1 was a contract's work; found the day it was opened.
            state["contract_id"] = None
            state["found_on"] = None

    @event(Registered)
    def __init__(
        self,
        name: str,
        gender: str,
        date_of_birth: date,
        id_number: str | None,
        town: str,
        village: str,
        categories: list[str],
        registered_on: date,
        school: str | None,
        school_status: str | None,
        household: dict[str, Any] | None,
        guardian: dict[str, Any] | None,
        guardianship_status: str | None,
        mental_health: dict[str, Any] | None,
        distress_reasons: list[str],
        campaign_id: uuid.UUID | None,
        contract_id: uuid.UUID | None = None,
        found_on: date | None = None,
    ):
        self.name = name
        self.gender = gender
        self.date_of_birth = date_of_birth
        self.id_number = id_number
        self.town = town
        self.village = village
        self.categories = list(categories)
        self.registered_on = registered_on
        self.school = school
        self.school_status = school_status
        self.household = household
        self.guardian = guardian
        self.guardianship_status = guardianship_status
        self.mental_health = mental_health
        self.distress_reasons = list(distress_reasons)
        self.campaign_id = campaign_id
        self.contract_id = contract_id
        self.found_on = found_on or registered_on
        self.status = ACTIVE
        self.closed_on: date | None = None
        self.merged_into: uuid.UUID | None = None
        self.transferred_to: str | None = None
        self.risk: dict[str, Any] | None = None
        self.visits: list[dict[str, Any]] = []
        self.help_records: list[dict[str, Any]] = []
        self.absorbed: list[uuid.UUID] = []

    @classmethod
    def register(
        cls,
        *,
        today: date,
        places: Mapping[str, frozenset[str]],
        campaign_id: uuid.UUID | None = None,
        contract_id: uuid.UUID | None = None,
        found_on: date | None = None,
        **details: Any,
    ) -> Child:
        """`found_on`: the day the child was found, when a paper form is typed in
        later (default today); not in the future, not before the child's birth."""
        facts = {**OPTIONAL_FACTS, **details}
        problems = rules.file_problems(facts, today=today, registered_on=today, places=places)
        for fact, reasons in rules.intake_problems(facts).items():
            problems.setdefault(fact, []).extend(reasons)
        if found_on is not None:
            if found_on > today:
                problems.setdefault("found_on", []).append(f"is in the future (today is {today})")
            elif isinstance(facts.get("date_of_birth"), date) and found_on < facts["date_of_birth"]:
                problems.setdefault("found_on", []).append("is before the child's date of birth")
        if problems:
            raise InvalidChild(problems)
        return cls(registered_on=today, campaign_id=campaign_id, contract_id=contract_id, found_on=found_on, **facts)

    # -- reading -----------------------------------------------------------------

    def facts(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in FACT_FIELDS}

    @property
    def without_household_registration(self) -> bool:
        return self.id_number is None

    @property
    def pending_facts(self) -> list[str]:
        return rules.pending_facts(self.facts())

    @property
    def last_contact(self) -> dict[str, Any] | None:
        return max(self.visits, key=lambda v: v["visited_on"], default=None)

    def require_active(self) -> None:
        if self.status == MERGED:
            refuse("child_id", f"the file was merged into {self.merged_into}; record on that file", error=InvalidChild)
        if self.status != ACTIVE:
            refuse("child_id", f"the file is closed ({self.status}); nothing more can be recorded", error=InvalidChild)

    # -- corrections ---------------------------------------------------------------

    def correct(
        self,
        *,
        field: str,
        value: Any,
        reason: str,
        today: date,
        places: Mapping[str, frozenset[str]],
    ) -> None:
        if self.status == MERGED:
            refuse("child_id", "the file was merged into another; correct the surviving file", error=InvalidChild)
        if field not in FACT_FIELDS:
            refuse("field", f"must be one of {', '.join(FACT_FIELDS)}", error=InvalidChild)
        if not reason.strip():
            refuse("reason", "a correction needs a reason", error=InvalidChild)
        old = getattr(self, field)
        if value == old:
            refuse("value", "is the same as the current value", error=InvalidChild)
        before = rules.file_problems(self.facts(), today=today, registered_on=self.registered_on, places=places)
        after = rules.file_problems(
            {**self.facts(), field: value},
            today=today,
            registered_on=self.registered_on,
            places=places,
        )
        introduced = {name: [r for r in reasons if r not in before.get(name, [])] for name, reasons in after.items()}
        introduced = {name: reasons for name, reasons in introduced.items() if reasons}
        if introduced:
            raise InvalidChild(introduced)
        self._corrected(field=field, old=old, new=value, reason=reason, corrected_on=today)

    @event("Corrected")
    def _corrected(self, field: str, old: Any, new: Any, reason: str, corrected_on: date) -> None:
        setattr(self, field, new)

    # -- visits, risk, help ----------------------------------------------------------

    def record_visit(
        self,
        *,
        visit_id: uuid.UUID,
        visited_on: date,
        visitor: str,
        findings: str,
        follow_up: str | None,
        campaign_id: uuid.UUID | None,
        household: str | None,
        today: date,
        contract_id: uuid.UUID | None = None,
    ) -> None:
        """A visit on its own day (a paper form typed in later keeps it): not in
        the future, not before the child's birth; `contract_id` the contract
        it was made under (line 1, §三.(四).1), None for the bureau's or a director's."""
        self.require_active()
        if visited_on > today:
            refuse("visited_on", "is in the future", error=InvalidChild)
        if visited_on < self.date_of_birth:
            refuse("visited_on", "is before the child's date of birth", error=InvalidChild)
        self._visit_recorded(
            visit_id=visit_id,
            visited_on=visited_on,
            visitor=visitor,
            findings=findings,
            follow_up=follow_up,
            campaign_id=campaign_id,
            household=household,
            contract_id=contract_id,
        )

    class VisitRecorded(Aggregate.Event):
        """v2: the contract the visit was made under (v1: none)."""

        class_version = 2
        visit_id: uuid.UUID
        visited_on: date
        visitor: str
        findings: str
        follow_up: str | None
        campaign_id: uuid.UUID | None
        household: str | None
        contract_id: uuid.UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["contract_id"] = None

    @event(VisitRecorded)
    def _visit_recorded(
        self,
        visit_id: uuid.UUID,
        visited_on: date,
        visitor: str,
        findings: str,
        follow_up: str | None,
        campaign_id: uuid.UUID | None,
        household: str | None,
        contract_id: uuid.UUID | None,
    ) -> None:
        self.visits.append(
            {
                "visit_id": visit_id,
                "visited_on": visited_on,
                "visitor": visitor,
                "findings": findings,
                "follow_up": follow_up,
                "campaign_id": campaign_id,
                "household": household,
                "contract_id": contract_id,
            }
        )

    def assess_risk(
        self,
        *,
        level: int,
        reasons: list[str],
        assessed_on: date,
        next_contact_due: date,
        today: date,
    ) -> None:
        self.require_active()
        if level not in RISK_LEVELS:
            refuse("level", "must be 1 (high), 2 or 3", error=InvalidChild)
        if not [r for r in reasons if r.strip()]:
            refuse("reasons", "an assessment needs at least one reason", error=InvalidChild)
        if assessed_on > today:
            refuse("assessed_on", "is in the future", error=InvalidChild)
        if assessed_on < self.date_of_birth:
            refuse("assessed_on", "is before the child's date of birth", error=InvalidChild)
        if self.risk is not None and assessed_on < self.risk["assessed_on"]:
            refuse("assessed_on", "is earlier than the current assessment", error=InvalidChild)
        self._risk_assessed(
            level=level,
            reasons=list(reasons),
            assessed_on=assessed_on,
            next_contact_due=next_contact_due,
        )

    @event("RiskAssessed")
    def _risk_assessed(self, level: int, reasons: list[str], assessed_on: date, next_contact_due: date) -> None:
        self.risk = {
            "level": level,
            "reasons": reasons,
            "assessed_on": assessed_on,
            "next_contact_due": next_contact_due,
        }

    @event("HelpRecorded")
    def record_help(self, record: dict[str, Any]) -> None:
        """A service casework reports (关爱帮扶记录); recorded on closed files too,
        because the file is the child's whole history."""
        self.help_records.append(record)

    # -- closing and merging ------------------------------------------------------------

    def merge_into(self, *, survivor: Child, reason: str, today: date) -> None:
        if survivor.id == self.id:
            refuse("merged_id", "a file cannot be merged into itself", error=InvalidChild)
        for role, child in (("survivor_id", survivor), ("merged_id", self)):
            if child.status != ACTIVE:
                refuse(role, f"the file is not active ({child.status})", error=InvalidChild)
        if self.id_number and survivor.id_number and self.id_number != survivor.id_number:
            refuse(
                "merged_id", "the two files have different ID numbers: they are different children", error=InvalidChild
            )
        if not reason.strip():
            refuse("reason", "a merge needs a reason", error=InvalidChild)
        self._merged_into(survivor_id=survivor.id, reason=reason, merged_on=today)
        survivor._absorbed(merged_id=self.id, merged_on=today)

    @event("MergedInto")
    def _merged_into(self, survivor_id: uuid.UUID, reason: str, merged_on: date) -> None:
        self.status = MERGED
        self.merged_into = survivor_id
        self.closed_on = merged_on

    @event("Absorbed")
    def _absorbed(self, merged_id: uuid.UUID, merged_on: date) -> None:
        self.absorbed.append(merged_id)

    def transfer_out(self, *, destination: str, reason: str, transferred_on: date, today: date) -> None:
        self.require_active()
        if not destination.strip():
            refuse("destination", "name where the child moved to", error=InvalidChild)
        if transferred_on > today:
            refuse("transferred_on", "is in the future", error=InvalidChild)
        if transferred_on < self.registered_on:
            refuse("transferred_on", "is before the file was opened", error=InvalidChild)
        self._transferred_out(destination=destination, reason=reason, transferred_on=transferred_on)

    @event("TransferredOut")
    def _transferred_out(self, destination: str, reason: str, transferred_on: date) -> None:
        self.status = TRANSFERRED_OUT
        self.transferred_to = destination
        self.closed_on = transferred_on

    # -- time-driven ----------------------------------------------------------------------

    def pass_time(self, today: date) -> None:
        """The daily rules: left-behind status ends at 16, the file closes at 18.
        Triggers nothing when neither is due, so running it twice is harmless."""
        if self.status != ACTIVE:
            return
        if rules.left_behind_has_ended(self.date_of_birth, self.categories, today):
            self._left_behind_ended(ended_on=rules.birthday(self.date_of_birth, rules.LEFT_BEHIND_AGE))
        if rules.has_aged_out(self.date_of_birth, today):
            self._aged_out(aged_out_on=rules.birthday(self.date_of_birth, rules.ADULT_AGE))

    @event("LeftBehindEnded")
    def _left_behind_ended(self, ended_on: date) -> None:
        self.categories = [c for c in self.categories if c != "left_behind"]

    @event("AgedOut")
    def _aged_out(self, aged_out_on: date) -> None:
        self.status = AGED_OUT
        self.closed_on = aged_out_on
