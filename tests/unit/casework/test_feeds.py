"""Casework's consumption of every registry and finance contract (fixtures
built with shared.envelope.build), and publication of every service to a
child as the casework contracts, on every store kind."""

import logging
import uuid
from datetime import date

from services.casework.domain.cases import CLOSURE_REASONS
from shared import envelope
from shared.consumer import APPLIED
from shared.contracts.casework import CLOSURE_REASONS as PUBLIC_CLOSURE_REASONS
from shared.relay import envelopes_after
from tests.support.casework import Finance, Registry

CONTRACT = uuid.uuid4()


def test_fixtures_honour_the_published_contracts_and_apply_once(casework):
    registry, finance = Registry(casework), Finance(casework)
    child = registry.register()
    assert registry.assess(child, 2, date(2025, 7, 1), date(2025, 7, 31)) == APPLIED
    assert finance.tranche_paid(uuid.uuid4(), 100, date(2025, 7, 1)) == APPLIED
    assert registry.consumer.receive(registry.sent[-1]) == "duplicate"
    assert casework.tracked_position("registry") == 2 and casework.tracked_position("finance") == 1


def test_registration_reaches_the_roster_as_before(casework, registry):
    child = registry.register(name="王小明", town="宣和镇", village="宣和村")
    found = casework.get_roster_child(child)
    assert found["name"] == "王小明" and found["village"] == "宣和村" and found["in_programme"]
    assert [row["child_id"] for row in casework.list_roster(limit=10, after=None)] == [child]


def test_corrections_to_mirrored_fields_apply_and_others_are_ignored(casework, registry):
    child = registry.register()
    registry.correct(child, "village", "沙坡头村")
    registry.correct(child, "date_of_birth", "2014-02-03")
    registry.correct(child, "categories", ["distressed"])
    head = casework.head_position()
    registry.correct(child, "id_number", None)  # private: value withheld
    registry.correct(child, "school", "第一小学")  # not mirrored
    registry.correct(child, "categories", ["aliens"])  # not a category: ignored, logged
    registry.correct(child, "date_of_birth", "not a date")
    assert casework.head_position() == head
    assert casework.tracked_position("registry") == 8  # still tracked: applied once, no effect
    found = casework.get_roster_child(child)
    assert (found["village"], found["date_of_birth"], found["categories"]) == (
        "沙坡头村",
        date(2014, 2, 3),
        ["distressed"],
    )
    assert casework.list_roster(limit=1, after=None)[0]["village"] == "沙坡头村"


def test_risk_level_visit_and_left_behind_end(casework, registry):
    child = registry.register(categories=("left_behind", "distressed"))
    registry.assess(child, 1, date(2025, 7, 1), date(2025, 7, 8))
    registry.visit(child, date(2025, 7, 5))
    registry.publish("registry.left_behind_status_ended.v1", child_id=child, ended_on=date(2025, 7, 6))
    found = casework.get_roster_child(child)
    assert found["risk_level"] == 1 and found["next_contact_due"] == date(2025, 7, 8)
    assert found["categories"] == ["distressed"]


def test_events_for_unknown_children_are_tracked_without_effect(casework, registry):
    assert registry.assess(uuid.uuid4(), 1, date(2025, 7, 1), date(2025, 7, 8)) == APPLIED
    assert registry.age_out(uuid.uuid4(), date(2025, 7, 1)) == APPLIED
    assert casework.head_position() == 0 and casework.tracked_position("registry") == 2


def test_leaving_twice_changes_nothing_more(casework, registry):
    child = registry.register()
    registry.transfer_out(child, date(2025, 7, 1))
    head = casework.head_position()
    registry.age_out(child, date(2025, 8, 1))
    assert casework.head_position() == head
    assert casework.get_roster_child(child)["left"]["reason"] == "transferred_out"


def test_merge_closes_the_merged_file_and_flags_its_open_case(casework, registry):
    survivor, merged = registry.register(), registry.register()
    case_id = casework.open_case(
        child_id=merged,
        contract_id=None,
        worker="w",
        opened_on=date(2025, 7, 1),
        referral_source="",
        presenting_needs="",
    )
    registry.merge(survivor, merged, date(2025, 7, 2))
    assert casework.get_roster_child(merged)["left"]["detail"] == str(survivor)
    assert casework.get_case(case_id)["flagged_for_closure"]["suggested_reason"] == "other"


def test_finance_events_are_recorded_per_contract(casework):
    finance = Finance(casework)
    assert finance.tranche_paid(CONTRACT, 10_000_000, date(2025, 7, 1)) == APPLIED
    assert finance.spent(CONTRACT, 1_000, date(2025, 7, 2)) == APPLIED
    assert finance.donation(None, 5_000, date(2025, 7, 3)) == APPLIED
    assert (
        finance.publish(
            "finance.tranche_withheld.v1",
            contract_id=CONTRACT,
            tranche_id=uuid.uuid4(),
            number=2,
            amount_fen=1,
            reason="suspended",
            withheld_on=date(2025, 7, 4),
        )
        == APPLIED
    )
    assert casework.head_position() == 5  # two ledgers opened, three money events; withholding ignored
    funds = casework.quarterly_report(CONTRACT, 2025, 3)["funds"]
    assert funds["received_fen"]["fiscal"] == 10_000_000 and funds["spent_fen"]["total"] == 1_000


def test_vocabulary_matches_the_public_contracts():
    from services.casework.domain.activities import KIND_LINES
    from services.casework.domain.care import KINDS, service_line_of
    from shared.contracts.common import SERVICE_LINES as PUBLIC_LINES
    from shared.vocabulary import LINE_TITLES, SERVICE_LINES

    assert CLOSURE_REASONS == PUBLIC_CLOSURE_REASONS
    assert SERVICE_LINES == PUBLIC_LINES and set(LINE_TITLES) == set(PUBLIC_LINES)
    assert set(KIND_LINES.values()) | {service_line_of(k) for k in KINDS} <= set(PUBLIC_LINES)


def test_every_service_to_a_child_is_published_per_contract(casework, registry):
    child = registry.register()
    director = casework.appoint_director(
        name="李主任", town="滨河镇", village="新北村", phone=None, appointed_on=date(2025, 1, 1)
    )
    case_id = casework.open_case(
        child_id=child,
        contract_id=CONTRACT,
        worker="w",
        opened_on=date(2025, 7, 1),
        referral_source="",
        presenting_needs="",
    )
    casework.record_case_session(
        case_id, held_on=date(2025, 7, 2), worker="w", session_type="phone", duration_minutes=30, notes="private notes"
    )
    casework.close_case(case_id, closed_on=date(2025, 7, 3), reason="moved_away", worker="w", summary="")
    group = casework.form_group(
        name="g",
        purpose="p",
        service_line="life_care",
        contract_id=CONTRACT,
        min_age=0,
        max_age=17,
        formed_on=date(2025, 7, 1),
        worker="w",
        member_ids=[child],
    )
    casework.record_group_session(
        group, held_on=date(2025, 7, 2), topic="t", worker="w", duration_minutes=60, attended_child_ids=[child]
    )
    casework.record_activity(
        kind="protection_month",
        title="保护月",
        held_on=date(2025, 7, 2),
        contract_id=CONTRACT,
        town="滨河镇",
        village=None,
        child_ids=[child],
        guardian_count=1,
        community_count=30,
        topics=[],
        theme=None,
        organization_id=None,
        worker="w",
    )
    casework.give_care_service(
        child_id=child,
        contract_id=CONTRACT,
        kind="education_aid",
        given_on=date(2025, 7, 2),
        value_fen=80000,
        resource="慈善会",
        occasion=None,
        worker="w",
        notes="",
    )
    casework.hold_supervision(
        kind="supervision",
        held_on=date(2025, 7, 2),
        contract_id=CONTRACT,
        topic="t",
        supervisor="s",
        director_ids=[director],
        duration_minutes=60,
        notes="",
    )
    published, _ = envelopes_after(casework, casework.public_events, 0, 1000, previous=0)
    for message in published:
        envelope.load(message)  # each honours its public contract
    by_type = {m["type"]: m["payload"] for m in published}
    assert sorted(by_type) == sorted(
        [
            "casework.case_opened.v1",
            "casework.session_held.v1",
            "casework.case_closed.v1",
            "casework.group_session_held.v1",
            "casework.activity_held.v1",
            "casework.care_service_given.v1",
            "casework.supervision_held.v1",
        ]
    )
    assert by_type["casework.session_held.v1"]["child_id"] == str(child)
    assert "notes" not in by_type["casework.session_held.v1"]
    assert by_type["casework.case_closed.v1"]["reason"] == "moved_away"
    assert by_type["casework.group_session_held.v1"]["service_line"] == "life_care"
    assert by_type["casework.activity_held.v1"]["service_line"] == "protection_publicity"
    assert by_type["casework.care_service_given.v1"] == {
        "service_id": by_type["casework.care_service_given.v1"]["service_id"],
        "child_id": str(child),
        "contract_id": str(CONTRACT),
        "given_on": "2025-07-02",
        "service_line": "life_care",
        "kind": "education_aid",
        "value_fen": 80000,
        "resource": "慈善会",
    }
    assert by_type["casework.supervision_held.v1"]["director_ids"] == [str(director)]
    # roster bookkeeping and refused commands publish nothing
    assert len(published) == 7


def test_roster_enrolments_stored_before_v2_still_load(casework, registry):
    import json
    from dataclasses import replace

    child = registry.register()
    [notification] = casework.recorder.select_notifications(start=1, limit=1)
    state = json.loads(notification.state)
    state.pop("registered_on")
    state.pop("class_version", None)
    old = replace(notification, state=json.dumps(state).encode())
    event = casework.mapper.to_domain_event(old)
    assert event.registered_on is None and event.name == "孩子" and event.originator_id == child


def test_a_second_registration_of_an_enrolled_child_changes_nothing(casework, registry):
    child = registry.register(name="原名")
    head = casework.head_position()
    assert (
        registry.publish(
            "registry.child_registered.v1",
            child_id=child,
            name="重名",
            gender="male",
            date_of_birth=date(2015, 1, 1),
            town="t",
            village="v",
            categories=["distressed"],
            registered_on=date(2025, 6, 2),
        )
        == APPLIED
    )
    assert casework.head_position() == head and casework.get_roster_child(child)["name"] == "原名"


def test_a_registration_another_replica_took_in_first_is_no_warning(casework, registry, caplog):
    """Two replicas race for one registration: the loser finds the child
    enrolled and the notification tracked. That is logged at INFO, no effect."""
    child = registry.register()
    head = casework.head_position()
    with caplog.at_level(logging.INFO, logger="services.casework.use_cases.feeds"):
        assert casework.handle_registry_event(envelope.load(registry.sent[-1])) == []
    assert casework.head_position() == head
    assert [(r.levelno, str(child) in r.getMessage()) for r in caplog.records] == [(logging.INFO, True)]


def test_a_second_registration_of_an_enrolled_child_is_a_warning(casework, registry, caplog):
    child = registry.register()
    head = casework.head_position()
    again = dict(child_id=child, name="孩子", gender="female", date_of_birth=date(2015, 5, 1), town="滨河镇")
    again.update(village="新北村", categories=["left_behind"], registered_on=date(2025, 6, 2))
    with caplog.at_level(logging.INFO, logger="services.casework.use_cases.feeds"):
        assert registry.publish("registry.child_registered.v1", **again) == APPLIED
    assert casework.head_position() == head and casework.tracked_position("registry") == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(child) in warnings[0] and "already enrolled" in warnings[0]
