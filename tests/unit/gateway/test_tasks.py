"""The reminders list (services/gateway/domain/tasks.py) on plain data: what
each record makes due, what drops off, and the order by urgency."""

from datetime import date, timedelta

from services.gateway.domain import ROLES
from services.gateway.domain import tasks as t
from services.gateway.policy import TASK_SOURCES
from services.grants.domain.deadlines import contract_dues, report_due_on

TODAY = date(2026, 1, 15)


def contact(name, due_on, status="active", tier=1):
    return {"child_id": f"id-{name}", "name": name, "tier": tier, "status": status, "due_on": due_on.isoformat()}


def test_a_contact_due_is_a_visit_by_tier_linked_to_the_file():
    [item] = t.visits([contact("李小花", TODAY - timedelta(days=3), tier=2)], TODAY)
    assert item == {
        "kind": "visit",
        "code": "task_visit_tier_2",
        "due_on": TODAY - timedelta(days=3),
        "days_overdue": 3,
        "overdue": True,
        "title": "李小花",
        "link": "/children/id-李小花",
        "child_id": "id-李小花",
    }


def test_children_aged_out_transferred_or_merged_drop_off():
    rows = [contact(n, TODAY, status=s) for n, s in (("a", "aged_out"), ("b", "transferred_out"), ("c", "merged"))]
    assert t.visits([*rows, contact("d", TODAY)], TODAY) == t.visits([contact("d", TODAY)], TODAY)
    assert [i["title"] for i in t.visits(rows, TODAY)] == []


def case(child_active=True, goals=(), review_due_on=None):
    return {
        "case_id": "case-1",
        "child_id": "child-1",
        "child_name": "王小明",
        "child_active": child_active,
        "contract_id": "contract-1",
        "goals": list(goals),
        "review_due_on": review_due_on,
    }


def goal(description, target_date, status="in_progress"):
    return {"goal_id": description, "description": description, "target_date": target_date, "status": status}


def test_unachieved_goals_with_a_target_and_the_review_are_due_on_the_case():
    items = t.cases(
        [
            case(
                goals=[
                    goal("按时上学", "2026-01-10"),
                    goal("结交朋友", None),
                    goal("完成作业", "2026-01-01", "achieved"),
                ],
                review_due_on="2026-01-20",
            )
        ],
        TODAY,
    )
    assert [(i["code"], i["due_on"], i["days_overdue"], i["link"]) for i in items] == [
        ("task_case_goal", date(2026, 1, 10), 5, "/cases/case-1"),
        ("task_case_review", date(2026, 1, 20), 0, "/cases/case-1"),
    ]
    assert items[0]["title"] == "王小明：按时上学"


def test_cases_of_children_who_left_the_programme_drop_off():
    assert t.cases([case(child_active=False, goals=[goal("x", "2026-01-01")], review_due_on="2026-01-01")], TODAY) == []


def test_ordering_is_overdue_first_by_days_overdue_then_due_soon_and_the_horizon_cuts():
    items = t.visits(
        [
            contact("soon", TODAY + timedelta(days=2)),
            contact("late-1", TODAY - timedelta(days=1)),
            contact("today", TODAY),
            contact("far", TODAY + timedelta(days=15)),
            contact("late-9", TODAY - timedelta(days=9)),
        ],
        TODAY,
    )
    ordered = t.by_urgency(items, TODAY, 14)
    assert [i["title"] for i in ordered] == ["late-9", "late-1", "today", "soon"]
    assert [i["overdue"] for i in ordered] == [True, True, False, False]
    assert [i["title"] for i in t.by_urgency(items, TODAY, 0)] == ["late-9", "late-1", "today"]


def test_equally_due_items_of_different_kinds_keep_a_stable_order():
    visit = t.visits([contact("a", TODAY)], TODAY)
    review = t.cases([case(review_due_on=TODAY.isoformat())], TODAY)
    assert [i["kind"] for i in t.by_urgency([*review, *visit], TODAY, 1)] == ["visit", "case_review"]


def contract(status="active", reports=(), mid_term_passed=False, completion=None, effectiveness_passed=False):
    return {
        "contract_id": "c-1",
        "organization_id": "org-1",
        "organization_name": "阳光社工",
        "status": status,
        "period_start": date(2025, 7, 1),
        "period_end": date(2026, 6, 30),
        "quarterly_reports": list(reports),
        "mid_term_passed": mid_term_passed,
        "completion": completion,
        "effectiveness_passed": effectiveness_passed,
    }


def test_each_quarter_owes_a_report_ten_days_after_it_ends_until_one_stands():
    dues = contract_dues(
        contract(
            reports=[
                {"year": 2025, "quarter": 3, "status": "accepted"},
                {"year": 2025, "quarter": 4, "status": "returned"},
            ]
        ),
        10,
    )
    assert [(d["what"], d["period"], d["due_on"]) for d in dues] == [
        ("quarterly_report", "2025-Q4", date(2026, 1, 10)),
        ("quarterly_report", "2026-Q1", date(2026, 4, 10)),
        ("quarterly_report", "2026-Q2", date(2026, 7, 10)),
        ("mid_term_evaluation", None, date(2025, 12, 30)),
    ]
    assert report_due_on(2025, 4, 15) == date(2026, 1, 15)


def test_an_ended_contract_owes_nothing_and_a_completed_one_its_effectiveness_evaluation():
    assert contract_dues(contract(status="terminated"), 10) == []
    assert contract_dues(contract(status="closed"), 10) == []
    completed = contract(status="completed", mid_term_passed=True, completion={"completed_on": date(2026, 6, 30)})
    assert [(d["what"], d["due_on"]) for d in contract_dues(completed, 10)] == [
        ("effectiveness_evaluation", date(2026, 7, 30))
    ]


def test_contract_dues_become_reminders_linked_to_the_contract():
    items = t.contracts([{**contract(), "dues": contract_dues(contract(), 10)}], TODAY)
    first = t.by_urgency(items, TODAY, 14)
    assert [(i["code"], i["title"], i["days_overdue"], i["link"]) for i in first] == [
        ("task_quarterly_report", "阳光社工 2025-Q3", 97, "/contracts/c-1"),
        ("task_mid_term_evaluation", "阳光社工", 16, "/contracts/c-1"),
        ("task_quarterly_report", "阳光社工 2025-Q4", 5, "/contracts/c-1"),
    ]


def test_objections_and_payable_tranches():
    [objection] = t.objections(
        [{"notice_id": "n-1", "objection_id": "o-1", "call_title": "关爱项目", "due_on": "2026-01-12"}], TODAY
    )
    assert (objection["code"], objection["days_overdue"], objection["link"]) == (
        "task_objection",
        3,
        "/public-notices/n-1",
    )
    tranches = t.tranches(
        [
            {"contract_id": "c-1", "number": 2, "payable_on": "2026-01-14"},
            {"contract_id": "c-1", "number": 3, "payable_on": None},
        ],
        TODAY,
    )
    assert [(i["code"], i["title"], i["link"]) for i in tranches] == [
        ("task_tranche_payment", "第2笔", "/contracts/c-1/funding")
    ]


def test_every_role_has_its_sources_and_only_known_ones():
    assert set(TASK_SOURCES) == set(ROLES)
    assert all(set(sources) <= set(t.SOURCES) for sources in TASK_SOURCES.values())
    assert TASK_SOURCES["child_director"] == ("visits",)
    assert TASK_SOURCES["auditor"] == TASK_SOURCES["reviewer"] == ()


def test_every_code_a_reminder_can_carry_is_declared():
    made = {f"task_visit_tier_{tier}" for tier in (1, 2, 3)} | {"task_case_goal", "task_case_review"}
    made |= {f"task_{what}" for what in ("quarterly_report", "mid_term_evaluation", "effectiveness_evaluation")}
    made |= {"task_objection", "task_tranche_payment"}
    assert made == set(t.CODES)
