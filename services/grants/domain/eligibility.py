"""Eligibility of an organisation for a call, as of a date, from its dated
evidence (卫沙民社函〔2025〕11号 §四). Hard rules decide; preferences only add points."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.grants.domain.calls import REQUIRED_DOCUMENTS
from services.grants.domain.organizations import NPO_ACCOUNTING, SUBJECTS, Organization

ELIGIBLE_TYPES = ("social_group", "private_non_enterprise")
SUBJECT_NAMES = {
    "organisation": "the organisation",
    "legal_representative": "the legal representative",
    "project_lead": "the project lead",
}


def _known(org: Organization, kind: str, as_of: date) -> list[dict[str, Any]]:
    """Evidence of a kind that was in effect on `as_of`, oldest first. Only
    what the bureau verified counts: an organisation cannot certify itself."""
    found = [
        e for e in org.evidence if e["kind"] == kind and e["effective_on"] <= as_of and e.get("status") == "verified"
    ]
    return sorted(found, key=lambda e: (e["effective_on"], e["recorded_on"]))


def _rule(rule: str, passed: bool, reason: str) -> dict[str, Any]:
    return {"rule": rule, "kind": "hard", "passed": passed, "reason": reason, "points": 0}


def _preference(rule: str, points: int, met: bool, reason: str) -> dict[str, Any]:
    return {"rule": rule, "kind": "preference", "passed": met, "reason": reason, "points": points if met else 0}


def registration_rule(org: Organization) -> dict[str, Any]:
    if org.registration_type in ELIGIBLE_TYPES:
        return _rule(
            "registration_type",
            True,
            f"registered with civil affairs as {org.registration_type} ({org.credit_code[:2]})",
        )
    return _rule(
        "registration_type",
        False,
        f"credit code {org.credit_code[:2]}… is a {org.registration_type}; only social groups (51) "
        "and private non-enterprise units (52) registered with civil affairs may apply",
    )


def inspections_rule(org: Organization, years: list[int], as_of: date) -> dict[str, Any]:
    latest: dict[int, str] = {}
    for item in _known(org, "annual_inspection", as_of):
        latest[item["year"]] = item["result"]
    failing = []
    for year in sorted(years):
        result = latest.get(year)
        if result is None:
            failing.append(f"{year}: no annual inspection on record")
        elif result != "qualified":
            failing.append(f"{year}: inspection result {result}")
    if failing:
        return _rule("annual_inspections", False, "annual inspections not passed: " + "; ".join(failing))
    return _rule(
        "annual_inspections", True, "annual inspections qualified for " + ", ".join(str(y) for y in sorted(years))
    )


def bad_record_rule(org: Organization, as_of: date) -> dict[str, Any]:
    found = []
    for item in _known(org, "misconduct", as_of):
        found.append(
            f"{SUBJECT_NAMES[item['subject']]}: {item['description']} ({item['authority']}, {item['effective_on']})"
        )
    latest_checks: dict[tuple[str, str], dict[str, Any]] = {}
    for item in _known(org, "credit_check", as_of):
        latest_checks[(item["subject"], item["list_name"])] = item
    for (subject, list_name), item in sorted(latest_checks.items()):
        if item["result"] == "listed":
            found.append(f"{SUBJECT_NAMES[subject]} is on {list_name} (checked {item['effective_on']})")
    checked = sorted({s for s, _ in latest_checks})
    failing = ["bad records: " + "; ".join(found)] if found else []
    if "organisation" not in checked:  # a check is required: none on record is not a clean record
        failing.append("no credit-list check of the organisation verified by the bureau")
    if failing:
        return _rule("no_bad_record", False, "; ".join(failing))
    return _rule(
        "no_bad_record",
        True,
        "no misconduct or credit-list entries for "
        + ", ".join(SUBJECT_NAMES[s] for s in SUBJECTS)
        + (f"; credit lists checked for {', '.join(SUBJECT_NAMES[s] for s in checked)}" if checked else ""),
    )


def accounting_rule(org: Organization) -> dict[str, Any]:
    problems = []
    if org.accounting_regime != NPO_ACCOUNTING:
        problems.append(f"keeps {org.accounting_regime}, not the non-profit accounting system")
    if not org.has_financial_rules:
        problems.append("has no written financial rules")
    if not org.accountant.get("qualification"):
        problems.append("accountant has no stated qualification")
    if problems:
        return _rule("accounting_regime", False, "; ".join(problems))
    return _rule(
        "accounting_regime", True, "non-profit accounting system with financial rules and a qualified accountant"
    )


def bank_account_rule(org: Organization) -> dict[str, Any]:
    account = org.bank_account
    if not account.get("independent") or not account.get("opening_permit"):
        return _rule("bank_account", False, "needs an independent bank account with an account-opening permit")
    return _rule("bank_account", True, f"independent account at {account['bank']} with opening permit")


def documents_rule(documents: list[dict[str, Any]]) -> dict[str, Any]:
    kinds = {d["kind"] for d in documents}
    missing = [k for k in REQUIRED_DOCUMENTS if k not in kinds]
    unsigned = [d for d in documents if d["kind"] == "application_form" and not d.get("signed_and_sealed")]
    problems = []
    if missing:
        problems.append("missing documents: " + ", ".join(missing))
    if unsigned:
        problems.append("application form is not signed by the legal representative and sealed")
    if problems:
        return _rule("documents", False, "; ".join(problems))
    return _rule("documents", True, "all required documents submitted")


def ban_rule(org: Organization, as_of: date) -> dict[str, Any]:
    ban = org.ban_on(as_of)
    if ban is not None:
        return _rule(
            "not_banned",
            False,
            f"banned from government service purchases from {ban['decided_on']} until "
            f"{ban['banned_until']}: {ban['reason']}",
        )
    return _rule("not_banned", True, "no ban in force")


def grade_preference(org: Organization, documents: list[dict[str, Any]], as_of: date, points: int) -> dict[str, Any]:
    valid = [e for e in _known(org, "evaluation_grade", as_of) if e["valid_until"] >= as_of]
    best = max((e["grade"] for e in valid), default=None)
    proof = any(d["kind"] == "evaluation_grade_proof" for d in documents)
    if best is None:
        return _preference("evaluation_grade_3a", points, False, "no evaluation grade valid on this date")
    if best < 3:
        return _preference("evaluation_grade_3a", points, False, f"grade {best}A is below 3A")
    if not proof:
        return _preference(
            "evaluation_grade_3a", points, False, f"grade {best}A claimed without proof among the documents"
        )
    return _preference("evaluation_grade_3a", points, True, f"valid evaluation grade {best}A")


def honours_preference(org: Organization, documents: list[dict[str, Any]], as_of: date, points: int) -> dict[str, Any]:
    honours = _known(org, "honour", as_of)
    proof = any(d["kind"] == "honour_certificates" for d in documents)
    if honours and proof:
        return _preference("honours", points, True, "honours: " + "; ".join(h["title"] for h in honours))
    return _preference(
        "honours", points, False, "no honours on record" if not honours else "honours claimed without certificates"
    )


def experience_preference(org: Organization, as_of: date, points: int) -> dict[str, Any]:
    good = [e for e in _known(org, "project_experience", as_of) if e["outcome"] == "good"]
    if good:
        return _preference(
            "project_experience",
            points,
            True,
            "well-run public-benefit projects: " + "; ".join(e["title"] for e in good),
        )
    return _preference("project_experience", points, False, "no public-benefit project with a good outcome on record")


def evaluate(org: Organization, terms: dict[str, Any], documents: list[dict[str, Any]], as_of: date) -> dict[str, Any]:
    points = terms["preference_points"]
    rules = [
        registration_rule(org),
        inspections_rule(org, terms["inspection_years"], as_of),
        bad_record_rule(org, as_of),
        accounting_rule(org),
        bank_account_rule(org),
        documents_rule(documents),
        ban_rule(org, as_of),
        grade_preference(org, documents, as_of, points.get("evaluation_grade_3a", 0)),
        honours_preference(org, documents, as_of, points.get("honours", 0)),
        experience_preference(org, as_of, points.get("project_experience", 0)),
    ]
    return {
        "as_of": as_of,
        "eligible": all(r["passed"] for r in rules if r["kind"] == "hard"),
        "preference_points": sum(r["points"] for r in rules),
        "rules": rules,
    }
