"""What is due and overdue for one person (GET /me/tasks): the services' due
records, gathered into one list of reminders sorted by urgency.

Plain data in, plain data out; the gateway route asks each service for its
records within the caller's scope (services/gateway/api/tasks.py) and which
sources a role gets is policy (services/gateway/policy.py, TASK_SOURCES).

- contact visits by risk tier (分级管理, 卫沙民社函〔2025〕11号 §三.(四).4), due by
  the registry's configured cadence; files aged out, transferred or merged drop off;
- case plan goals by target date and case reviews (个案工作, §三.(四).4); cases of
  children no longer in the programme drop off, achieved goals too;
- quarterly written reports and evaluations (§五.(三).4, §六.(三));
- objections awaiting resolution, due by the notice's end (§五.(二).2);
- tranches payable, awaiting payment (§六.(三)).

Each reminder: kind, a short code (labelled in the web app's Chinese
dictionary), due date, days overdue, a title and the API path of its record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

KINDS = ("visit", "case_goal", "case_review", "quarterly_report", "evaluation", "objection", "tranche_payment")
CODES = (
    "task_visit_tier_1",
    "task_visit_tier_2",
    "task_visit_tier_3",
    "task_case_goal",
    "task_case_review",
    "task_quarterly_report",
    "task_mid_term_evaluation",
    "task_effectiveness_evaluation",
    "task_objection",
    "task_tranche_payment",
)
# The record sources a role's list may draw on (policy.py chooses per role).
SOURCES = ("visits", "cases", "contracts", "objections", "tranches")
DEFAULT_HORIZON_DAYS = 14  # "due soon": within this many days from today
MAX_HORIZON_DAYS = 366
IN_PROGRAMME = "active"  # a registry file's status while the child is in the programme
GOAL_DONE = "achieved"

Row = Mapping[str, Any]


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def reminder(
    kind: str, code: str, due_on: date | str, title: str, link: str, today: date, **about: Any
) -> dict[str, Any]:
    due = _day(due_on)
    return {
        "kind": kind,
        "code": code,
        "due_on": due,
        "days_overdue": max(0, (today - due).days),
        "overdue": due < today,
        "title": title,
        "link": link,
        **about,
    }


def visits(contacts: Iterable[Row], today: date) -> list[dict[str, Any]]:
    """A contact due per assessed file still in the programme."""
    return [
        reminder(
            "visit",
            f"task_visit_tier_{c['tier']}",
            c["due_on"],
            c["name"],
            f"/children/{c['child_id']}",
            today,
            child_id=str(c["child_id"]),
        )
        for c in contacts
        if c["status"] == IN_PROGRAMME
    ]


def cases(open_cases: Iterable[Row], today: date) -> list[dict[str, Any]]:
    """Each open case of a child still in the programme: its unachieved goals
    with a target date, and its next plan review."""
    out = []
    for case in open_cases:
        if not case["child_active"]:
            continue
        link, about = f"/cases/{case['case_id']}", {"child_id": str(case["child_id"])}
        for goal in case["goals"]:
            if goal.get("target_date") and goal["status"] != GOAL_DONE:
                title = f"{case['child_name']}：{goal['description']}"
                out.append(reminder("case_goal", "task_case_goal", goal["target_date"], title, link, today, **about))
        if case.get("review_due_on"):
            out.append(
                reminder(
                    "case_review", "task_case_review", case["review_due_on"], case["child_name"], link, today, **about
                )
            )
    return out


def contracts(contract_dues: Iterable[Row], today: date) -> list[dict[str, Any]]:
    """What each contract still owes: quarterly reports and evaluations."""
    out = []
    for contract in contract_dues:
        link = f"/contracts/{contract['contract_id']}"
        for due in contract["dues"]:
            kind = "quarterly_report" if due["what"] == "quarterly_report" else "evaluation"
            title = contract["organization_name"] + (f" {due['period']}" if due.get("period") else "")
            out.append(
                reminder(
                    kind,
                    f"task_{due['what']}",
                    due["due_on"],
                    title,
                    link,
                    today,
                    contract_id=str(contract["contract_id"]),
                )
            )
    return out


def objections(open_objections: Iterable[Row], today: date) -> list[dict[str, Any]]:
    return [
        reminder(
            "objection", "task_objection", o["due_on"], o["call_title"], f"/public-notices/{o['notice_id']}", today
        )
        for o in open_objections
    ]


def tranches(payable: Iterable[Row], today: date) -> list[dict[str, Any]]:
    return [
        reminder(
            "tranche_payment",
            "task_tranche_payment",
            t["payable_on"],
            f"第{t['number']}笔",
            f"/contracts/{t['contract_id']}/funding",
            today,
            contract_id=str(t["contract_id"]),
        )
        for t in payable
        if t.get("payable_on")
    ]


def by_urgency(items: Iterable[dict[str, Any]], today: date, horizon_days: int) -> list[dict[str, Any]]:
    """Overdue first (most days overdue first), then due soon (soonest first);
    anything due after the horizon is left out."""
    last = today + timedelta(days=horizon_days)
    kept = [i for i in items if i["due_on"] <= last]
    return sorted(kept, key=lambda i: (-i["days_overdue"], i["due_on"], KINDS.index(i["kind"]), i["link"], i["title"]))
