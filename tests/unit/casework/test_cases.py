"""Individual cases on every store kind: the whole life of a case, and every
refusal (unknown or departed child, second open case, dates, closed case,
plan and review rules, closure reasons)."""

import uuid
from datetime import date

import pytest

from services.casework.exceptions import CaseAlreadyOpen, CaseClosed, CaseNotFound
from shared.errors import RuleViolation
from tests.support.casework import TODAY, Registry, casework_app

CONTRACT = uuid.uuid4()


def open_case(app, child_id, opened_on=date(2025, 7, 3)):
    return app.open_case(
        child_id=child_id,
        contract_id=CONTRACT,
        worker="社工甲",
        opened_on=opened_on,
        referral_source="registry tier 1",
        presenting_needs="留守,情绪低落",
    )


def plan(app, case_id, goals=("改善情绪", "恢复学习")):
    app.assess_case(case_id, assessed_on=date(2025, 7, 4), worker="社工甲", summary="评估", needs=["情绪"])
    return app.set_case_plan(
        case_id,
        planned_on=date(2025, 7, 5),
        worker="社工甲",
        goals=[{"description": g, "target_date": date(2025, 12, 31)} for g in goals],
    )


def session(app, case_id, **overrides):
    args = dict(held_on=date(2025, 7, 6), worker="社工甲", session_type="home_visit", duration_minutes=60, notes="家访")
    return app.record_case_session(case_id, **{**args, **overrides})


def refused_field(error) -> set:
    return set(error.value.fields)


def test_a_case_from_intake_to_closure(casework, registry):
    child = registry.register()
    case_id = open_case(casework, child)
    goal_ids = plan(casework, case_id)
    session(casework, case_id)
    session(casework, case_id, held_on=date(2025, 7, 20), session_type="phone", duration_minutes=20)
    casework.review_case(
        case_id,
        reviewed_on=date(2025, 8, 1),
        worker="社工甲",
        notes="进展良好",
        goal_progress=[{"goal_id": g, "status": "achieved"} for g in goal_ids],
    )
    casework.close_case(case_id, closed_on=date(2025, 8, 2), reason="goals_met", worker="社工甲", summary="结案")
    found = casework.get_case(case_id)
    assert found["status"] == "closed" and found["closure"]["reason"] == "goals_met"
    assert [s["duration_minutes"] for s in found["sessions"]] == [60, 20]
    assert [g["status"] for g in found["goals"]] == ["achieved", "achieved"]
    assert found["child_id"] == child and found["contract_id"] == CONTRACT
    assert casework.get_roster_child(child)["open_case_ids"] == []
    # once closed, a new case may be opened for the same child
    assert open_case(casework, child, opened_on=date(2025, 8, 3)) != case_id
    listed = casework.list_cases(limit=10, after=None, child_id=child, status="closed")[0]
    assert [row["case_id"] for row in listed] == [case_id]


def test_unknown_child_is_refused_and_nothing_is_stored(casework, registry):
    registry.register()
    head = casework.head_position()
    with pytest.raises(RuleViolation) as error:
        open_case(casework, uuid.uuid4())
    assert refused_field(error) == {"child_id"}
    assert casework.head_position() == head


@pytest.mark.parametrize("leaving", ["age_out", "transfer_out"])
def test_child_who_left_the_programme_is_refused(casework, registry, leaving):
    child = registry.register()
    getattr(registry, leaving)(child, date(2025, 7, 1))
    with pytest.raises(RuleViolation) as error:
        open_case(casework, child)
    assert "left the programme" in error.value.fields["child_id"][0]


def test_merged_file_is_refused(casework, registry):
    survivor, merged = registry.register(), registry.register()
    registry.merge(survivor, merged, date(2025, 7, 1))
    with pytest.raises(RuleViolation):
        open_case(casework, merged)
    assert open_case(casework, survivor)


def test_second_open_case_for_a_child_is_a_conflict(casework, registry):
    child = registry.register()
    first = open_case(casework, child)
    with pytest.raises(CaseAlreadyOpen) as error:
        open_case(casework, child)
    assert error.value.details() == {"existing_case_id": str(first)}


def test_dates_in_the_future_or_before_opening_are_refused(casework, registry):
    child = registry.register()
    with pytest.raises(RuleViolation) as error:
        open_case(casework, child, opened_on=date(2025, 10, 1))
    assert refused_field(error) == {"opened_on"}
    case_id = open_case(casework, child)
    head = casework.head_position()
    with pytest.raises(RuleViolation) as error:
        session(casework, case_id, held_on=date(2025, 7, 1))
    assert "before the case was opened" in error.value.fields["held_on"][0]
    with pytest.raises(RuleViolation):
        session(casework, case_id, held_on=date(2025, 10, 1))
    with pytest.raises(RuleViolation):
        casework.close_case(case_id, closed_on=date(2025, 7, 2), reason="other", worker="w", summary="")
    assert casework.head_position() == head


@pytest.mark.parametrize(
    "change,field",
    [
        ({"session_type": "telepathy"}, "session_type"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
    ],
)
def test_bad_session_details_are_refused(casework, registry, change, field):
    case_id = open_case(casework, registry.register())
    with pytest.raises(RuleViolation) as error:
        session(casework, case_id, **change)
    assert refused_field(error) == {field}


def test_nothing_is_recorded_on_a_closed_case(casework, registry):
    case_id = open_case(casework, registry.register())
    casework.close_case(case_id, closed_on=date(2025, 7, 4), reason="moved_away", worker="w", summary="")
    for act in (
        lambda: session(casework, case_id),
        lambda: casework.close_case(case_id, closed_on=date(2025, 7, 5), reason="other", worker="w", summary=""),
        lambda: casework.assess_case(case_id, assessed_on=date(2025, 7, 5), worker="w", summary="s", needs=["n"]),
    ):
        with pytest.raises(CaseClosed):
            act()


def test_plan_needs_an_assessment_and_goals(casework, registry):
    case_id = open_case(casework, registry.register())
    with pytest.raises(RuleViolation) as error:
        casework.set_case_plan(
            case_id, planned_on=date(2025, 7, 5), worker="w", goals=[{"description": "g", "target_date": None}]
        )
    assert "assess" in error.value.fields["goals"][0]
    casework.assess_case(case_id, assessed_on=date(2025, 7, 4), worker="w", summary="s", needs=["n"])
    with pytest.raises(RuleViolation):
        casework.set_case_plan(case_id, planned_on=date(2025, 7, 5), worker="w", goals=[])
    with pytest.raises(RuleViolation):
        casework.set_case_plan(
            case_id,
            planned_on=date(2025, 7, 5),
            worker="w",
            goals=[{"description": "g", "target_date": date(2025, 7, 1)}],
        )
    with pytest.raises(RuleViolation) as error:
        casework.assess_case(case_id, assessed_on=date(2025, 7, 4), worker="w", summary="s", needs=[])
    assert refused_field(error) == {"needs"}


def test_review_refuses_goals_not_in_the_plan(casework, registry):
    case_id = open_case(casework, registry.register())
    with pytest.raises(RuleViolation):
        casework.review_case(
            case_id,
            reviewed_on=date(2025, 7, 8),
            worker="w",
            notes="",
            goal_progress=[{"goal_id": uuid.uuid4(), "status": "achieved"}],
        )
    [goal] = plan(casework, case_id, goals=("g",))
    with pytest.raises(RuleViolation) as error:
        casework.review_case(
            case_id,
            reviewed_on=date(2025, 7, 8),
            worker="w",
            notes="",
            goal_progress=[{"goal_id": uuid.uuid4(), "status": "achieved"}],
        )
    assert "not goals of this case" in error.value.fields["goal_progress"][0]
    with pytest.raises(RuleViolation):
        casework.review_case(
            case_id,
            reviewed_on=date(2025, 7, 8),
            worker="w",
            notes="",
            goal_progress=[{"goal_id": goal, "status": "done-ish"}],
        )
    with pytest.raises(RuleViolation):
        casework.review_case(
            case_id,
            reviewed_on=date(2025, 7, 8),
            worker="w",
            notes="",
            goal_progress=[{"goal_id": goal, "status": "achieved"}] * 2,
        )


def test_goals_met_needs_every_goal_achieved(casework, registry):
    case_id = open_case(casework, registry.register())
    with pytest.raises(RuleViolation):
        casework.close_case(case_id, closed_on=date(2025, 7, 9), reason="goals_met", worker="w", summary="")
    first, second = plan(casework, case_id)
    casework.review_case(
        case_id,
        reviewed_on=date(2025, 7, 8),
        worker="w",
        notes="",
        goal_progress=[{"goal_id": first, "status": "achieved"}, {"goal_id": second, "status": "in_progress"}],
    )
    with pytest.raises(RuleViolation) as error:
        casework.close_case(case_id, closed_on=date(2025, 7, 9), reason="goals_met", worker="w", summary="")
    assert refused_field(error) == {"reason"}
    with pytest.raises(RuleViolation):
        casework.close_case(case_id, closed_on=date(2025, 7, 9), reason="bored", worker="w", summary="")
    casework.close_case(case_id, closed_on=date(2025, 7, 9), reason="other", worker="w", summary="")


def test_unknown_case_is_not_found(casework):
    with pytest.raises(CaseNotFound):
        casework.get_case(uuid.uuid4())
    with pytest.raises(CaseNotFound):
        session(casework, uuid.uuid4())


def test_level_one_child_without_open_case_is_on_the_alert_list(casework, registry):
    urgent, calm, gone = registry.register(), registry.register(), registry.register()
    registry.assess(urgent, 1, date(2025, 7, 1), date(2025, 7, 8))
    registry.assess(calm, 2, date(2025, 7, 1), date(2025, 7, 31))
    registry.assess(gone, 1, date(2025, 7, 1), date(2025, 7, 8))
    registry.age_out(gone, date(2025, 7, 2))
    assert [a["child_id"] for a in casework.case_alerts(limit=10, after=None)] == [urgent]
    case_id = open_case(casework, urgent)
    assert casework.case_alerts(limit=10, after=None) == []
    casework.close_case(case_id, closed_on=date(2025, 7, 9), reason="other", worker="w", summary="")
    assert [a["child_id"] for a in casework.case_alerts(limit=10, after=None)] == [urgent]
    registry.assess(urgent, 2, date(2025, 7, 10), date(2025, 8, 9))
    assert casework.case_alerts(limit=10, after=None) == []


@pytest.mark.parametrize("leaving,suggested", [("age_out", "aged_out"), ("transfer_out", "transferred")])
def test_child_leaving_flags_open_cases_for_closure(casework, registry, leaving, suggested):
    child, other = registry.register(), registry.register()
    case_id, untouched = open_case(casework, child), open_case(casework, other)
    getattr(registry, leaving)(child, date(2025, 8, 31))
    flag = casework.get_case(case_id)["flagged_for_closure"]
    assert flag["suggested_reason"] == suggested and flag["flagged_on"] == date(2025, 8, 31)
    assert casework.get_case(untouched)["flagged_for_closure"] is None
    flagged = casework.list_cases(limit=10, after=None, flagged=True)[0]
    assert [row["case_id"] for row in flagged] == [case_id]
    # the worker closes it; sessions before the closure stay recordable until then
    casework.close_case(case_id, closed_on=date(2025, 9, 1), reason=suggested, worker="w", summary="")
    assert casework.list_cases(limit=10, after=None, flagged=True)[0] == []


def test_two_openings_racing_for_one_child_leave_one_case(store_kind, make_app):
    from shared.errors import ConcurrentChange

    if store_kind == "popo":
        pytest.skip("two applications share a store only on SQLite and PostgreSQL")
    first, second = casework_app(make_app), casework_app(make_app)
    child = Registry(first).register()
    raced = []

    def clock_that_lets_the_other_request_win():
        if not raced:
            raced.append(open_case(first, child))
        return TODAY

    second.clock = clock_that_lets_the_other_request_win
    head = first.head_position()
    with pytest.raises(ConcurrentChange):
        open_case(second, child)
    assert first.head_position() == head + 2  # only the winner's case and child events
    assert first.get_roster_child(child)["open_case_ids"] == raced


def test_case_dues_give_open_cases_their_goals_and_next_review(casework, registry):
    child, other, leaving = registry.register(), registry.register(), registry.register()
    case_id = open_case(casework, child)
    goal_ids = plan(casework, case_id)
    casework.review_case(
        case_id,
        reviewed_on=date(2025, 8, 1),
        worker="社工甲",
        notes="进展",
        goal_progress=[{"goal_id": goal_ids[0], "status": "achieved"}],
    )
    unplanned = open_case(casework, other)
    gone = open_case(casework, leaving)
    registry.transfer_out(leaving, date(2025, 9, 1))
    closed = casework.open_case(
        child_id=registry.register(),
        contract_id=uuid.uuid4(),
        worker="社工乙",
        opened_on=date(2025, 7, 3),
        referral_source="x",
        presenting_needs="y",
    )
    casework.close_case(closed, closed_on=date(2025, 7, 4), reason="other", worker="社工乙", summary="结案")

    dues = {row["case_id"]: row for row in casework.case_dues()}
    assert set(dues) == {case_id, unplanned, gone}  # closed cases owe nothing
    assert dues[case_id]["review_due_on"] == date(2025, 10, 30)  # 90 days after the last review
    assert [(g["description"], g["status"]) for g in dues[case_id]["goals"]] == [
        ("改善情绪", "achieved"),
        ("恢复学习", "not_started"),
    ]
    assert dues[unplanned]["review_due_on"] is None and dues[unplanned]["goals"] == []
    assert dues[case_id]["child_active"] and not dues[gone]["child_active"]
    assert casework.case_dues([str(uuid.uuid4())]) == []
    assert {row["case_id"] for row in casework.case_dues([str(CONTRACT)])} == {case_id, unplanned, gone}
