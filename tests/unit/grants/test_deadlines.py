"""What grants says falls due (GET /me/tasks): each active contract's quarterly
written reports (卫沙民社函〔2025〕11号 §五.(三).4), due a configurable number
of days after the quarter, its mid-term evaluation, and objections awaiting
resolution by the notice's end (§五.(二).2)."""

from datetime import date

from services.grants.application import GrantsApplication
from tests.support.grants import BUREAU, accept_report, active_contract, mid_term_passed, on_notice


def dues_of(grants, contract) -> list[tuple]:
    [row] = [c for c in grants.contract_dues() if c["contract_id"] == contract]
    return [(d["what"], d["period"], d["due_on"]) for d in row["dues"]]


def test_an_active_contract_owes_each_quarters_report_ten_days_after_it_and_the_mid_term(grants, clock):
    contract = active_contract(grants, clock)
    accept_report(grants, clock, contract, 2025, 3)
    assert dues_of(grants, contract) == [
        ("quarterly_report", "2025-Q4", date(2026, 1, 10)),
        ("quarterly_report", "2026-Q1", date(2026, 4, 10)),
        ("quarterly_report", "2026-Q2", date(2026, 7, 10)),
        ("mid_term_evaluation", None, date(2025, 12, 30)),
    ]
    accept_report(grants, clock, contract, 2025, 4)
    grants.record_evaluation(
        contract,
        "mid_term",
        {"budget_execution": 9, "output": 45, "effect": 26, "satisfaction": 9},
        evaluators=BUREAU,
    )
    assert [d[1] for d in dues_of(grants, contract)] == ["2026-Q1", "2026-Q2"]


def test_the_report_due_days_are_configurable(make_app, clock, monkeypatch):
    monkeypatch.setenv("REPORT_DUE_DAYS", "15")
    grants = make_app(GrantsApplication)
    grants.clock = clock
    contract = active_contract(grants, clock)
    assert dues_of(grants, contract)[0] == ("quarterly_report", "2025-Q3", date(2025, 10, 15))


def test_contract_dues_are_narrowed_to_an_organisation(grants, clock):
    contract = active_contract(grants, clock)
    [row] = grants.contract_dues()
    assert row["contract_id"] == contract
    assert grants.contract_dues(organization_id=row["organization_id"]) == [row]
    assert grants.contract_dues(organization_id=GrantsApplication.__name__) == []


def test_a_terminated_contract_owes_nothing(grants, clock):
    contract = active_contract(grants, clock)
    mid_term_passed(grants, clock, contract)
    grants.terminate_contract(contract, reason="misuse", details="挪用", recovery_fen=None)
    assert dues_of(grants, contract) == []


def test_open_objections_are_due_by_the_notices_end_until_resolved(grants, clock):
    call, apps, notice = on_notice(grants, clock)
    objection = grants.lodge_objection(notice, objector="张三", grounds="质疑评分")
    [due] = grants.open_objections()
    assert (due["notice_id"], due["objection_id"], due["due_on"]) == (notice, objection, date(2025, 6, 19))
    grants.resolve_objection(notice, objection, outcome="dismissed", resolution="评分无误")
    assert grants.open_objections() == []
