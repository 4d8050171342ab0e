"""The child file (一人一档), dismissed duplicate candidates and screening
campaigns (摸底排查). Standard library
and eventsourcing.domain only.

Every change to a file is an event; nothing is overwritten. Decorated methods
are deterministic: ids and dates are made by the caller, and every check runs
before the event is triggered."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Mapping

from eventsourcing.domain import Aggregate, event

from services.registry import rules
from services.registry.exceptions import (
    DismissalNotFound, InvalidCampaign, InvalidChild, InvalidDismissal, PairAlreadyDismissed,
)
from services.registry.rules import CATEGORIES, GENDERS, age_on  # noqa: F401 - public names

ID_NUMBER_NAMESPACE = uuid.UUID("3b0e8f5c-5a36-4d1b-8d7e-0b5b8d2f1c44")
DISMISSAL_NAMESPACE = uuid.UUID("9d3c2a71-64f0-4b8e-a5d2-7c1e0f4b6a93")
ACTIVE, AGED_OUT, TRANSFERRED_OUT, MERGED = "active", "aged_out", "transferred_out", "merged"

# The facts of a file, each correctable. Public ones may travel in integration
# events; the others (identity number, family, health) never leave the registry.
PUBLIC_FIELDS = (
    "name", "gender", "date_of_birth", "town", "village", "categories",
    "school", "school_status", "guardianship_status",
)
PRIVATE_FIELDS = ("id_number", "household", "guardian", "mental_health", "distress_reasons")
FACT_FIELDS = PUBLIC_FIELDS + PRIVATE_FIELDS
OPTIONAL_FACTS = {
    "id_number": None, "school": None, "school_status": None, "household": None,
    "guardian": None, "guardianship_status": None, "mental_health": None,
    "distress_reasons": [],
}


def refuse(field: str, reason: str) -> None:
    raise InvalidChild({field: [reason]})


class Child(Aggregate):
    class Registered(Aggregate.Created):
        class_version = 2
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
        household: dict | None
        guardian: dict | None
        guardianship_status: str | None
        mental_health: dict | None
        distress_reasons: list[str]
        campaign_id: uuid.UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            # Files opened before the full file existed had identity and place only.
            for field, default in {**OPTIONAL_FACTS, "campaign_id": None}.items():
                state.setdefault(field, default)

    @event(Registered)
    def __init__(
        self, name: str, gender: str, date_of_birth: date, id_number: str | None,
        town: str, village: str, categories: list[str], registered_on: date,
        school: str | None, school_status: str | None, household: dict | None,
        guardian: dict | None, guardianship_status: str | None,
        mental_health: dict | None, distress_reasons: list[str],
        campaign_id: uuid.UUID | None,
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
        self.status = ACTIVE
        self.closed_on: date | None = None
        self.merged_into: uuid.UUID | None = None
        self.transferred_to: str | None = None
        self.risk: dict | None = None
        self.visits: list[dict] = []
        self.help_records: list[dict] = []
        self.absorbed: list[uuid.UUID] = []

    @classmethod
    def register(
        cls, *, today: date, places: Mapping[str, frozenset[str]],
        campaign_id: uuid.UUID | None = None, **details: Any,
    ) -> "Child":
        facts = {**OPTIONAL_FACTS, **details}
        problems = rules.file_problems(facts, today=today, registered_on=today, places=places)
        for fact, reasons in rules.intake_problems(facts).items():
            problems.setdefault(fact, []).extend(reasons)
        if problems:
            raise InvalidChild(problems)
        return cls(registered_on=today, campaign_id=campaign_id, **facts)

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
    def last_contact(self) -> dict | None:
        return max(self.visits, key=lambda v: v["visited_on"], default=None)

    def require_active(self) -> None:
        if self.status == MERGED:
            refuse("child_id", f"the file was merged into {self.merged_into}; record on that file")
        if self.status != ACTIVE:
            refuse("child_id", f"the file is closed ({self.status}); nothing more can be recorded")

    # -- corrections ---------------------------------------------------------------

    def correct(
        self, *, field: str, value: Any, reason: str, today: date,
        places: Mapping[str, frozenset[str]],
    ) -> None:
        if self.status == MERGED:
            refuse("child_id", "the file was merged into another; correct the surviving file")
        if field not in FACT_FIELDS:
            refuse("field", f"must be one of {', '.join(FACT_FIELDS)}")
        if not reason.strip():
            refuse("reason", "a correction needs a reason")
        old = getattr(self, field)
        if value == old:
            refuse("value", "is the same as the current value")
        before = rules.file_problems(self.facts(), today=today, registered_on=self.registered_on, places=places)
        after = rules.file_problems(
            {**self.facts(), field: value}, today=today, registered_on=self.registered_on, places=places,
        )
        introduced = {
            name: [r for r in reasons if r not in before.get(name, [])]
            for name, reasons in after.items()
        }
        introduced = {name: reasons for name, reasons in introduced.items() if reasons}
        if introduced:
            raise InvalidChild(introduced)
        self._corrected(field=field, old=old, new=value, reason=reason, corrected_on=today)

    @event("Corrected")
    def _corrected(self, field: str, old: Any, new: Any, reason: str, corrected_on: date) -> None:
        setattr(self, field, new)

    # -- visits, risk, help ----------------------------------------------------------

    def record_visit(
        self, *, visit_id: uuid.UUID, visited_on: date, visitor: str, findings: str,
        follow_up: str | None, campaign_id: uuid.UUID | None, household: str | None, today: date,
    ) -> None:
        self.require_active()
        if visited_on > today:
            refuse("visited_on", "is in the future")
        if visited_on < self.date_of_birth:
            refuse("visited_on", "is before the child's date of birth")
        self._visit_recorded(
            visit_id=visit_id, visited_on=visited_on, visitor=visitor, findings=findings,
            follow_up=follow_up, campaign_id=campaign_id, household=household,
        )

    @event("VisitRecorded")
    def _visit_recorded(
        self, visit_id: uuid.UUID, visited_on: date, visitor: str, findings: str,
        follow_up: str | None, campaign_id: uuid.UUID | None, household: str | None,
    ) -> None:
        self.visits.append({
            "visit_id": visit_id, "visited_on": visited_on, "visitor": visitor,
            "findings": findings, "follow_up": follow_up, "campaign_id": campaign_id,
            "household": household,
        })

    def assess_risk(
        self, *, level: int, reasons: list[str], assessed_on: date, next_contact_due: date, today: date,
    ) -> None:
        self.require_active()
        if level not in (1, 2, 3):
            refuse("level", "must be 1 (high), 2 or 3")
        if not [r for r in reasons if r.strip()]:
            refuse("reasons", "an assessment needs at least one reason")
        if assessed_on > today:
            refuse("assessed_on", "is in the future")
        if assessed_on < self.date_of_birth:
            refuse("assessed_on", "is before the child's date of birth")
        if self.risk is not None and assessed_on < self.risk["assessed_on"]:
            refuse("assessed_on", "is earlier than the current assessment")
        self._risk_assessed(
            level=level, reasons=list(reasons), assessed_on=assessed_on, next_contact_due=next_contact_due,
        )

    @event("RiskAssessed")
    def _risk_assessed(self, level: int, reasons: list[str], assessed_on: date, next_contact_due: date) -> None:
        self.risk = {
            "level": level, "reasons": reasons, "assessed_on": assessed_on,
            "next_contact_due": next_contact_due,
        }

    @event("HelpRecorded")
    def record_help(self, record: dict) -> None:
        """A service casework reports (关爱帮扶记录); recorded on closed files too,
        because the file is the child's whole history."""
        self.help_records.append(record)

    # -- closing and merging ------------------------------------------------------------

    def merge_into(self, *, survivor: "Child", reason: str, today: date) -> None:
        if survivor.id == self.id:
            refuse("merged_id", "a file cannot be merged into itself")
        for role, child in (("survivor_id", survivor), ("merged_id", self)):
            if child.status != ACTIVE:
                refuse(role, f"the file is not active ({child.status})")
        if self.id_number and survivor.id_number and self.id_number != survivor.id_number:
            refuse("merged_id", "the two files have different ID numbers: they are different children")
        if not reason.strip():
            refuse("reason", "a merge needs a reason")
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
            refuse("destination", "name where the child moved to")
        if transferred_on > today:
            refuse("transferred_on", "is in the future")
        if transferred_on < self.registered_on:
            refuse("transferred_on", "is before the file was opened")
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
        if "left_behind" in self.categories and age_on(self.date_of_birth, today) >= rules.LEFT_BEHIND_AGE:
            self._left_behind_ended(ended_on=rules.birthday(self.date_of_birth, rules.LEFT_BEHIND_AGE))
        if age_on(self.date_of_birth, today) >= rules.ADULT_AGE:
            self._aged_out(aged_out_on=rules.birthday(self.date_of_birth, rules.ADULT_AGE))

    @event("LeftBehindEnded")
    def _left_behind_ended(self, ended_on: date) -> None:
        self.categories = [c for c in self.categories if c != "left_behind"]

    @event("AgedOut")
    def _aged_out(self, aged_out_on: date) -> None:
        self.status = AGED_OUT
        self.closed_on = aged_out_on


class IdNumberClaim(Aggregate):
    """One per ID number; saving two claims for one number fails atomically,
    which is what makes ID numbers unique across concurrent registrations.
    A correction away from a number releases it."""

    @staticmethod
    def create_id(id_number: str) -> uuid.UUID:
        return uuid.uuid5(ID_NUMBER_NAMESPACE, id_number)

    @event("Claimed")
    def __init__(self, id_number: str, child_id: uuid.UUID):
        self.child_id: uuid.UUID | None = child_id

    @event("Released")
    def release(self) -> None:
        self.child_id = None

    @event("Reclaimed")
    def reclaim(self, child_id: uuid.UUID) -> None:
        self.child_id = child_id


class DuplicateDismissal(Aggregate):
    """A reviewer's finding that two candidate duplicate files are NOT the same
    child, with the reason; who and when are the metadata stamped on the event.
    It holds until withdrawn, and a withdrawn pair may be dismissed again.

    One aggregate per unordered pair, its id derived from the two file ids (as
    IdNumberClaim's is from the number): two dismissals of one pair both create
    version 1 of the same aggregate, so the second fails atomically on save, and
    dismissing, withdrawing and dismissing again form one history. Not state on
    the Child aggregates: the finding is about the pair, not either file, and
    keeping it there would mean two events for one decision, saved together and
    racing every visit or correction of either file."""

    @staticmethod
    def create_id(first_id: uuid.UUID, second_id: uuid.UUID) -> uuid.UUID:
        low, high = sorted((str(first_id), str(second_id)))
        return uuid.uuid5(DISMISSAL_NAMESPACE, f"{low} {high}")

    class Dismissed(Aggregate.Created):
        first_id: uuid.UUID
        second_id: uuid.UUID
        reason: str
        dismissed_on: date

    @event(Dismissed)
    def __init__(self, first_id: uuid.UUID, second_id: uuid.UUID, reason: str, dismissed_on: date):
        self.first_id = first_id
        self.second_id = second_id
        self.reason = reason
        self.dismissed_on = dismissed_on
        self.standing = True
        self.withdrawn_on: date | None = None

    @staticmethod
    def _check(first: Child, second: Child, reason: str) -> None:
        if first.id == second.id:
            raise InvalidDismissal({"second_id": ["is the same file as first_id; name two different files"]})
        for field, child in (("first_id", first), ("second_id", second)):
            if child.status == MERGED:
                raise InvalidDismissal({field: [f"the file was merged into {child.merged_into}"]})
            if child.status != ACTIVE:
                raise InvalidDismissal({field: [f"the file is not active ({child.status})"]})
        if not reason.strip():
            raise InvalidDismissal({"reason": ["a dismissal needs a reason"]})

    @classmethod
    def dismiss(cls, *, first: Child, second: Child, reason: str, today: date) -> "DuplicateDismissal":
        cls._check(first, second, reason)
        return cls(first_id=first.id, second_id=second.id, reason=reason, dismissed_on=today)

    def dismiss_again(self, *, first: Child, second: Child, reason: str, today: date) -> None:
        """After a withdrawal, the same pair may be found not to match again."""
        self._check(first, second, reason)
        if self.standing:
            raise PairAlreadyDismissed(self.id)
        self._redismissed(reason=reason, dismissed_on=today)

    @event("Redismissed")
    def _redismissed(self, reason: str, dismissed_on: date) -> None:
        self.reason = reason
        self.dismissed_on = dismissed_on
        self.standing = True
        self.withdrawn_on = None

    def withdraw(self, *, reason: str, today: date) -> None:
        if not self.standing:
            raise DismissalNotFound(self.id)
        if not reason.strip():
            raise InvalidDismissal({"reason": ["a withdrawal needs a reason"]})
        self._withdrawn(reason=reason, withdrawn_on=today)

    @event("Withdrawn")
    def _withdrawn(self, reason: str, withdrawn_on: date) -> None:
        self.standing = False
        self.withdrawn_on = withdrawn_on


class ScreeningCampaign(Aggregate):
    """A full-coverage screening round (摸底排查) over target villages, each
    with the number of households to visit."""

    @event("Planned")
    def __init__(self, name: str, starts_on: date, ends_on: date, targets: list[dict], planned_on: date):
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.targets = targets
        self.planned_on = planned_on

    @classmethod
    def plan(
        cls, *, name: str, starts_on: date, ends_on: date, targets: list[dict],
        today: date, places: Mapping[str, frozenset[str]],
    ) -> "ScreeningCampaign":
        problems: dict[str, list[str]] = {}
        if ends_on < starts_on:
            problems["ends_on"] = ["is before starts_on"]
        if not targets:
            problems["targets"] = ["name at least one target village"]
        seen = set()
        for i, target in enumerate(targets):
            place = (target["town"], target["village"])
            for field, reasons in rules.place_list.problems(places, *place).items():
                problems.setdefault(f"targets.{i}.{field}", []).extend(reasons)
            if place in seen:
                problems.setdefault(f"targets.{i}", []).append("names a village twice")
            seen.add(place)
            if target["households"] < 1:
                problems.setdefault(f"targets.{i}.households", []).append("must be at least 1")
        if problems:
            raise InvalidCampaign(problems)
        return cls(name=name, starts_on=starts_on, ends_on=ends_on, targets=targets, planned_on=today)

    def covers(self, town: str, village: str) -> bool:
        return any(t["town"] == town and t["village"] == village for t in self.targets)
