"""Quarterly written reports tied to the records and flagged when late
(卫沙民社函〔2025〕11号 §五.(三).4, issue 14 item 7): each begun quarter of the
contract is due REPORT_DUE_DAYS (default 10) after it ends; a quarter whose
report came after that, or has not come and is past it, is late in the contract
view, in the bureau's list and on the mid-term evaluation."""

from datetime import date

import pytest

from services.grants.domain.report_schedule import due_on, late_periods, schedule
from shared.config import ConfigError, report_due_days
from tests.support.grants import BUREAU, PASSING, accept_report, active_contract

REFERENCE = {"as_of_position": 42, "content_hash": "ab" * 32}


def submitted(year, quarter, on, status="submitted"):
    return {"year": year, "quarter": quarter, "submitted_on": on, "status": status}


def test_due_ten_days_after_the_quarter_ends_by_default():
    assert due_on(2025, 3, 10) == date(2025, 10, 10)
    assert due_on(2025, 4, 10) == date(2026, 1, 10)
    assert due_on(2026, 1, 5) == date(2026, 4, 5)


def test_late_when_first_submitted_after_the_due_date_or_missing_past_it():
    quarters = [(2025, 3), (2025, 4), (2026, 1), (2026, 2)]
    reports = [
        submitted(2025, 3, date(2025, 10, 10), "accepted"),  # on the due day: on time
        submitted(2025, 4, date(2026, 1, 11), "returned"),  # a day late ...
        submitted(2025, 4, date(2026, 1, 20), "accepted"),  # ... and resubmitted: still late
    ]
    rows = schedule(quarters, reports, date(2026, 4, 11), 10)
    assert [(r["period"], r["status"], r["late"]) for r in rows] == [
        ("2025-Q3", "accepted", False),
        ("2025-Q4", "accepted", True),
        ("2026-Q1", "missing", True),  # due 2026-04-10, nothing by the 11th
        ("2026-Q2", "missing", False),  # begun, not yet due
    ]
    assert rows[1]["first_submitted_on"] == date(2026, 1, 11)
    # As of an earlier day: later submissions are unknown, and Q1 is not yet due.
    earlier = schedule(quarters, reports, date(2026, 1, 10), 10)
    assert [(r["period"], r["status"], r["late"]) for r in earlier] == [
        ("2025-Q3", "accepted", False),
        ("2025-Q4", "missing", False),
        ("2026-Q1", "missing", False),
    ]
    assert late_periods(rows) == ["2025-Q4", "2026-Q1"]


def test_a_missing_report_is_late_from_the_day_after_it_is_due(grants, clock):
    contract = active_contract(grants, clock)
    clock.today = date(2025, 10, 10)
    view = grants.get_contract(contract)
    assert view["report_due_days"] == 10 and view["late_reports"] == []
    assert view["report_schedule"][0]["due_on"] == date(2025, 10, 10)
    clock.today = date(2025, 10, 11)
    view = grants.get_contract(contract)
    assert view["late_reports"] == ["2025-Q3"]
    assert view["report_schedule"][0]["status"] == "missing"


def test_the_due_days_are_configurable(grants, clock, monkeypatch):
    grants.report_due_days = 20
    contract = active_contract(grants, clock)
    clock.today = date(2025, 10, 20)
    assert grants.get_contract(contract)["late_reports"] == []
    clock.today = date(2025, 10, 21)
    assert grants.get_contract(contract)["late_reports"] == ["2025-Q3"]
    monkeypatch.setenv("REPORT_DUE_DAYS", "15")
    assert report_due_days() == 15
    for bad in ("0", "91", "ten"):
        monkeypatch.setenv("REPORT_DUE_DAYS", bad)
        with pytest.raises(ConfigError):
            report_due_days()
    monkeypatch.delenv("REPORT_DUE_DAYS")
    assert report_due_days() == 10


def test_the_bureaus_list_names_contracts_with_late_reports_and_the_mid_term_check_sees_them(grants, clock):
    contract = active_contract(grants, clock)
    clock.today = date(2025, 10, 20)
    assert [row["contract_id"] for row in grants.list_late_reports(limit=10, after=None)] == [contract]
    [row] = grants.list_late_reports(limit=10, after=None)
    assert row["late_reports"] == ["2025-Q3"] and row["quarters"][0]["due_on"] == date(2025, 10, 10)
    report = grants.submit_quarterly_report(contract, 2025, 3, summary="迟交的季度报告", generated_report=REFERENCE)
    grants.review_quarterly_report(contract, report, "accepted")
    assert grants.get_contract(contract)["late_reports"] == ["2025-Q3"]  # submitted late stays late
    accept_report(grants, clock, contract, 2025, 4)
    clock.today = date(2026, 1, 8)
    evaluation = grants.record_evaluation(contract, "mid_term", PASSING, evaluators=BUREAU)
    assert evaluation["late_reports"] == ["2025-Q3"]
    [shown] = grants.get_contract(contract)["evaluations"]
    assert shown["late_reports"] == ["2025-Q3"]


def test_a_contract_without_late_reports_is_not_in_the_bureaus_list(grants, clock):
    contract = active_contract(grants, clock)
    accept_report(grants, clock, contract, 2025, 3)
    clock.today = date(2025, 12, 1)
    assert grants.list_late_reports(limit=10, after=None) == []
    assert grants.get_contract(contract)["late_reports"] == []


def test_the_written_report_keeps_its_reference_to_the_generated_report(grants, clock):
    contract = active_contract(grants, clock)
    clock.today = date(2025, 10, 5)
    grants.submit_quarterly_report(contract, 2025, 3, summary="季度书面报告", generated_report=REFERENCE)
    [report] = grants.get_contract(contract)["quarterly_reports"]
    assert report["generated_report"] == REFERENCE
