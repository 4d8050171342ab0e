"""The child file (一人一档). Standard library and eventsourcing.domain only."""
from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

from services.registry import id_number as id_numbers
from services.registry.exceptions import InvalidChild

GENDERS = ("male", "female")
CATEGORIES = ("left_behind", "distressed", "unattended")
ADULT_AGE = 18
ID_NUMBER_NAMESPACE = uuid.UUID("3b0e8f5c-5a36-4d1b-8d7e-0b5b8d2f1c44")


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def registration_problems(
    *, gender: str, date_of_birth: date, id_number: str | None,
    categories: list[str], today: date,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if gender not in GENDERS:
        problems["gender"] = [f"must be one of {', '.join(GENDERS)}"]
    if date_of_birth > today:
        problems["date_of_birth"] = ["is in the future"]
    elif age_on(date_of_birth, today) >= ADULT_AGE:
        problems["date_of_birth"] = ["child must be under 18 at registration"]
    unknown = sorted(set(categories) - set(CATEGORIES))
    if not categories or unknown:
        problems["categories"] = [
            f"must be a non-empty list of {', '.join(CATEGORIES)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        ]
    if id_number is not None and "gender" not in problems and "date_of_birth" not in problems:
        found = id_numbers.problems(id_number, date_of_birth, gender)
        if found:
            problems["id_number"] = found
    return problems


class Child(Aggregate):
    @event("Registered")
    def __init__(
        self, name: str, gender: str, date_of_birth: date, id_number: str | None,
        town: str, village: str, categories: list[str], registered_on: date,
    ):
        self.name = name
        self.gender = gender
        self.date_of_birth = date_of_birth
        self.id_number = id_number
        self.town = town
        self.village = village
        self.categories = list(categories)
        self.registered_on = registered_on

    @classmethod
    def register(cls, *, today: date, **details) -> "Child":
        problems = registration_problems(
            gender=details["gender"], date_of_birth=details["date_of_birth"],
            id_number=details.get("id_number"), categories=details["categories"],
            today=today,
        )
        if problems:
            raise InvalidChild(problems)
        return cls(registered_on=today, **details)

    @property
    def without_household_registration(self) -> bool:
        return self.id_number is None


class IdNumberClaim(Aggregate):
    """One per ID number; saving two claims for one number fails atomically,
    which is what makes ID numbers unique across concurrent registrations."""

    @staticmethod
    def create_id(id_number: str) -> uuid.UUID:
        return uuid.uuid5(ID_NUMBER_NAMESPACE, id_number)

    @event("Claimed")
    def __init__(self, id_number: str, child_id: uuid.UUID):
        self.child_id = child_id
