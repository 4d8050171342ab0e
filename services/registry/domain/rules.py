"""The rules a child file must satisfy, as pure functions over its facts.

Each function returns {field: [reasons]}; empty means the facts pass. The same
checks run at registration and on every correction (a correction may not
introduce a violation the file did not already have)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from services.registry.domain import id_number as id_numbers
from services.registry.domain import places as place_list
from shared.vocabulary import CATEGORIES

GENDERS = ("male", "female")
ADULT_AGE = 18
LEFT_BEHIND_AGE = 16  # national definition: left-behind children are under 16
GUARDIAN_MIN_AGE = 18

# A parent's situation. "Unable to care" in the national definitions means the
# parent is dead, missing, imprisoned (or in compulsory rehabilitation), or
# severely ill or disabled.
PARENT_STATUSES = (
    "at_home",
    "migrant",
    "deceased",
    "missing",
    "incarcerated",
    "severely_ill_or_disabled",
    "unknown",
)
UNABLE_TO_CARE = frozenset({"deceased", "missing", "incarcerated", "severely_ill_or_disabled"})
ECONOMIC_STATUSES = ("ordinary", "low_income", "dibao", "tekun")  # 低保 dibao, 特困 tekun
POOR = frozenset({"dibao", "tekun"})
GUARDIAN_RELATIONS = (
    "father",
    "mother",
    "grandparent",
    "sibling",
    "other_relative",
    "entrusted_other",
    "institution",
)
HEALTH = ("good", "fair", "poor")
CAPACITY = ("full", "limited", "none")
GUARDIANSHIP_STATUSES = ("parents", "entrusted", "missing", "improper", "institutional")
DISTRESS_REASONS = (
    "poverty",
    "disability",
    "serious_illness",
    "guardianship_missing",
    "guardianship_improper",
)
SCREENING_RESULTS = ("normal", "attention", "referral")
SCHOOL_STATUSES = ("not_school_age", "in_school", "not_enrolled", "dropped_out", "special_education")

Problems = dict[str, list[str]]


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def birthday(date_of_birth: date, years: int) -> date:
    """The date the child turns `years` (29 February → 1 March)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def left_behind_has_ended(date_of_birth: date, categories: list[str], today: date) -> bool:
    """A left-behind child who has turned 16 is no longer left-behind."""
    return "left_behind" in categories and age_on(date_of_birth, today) >= LEFT_BEHIND_AGE


def has_aged_out(date_of_birth: date, today: date) -> bool:
    """At 18 the file closes."""
    return age_on(date_of_birth, today) >= ADULT_AGE


def _add(problems: Problems, field: str, reason: str) -> None:
    problems.setdefault(field, []).append(reason)


def identity_problems(facts: Mapping[str, Any], today: date, registered_on: date) -> Problems:
    problems: Problems = {}
    dob = facts["date_of_birth"]
    if facts["gender"] not in GENDERS:
        _add(problems, "gender", f"must be one of {', '.join(GENDERS)}")
    if dob > today:
        _add(problems, "date_of_birth", "is in the future")
    elif age_on(dob, registered_on) >= ADULT_AGE:
        _add(problems, "date_of_birth", "child must be under 18 at registration")
    number = facts.get("id_number")
    if number is not None and not problems:
        found = id_numbers.problems(number, dob, facts["gender"])
        if found:
            problems["id_number"] = found
    return problems


def category_problems(facts: Mapping[str, Any], today: date) -> Problems:
    """Whatever is declared must support the categories claimed. (That the
    defining facts are there at all is checked at intake: `intake_problems`.)"""
    problems: Problems = {}
    categories = facts["categories"]
    unknown = sorted(set(categories) - set(CATEGORIES))
    if not categories or unknown:
        _add(
            problems,
            "categories",
            f"must be a non-empty list of {', '.join(CATEGORIES)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
        )
        return problems
    if len(set(categories)) != len(categories):
        _add(problems, "categories", "lists a category twice")
    household = facts.get("household")
    father, mother = _parents(household)
    if "left_behind" in categories:
        dob = facts["date_of_birth"]
        if dob <= today and age_on(dob, today) >= LEFT_BEHIND_AGE:
            _add(problems, "categories", "left_behind applies only to children under 16")
        if household is not None and not _left_behind(father, mother):
            _add(
                problems,
                "household",
                "left_behind needs both parents migrant, or one migrant "
                "and the other unable to care (deceased, missing, incarcerated, severely ill or disabled)",
            )
    if "unattended" in categories and household is not None:
        if not (father in UNABLE_TO_CARE and mother in UNABLE_TO_CARE):
            _add(
                problems,
                "household",
                "unattended (事实无人抚养) needs both parents unable to care "
                "(deceased, missing, incarcerated, severely ill or disabled)",
            )
    reasons = facts.get("distress_reasons") or []
    if "distressed" in categories:
        if "poverty" in reasons and household is not None and household.get("economic_status") not in POOR:
            _add(
                problems,
                "household",
                "poverty needs the household's economic status to be dibao (低保) or tekun (特困)",
            )
    elif reasons:
        _add(problems, "distress_reasons", "only a distressed child has distress reasons")
    status = facts.get("guardianship_status")
    if "guardianship_missing" in reasons and status not in (None, "missing"):
        _add(problems, "guardianship_status", "guardianship_missing needs guardianship status 'missing'")
    if "guardianship_improper" in reasons and status not in (None, "improper"):
        _add(problems, "guardianship_status", "guardianship_improper needs guardianship status 'improper'")
    return problems


def _parents(household: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    if household is None:
        return None, None
    return household["father"]["status"], household["mother"]["status"]


def _left_behind(father: str | None, mother: str | None) -> bool:
    if father == "migrant" and mother == "migrant":
        return True
    return (father == "migrant" and mother in UNABLE_TO_CARE) or (mother == "migrant" and father in UNABLE_TO_CARE)


def care_problems(facts: Mapping[str, Any], today: date) -> Problems:
    problems: Problems = {}
    guardian = facts.get("guardian")
    if guardian is not None and guardian["relation"] != "institution" and guardian["age"] < GUARDIAN_MIN_AGE:
        _add(problems, "guardian.age", "a guardian must be an adult (18 or over)")
    screening = facts.get("mental_health")
    if screening is not None:
        if screening["screened_on"] > today:
            _add(problems, "mental_health.screened_on", "is in the future")
        elif screening["screened_on"] < facts["date_of_birth"]:
            _add(problems, "mental_health.screened_on", "is before the date of birth")
    if facts.get("school_status") == "in_school" and not facts.get("school"):
        _add(problems, "school", "a child in school needs the school's name")
    return problems


def file_problems(
    facts: Mapping[str, Any],
    *,
    today: date,
    registered_on: date,
    places: Mapping[str, frozenset[str]],
) -> Problems:
    problems: Problems = {}
    for found in (
        identity_problems(facts, today, registered_on),
        place_list.problems(places, facts["town"], facts["village"]),
        category_problems(facts, today),
        care_problems(facts, today),
    ):
        for field, reasons in found.items():
            problems.setdefault(field, []).extend(reasons)
    return problems


def pending_facts(facts: Mapping[str, Any]) -> list[str]:
    """Facts a category needs that the file does not state yet."""
    reasons = facts.get("distress_reasons") or []
    needs_household = {"left_behind", "unattended"} & set(facts["categories"]) or "poverty" in reasons
    pending = ["household"] if needs_household and facts.get("household") is None else []
    if "distressed" in facts["categories"] and not reasons:
        pending.append("distress_reasons")
    return pending


MISSING_AT_INTAKE = {
    "household": "left_behind and unattended (and poverty) need the household: each parent's "
    "status (e.g. migrant) and the economic status",
    "distress_reasons": "distressed needs at least one reason: poverty, disability, serious_illness, "
    "guardianship_missing or guardianship_improper",
}


def intake_problems(facts: Mapping[str, Any]) -> Problems:
    """A new file must state the facts its categories rest on. Files stored
    before these facts were recorded stay readable and are flagged with
    `pending_facts` until corrected."""
    return {fact: [MISSING_AT_INTAKE[fact]] for fact in pending_facts(facts)}
