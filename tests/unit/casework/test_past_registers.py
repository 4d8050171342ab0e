"""Casework's registers as they stood (issue 17 item 4): cases, groups,
activities, care services and a contract's deliverables rebuilt from
casework's log at the position a read named equal that read, whatever changed
since; a date's end rebuilds at the last position recorded by then; a point
ahead of the log is refused."""

import copy
import uuid
from datetime import date, timedelta

import pytest

from shared.clock import programme_today
from shared.errors import RuleViolation
from tests.support.casework import C, Registry

CONTRACT = uuid.uuid4()
ALL = {"limit": 50, "after": None}


def lists(casework, **point):
    """The lists as read (copied: the live read model's rows change after)."""
    return copy.deepcopy(
        {
            "cases": casework.list_cases(**ALL, **point),
            "groups": casework.list_groups(**ALL, **point),
            "activities": casework.list_activities(**ALL, **point),
            "care": casework.list_care_services(**ALL, **point),
        }
    )


def care(casework, child, kind="hardship_aid", value_fen=50000):
    return casework.give_care_service(
        child_id=child,
        contract_id=CONTRACT,
        kind=kind,
        given_on=date(2025, 8, 1),
        value_fen=value_fen,
        resource="爱心企业",
        occasion="暑假",
        worker="社工丙",
        notes="",
    )


@pytest.fixture
def app(casework):
    casework.clock = programme_today  # a date's end is found by when events were recorded
    return casework


@pytest.fixture
def now(app):
    casework = app
    registry = Registry(casework)
    child = registry.register()
    case_id = casework.open_case(
        child_id=child,
        contract_id=CONTRACT,
        worker="社工甲",
        opened_on=date(2025, 7, 3),
        referral_source="registry tier 1",
        presenting_needs="留守",
    )
    care(casework, child)
    return {
        "lists": lists(casework),
        "report": copy.deepcopy(casework.quarterly_report(C, 2025, 3)),
        "case_id": case_id,
        "child": child,
    }


def change_everything(casework, now):
    casework.close_case(now["case_id"], closed_on=date(2025, 8, 2), reason="other", worker="社工甲", summary="结案")
    care(casework, now["child"], kind="festival_visit", value_fen=None)
    casework.record_activity(
        kind="safety_education_children",
        title="防溺水课堂",
        held_on=date(2025, 7, 20),
        contract_id=C,
        town="滨河镇",
        village="新北村",
        child_ids=[now["child"]],
        guardian_count=0,
        community_count=5,
        topics=["drowning"],
        theme=None,
        organization_id=None,
        worker="社工丙",
    )


def test_every_list_rebuilt_at_its_position_is_the_list_read_then(app, now):
    casework = app
    then = now["lists"]
    positions = {name: position for name, (_rows, position) in then.items()}
    assert set(positions.values()) == {casework.head_position()}
    change_everything(casework, now)
    assert lists(casework) != then
    position = positions["cases"]
    assert lists(casework, as_of_position=position) == then
    # filters apply to the rows as they stood: the case was open then
    (open_then,), _ = casework.list_cases(**ALL, as_of_position=position, status="open", child_id=now["child"])
    assert open_then["case_id"] == now["case_id"]


def test_a_page_read_at_a_position_continues_at_it(app, now):
    casework = app
    position = now["lists"]["care"][1]
    change_everything(casework, now)
    (first,), _ = casework.list_care_services(limit=1, after=None, as_of_position=position)
    rest, _ = casework.list_care_services(limit=50, after=str(first["service_id"]), as_of_position=position)
    assert [first, *rest] == now["lists"]["care"][0]


def test_the_report_as_of_a_date_is_the_report_at_its_last_position(app, now):
    casework = app
    today = casework.quarterly_report(C, 2025, 3, as_of=programme_today())
    assert today == now["report"]
    position = now["report"]["as_of_position"]
    change_everything(casework, now)
    assert casework.quarterly_report(C, 2025, 3) != now["report"]
    assert casework.quarterly_report(C, 2025, 3, as_of_position=position) == now["report"]
    yesterday = programme_today() - timedelta(days=1)
    assert casework.quarterly_report(C, 2025, 3, as_of=yesterday)["as_of_position"] == 0


def test_position_zero_and_yesterday_are_the_empty_registers(app, now):
    casework = app
    assert casework.list_cases(**ALL, as_of_position=0) == ([], 0)
    assert casework.list_groups(**ALL, as_of=programme_today() - timedelta(days=1)) == ([], 0)


def test_a_point_ahead_of_the_log_is_refused(app, now):
    casework = app
    with pytest.raises(RuleViolation) as refused:
        casework.list_cases(**ALL, as_of_position=casework.head_position() + 1)
    assert "as_of_position" in refused.value.fields
    with pytest.raises(RuleViolation) as refused:
        casework.list_activities(**ALL, as_of=programme_today() + timedelta(days=1))
    assert "as_of" in refused.value.fields
    with pytest.raises(RuleViolation) as refused:
        casework.quarterly_report(C, 2025, 3, as_of=programme_today() + timedelta(days=1))
    assert "as_of" in refused.value.fields


def test_the_schemas_refuse_both_points_and_bad_ones():
    from services.casework.schemas import CaseQuery, ReportQuery

    for schema in (CaseQuery(), ReportQuery()):
        assert "as_of_position" in schema.validate({"as_of": "2025-06-01", "as_of_position": "3"})
        assert "as_of" in schema.validate({"as_of": "yesterday"})
        assert "as_of_position" in schema.validate({"as_of_position": "-1"})
