"""Visits, risk tiers, overdue contacts, transfers and the daily time-driven
rules, driven by the application's injected clock."""

from datetime import date, timedelta

import pytest

from services.registry.application import RegistryApplication
from services.registry.exceptions import InvalidChild
from tests.support.children import MIGRANT_PARENTS

START = date(2025, 6, 1)
CHILD = dict(
    name="王小明",
    gender="male",
    date_of_birth=date(2009, 6, 10),
    id_number=None,
    town="东园镇",
    village="金沙村",
    categories=["left_behind", "distressed"],
    distress_reasons=["disability"],
    household=MIGRANT_PARENTS,
)


@pytest.fixture
def today():
    return START


def visit(registry, child_id, on, visitor="马主任"):
    return registry.record_visit(
        child_id,
        visited_on=on,
        visitor=visitor,
        findings="at home with grandmother",
        follow_up="check school attendance",
    )


def test_visits_are_kept_and_give_the_last_contact(registry):
    child_id = registry.register_child(**CHILD)
    visit(registry, child_id, date(2025, 5, 20))
    visit(registry, child_id, date(2025, 5, 28), visitor="李社工")
    visit(registry, child_id, date(2025, 5, 25))
    child = registry.get_child(child_id)
    assert len(child["visits"]) == 3 and child["last_contact_on"] == date(2025, 5, 28)
    assert registry.list_children(limit=5)["items"][0]["last_contact_on"] == date(2025, 5, 28)


@pytest.mark.parametrize("on,field", [(START + timedelta(days=1), "visited_on"), (date(2009, 6, 9), "visited_on")])
def test_a_visit_in_the_future_or_before_birth_is_refused(registry, on, field):
    child_id = registry.register_child(**CHILD)
    head = registry.head_position()
    with pytest.raises(InvalidChild) as refused:
        visit(registry, child_id, on)
    assert field in refused.value.fields and registry.head_position() == head


def test_assessment_without_reasons_or_dated_in_the_future_is_refused(registry):
    child_id = registry.register_child(**CHILD)
    with pytest.raises(InvalidChild) as no_reason:
        registry.assess_risk(child_id, level=1, reasons=[" "])
    with pytest.raises(InvalidChild) as future:
        registry.assess_risk(child_id, level=1, reasons=["alone"], assessed_on=START + timedelta(days=2))
    with pytest.raises(InvalidChild) as bad_level:
        registry.assess_risk(child_id, level=4, reasons=["alone"])
    assert "reasons" in no_reason.value.fields and "assessed_on" in future.value.fields
    assert "level" in bad_level.value.fields


def test_overdue_contacts_follow_each_tier_cadence(registry, clock):
    high = registry.register_child(**CHILD)
    low = registry.register_child(**{**CHILD, "name": "王小红", "gender": "female"})
    unassessed = registry.register_child(**{**CHILD, "name": "王小刚"})
    for child_id in (high, low, unassessed):
        visit(registry, child_id, START)
    registry.assess_risk(high, level=1, reasons=["father missing, mother migrant"])
    reassessed = registry.assess_risk(low, level=3, reasons=["stable with grandparents"])
    assert reassessed["next_contact_due"] == START + timedelta(days=90)

    clock.today = START + timedelta(days=7)
    assert registry.overdue_contacts(limit=10)["items"] == []
    clock.today = START + timedelta(days=10)
    (overdue,) = registry.overdue_contacts(limit=10)["items"]
    assert overdue["child_id"] == str(high) and overdue["days_overdue"] == 3
    assert (
        overdue["tier"] == 1 and overdue["last_visitor"] == "马主任" and overdue["due_on"] == START + timedelta(days=7)
    )

    visit(registry, high, clock.today)
    assert registry.overdue_contacts(limit=10)["items"] == []
    clock.today = START + timedelta(days=100)
    assert [o["child_id"] for o in registry.overdue_contacts(limit=10)["items"]] == [str(high), str(low)]
    assert registry.overdue_contacts(limit=10, tier=3)["items"][0]["days_overdue"] == 10


def test_cadence_is_configurable(make_app, clock, monkeypatch):
    monkeypatch.setenv("CONTACT_CADENCE_DAYS", "3,14,60")
    registry = make_app(RegistryApplication)
    registry.clock = clock
    child_id = registry.register_child(**CHILD)
    visit(registry, child_id, START)
    assert registry.assess_risk(child_id, level=1, reasons=["x"])["next_contact_due"] == START + timedelta(days=3)
    clock.today = START + timedelta(days=4)
    assert registry.overdue_contacts(limit=10)["items"][0]["cadence_days"] == 3


@pytest.mark.parametrize("setting", ["7,30", "7,30,0", "7,30,ninety"])
def test_a_bad_cadence_setting_fails_at_start(make_app, monkeypatch, setting):
    monkeypatch.setenv("CONTACT_CADENCE_DAYS", setting)
    with pytest.raises(ValueError):
        make_app(RegistryApplication)


@pytest.mark.parametrize("split", ["REGISTRY_CONTACT_CADENCE_DAYS", "CASEWORK_CONTACT_CADENCE_DAYS"])
def test_a_cadence_set_for_one_service_only_is_refused(make_app, monkeypatch, split):
    """One cadence for the registry's due dates and casework's report: a
    per-service setting could split them, so the registry will not start."""
    monkeypatch.setenv(split, "3,14,60")
    with pytest.raises(ValueError, match="CONTACT_CADENCE_DAYS"):
        make_app(RegistryApplication)


def test_daily_job_ends_left_behind_at_16_and_closes_the_file_at_18(registry, clock):
    child_id = registry.register_child(**CHILD)
    registry.assess_risk(child_id, level=2, reasons=["x"])
    clock.today = date(2025, 6, 9)
    assert registry.run_daily() == {"left_behind_ended": 0, "aged_out": 0}
    clock.today = date(2025, 6, 10)
    assert registry.run_daily() == {"left_behind_ended": 1, "aged_out": 0}
    assert registry.run_daily() == {"left_behind_ended": 0, "aged_out": 0}
    assert registry.get_child(child_id)["categories"] == ["distressed"]

    clock.today = date(2027, 6, 10)
    assert registry.run_daily() == {"left_behind_ended": 0, "aged_out": 1}
    closed = registry.get_child(child_id)
    assert closed["status"] == "aged_out" and closed["closed_on"] == date(2027, 6, 10)
    assert registry.list_children(limit=10)["items"] == []
    assert registry.overdue_contacts(limit=10)["items"] == []
    with pytest.raises(InvalidChild):
        visit(registry, child_id, clock.today)


def test_a_job_that_missed_days_still_dates_events_on_the_birthday(registry, clock):
    child_id = registry.register_child(**CHILD)
    clock.today = date(2027, 7, 1)
    assert registry.run_daily() == {"left_behind_ended": 1, "aged_out": 1}
    history = {c["event"]: c["data"] for c in registry.child_history(child_id)}
    assert history["left_behind_ended"]["ended_on"] == "2025-06-10"
    assert history["aged_out"]["aged_out_on"] == "2027-06-10"


def test_transfer_out_closes_the_file_and_is_refused_twice(registry):
    child_id = registry.register_child(**CHILD)
    done = registry.transfer_out(child_id, destination="银川市兴庆区", reason="family moved")
    assert done["status"] == "transferred_out"
    with pytest.raises(InvalidChild) as refused:
        registry.transfer_out(child_id, destination="x", reason="y")
    assert "child_id" in refused.value.fields
    with pytest.raises(InvalidChild) as future:
        registry.transfer_out(
            registry.register_child(**{**CHILD, "name": "马丽"}),
            destination="x",
            reason="y",
            transferred_on=START + timedelta(days=1),
        )
    assert "transferred_on" in future.value.fields


def test_contacts_due_give_each_assessed_file_its_due_date_by_the_configured_cadence(make_app, clock, monkeypatch):
    monkeypatch.setenv("CONTACT_CADENCE_DAYS", "3,14,60")
    registry = make_app(RegistryApplication)
    registry.clock = clock
    visited = registry.register_child(**CHILD)
    visit(registry, visited, START - timedelta(days=1))
    registry.assess_risk(visited, level=1, reasons=["x"])
    never = registry.register_child(**{**CHILD, "name": "李小花", "village": "东园村"})
    registry.assess_risk(never, level=2, reasons=["x"])
    registry.register_child(**{**CHILD, "name": "未评估"})  # no tier: nothing due
    due = {row["name"]: row for row in registry.contacts_due()}
    assert {name: (row["tier"], row["due_on"], row["status"]) for name, row in due.items()} == {
        "王小明": (1, START + timedelta(days=2), "active"),
        "李小花": (2, START + timedelta(days=14), "active"),
    }
    assert [row["name"] for row in registry.contacts_due(town="东园镇", village="东园村")] == ["李小花"]


def test_contacts_due_keep_a_transferred_files_status_for_the_reminders_to_drop(registry):
    child_id = registry.register_child(**CHILD)
    registry.assess_risk(child_id, level=1, reasons=["x"])
    registry.transfer_out(child_id, destination="银川市兴庆区", reason="family moved")
    assert [row["status"] for row in registry.contacts_due()] == ["transferred_out"]
