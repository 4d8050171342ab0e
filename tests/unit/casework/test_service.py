"""The casework RPC layer: request shapes refused as 400s before any rule
runs, ids that name nothing as 404s, and answers that travel as JSON."""

import json
import uuid
from datetime import date

import pytest
from nameko.testing.services import worker_factory

from services.casework import schemas as s
from services.casework.application import CaseworkApplication
from services.casework.exceptions import CaseNotFound, ContractNotFound, GroupNotFound
from services.casework.service import CaseworkService
from shared.errors import InvalidInput
from tests.support.casework import TODAY, Grants, Registry


@pytest.fixture
def app():
    made = CaseworkApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    made.clock = lambda: TODAY
    return made


@pytest.fixture
def service(app):
    return worker_factory(CaseworkService, store=app)


@pytest.mark.parametrize("period", ["2025-Q0", "2025-Q5", "1999-Q1", "2025Q1", "2025-q1", "", "2025-Q1x"])
def test_bad_period_is_invalid_input(service, period):
    with pytest.raises(InvalidInput) as error:
        service.quarterly_report(str(uuid.uuid4()), period)
    assert set(error.value.fields) == {"period"}


@pytest.mark.parametrize(
    "params,field",
    [
        ({"expected_lines": "knitting"}, "expected_lines"),
        ({"expected_lines": ","}, "expected_lines"),
        ({"as_of_position": "-1"}, "as_of_position"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_report_parameters_are_invalid_input(service, params, field):
    with pytest.raises(InvalidInput) as error:
        service.quarterly_report(str(uuid.uuid4()), "2025-Q3", params)
    assert field in error.value.fields


def test_report_for_a_malformed_contract_id_is_not_found(service):
    with pytest.raises(ContractNotFound):
        service.quarterly_report("not-a-uuid", "2025-Q3")


def test_report_is_plain_json_with_the_requested_scope(service):
    report = service.quarterly_report(str(uuid.uuid4()), "2025-Q3", {"expected_lines": "life_care, safety_education"})
    json.dumps(report)
    assert [g["line"] for g in report["gaps"]] == ["life_care", "safety_education"]


@pytest.mark.parametrize(
    "method,body,field",
    [
        ("open_case", {"child_id": "x", "worker": "w", "opened_on": "2025-07-01"}, "child_id"),
        ("open_case", {"child_id": str(uuid.uuid4()), "worker": "", "opened_on": "2025-07-01"}, "worker"),
        ("open_case", {"child_id": str(uuid.uuid4()), "worker": "w", "opened_on": "2025-07-01", "x": 1}, "x"),
        (
            "record_activity",
            {"kind": "monthly_theme", "title": "t", "held_on": "2025-07-01", "worker": "w", "guardian_count": "3"},
            "guardian_count",
        ),
        (
            "record_activity",
            {
                "kind": "safety_education_children",
                "title": "t",
                "held_on": "2025-07-01",
                "worker": "w",
                "topics": ["lava"],
            },
            "topics",
        ),
        (
            "give_care_service",
            {
                "child_id": str(uuid.uuid4()),
                "kind": "hardship_aid",
                "given_on": "2025-07-01",
                "worker": "w",
                "value_fen": 1.5,
            },
            "value_fen",
        ),
        (
            "form_group",
            {"name": "g", "purpose": "p", "min_age": 3, "max_age": 18, "formed_on": "2025-07-01", "worker": "w"},
            "max_age",
        ),
        (
            "appoint_director",
            {"name": "李", "town": "t", "village": "v", "appointed_on": "2025-07-01", "phone": "call me"},
            "phone",
        ),
        (
            "hold_supervision",
            {
                "kind": "supervision",
                "held_on": "2025-07-01",
                "topic": "t",
                "supervisor": "s",
                "director_ids": [],
                "duration_minutes": 60,
            },
            "director_ids",
        ),
    ],
)
def test_bad_shapes_are_invalid_input_before_any_rule(service, app, method, body, field):
    with pytest.raises(InvalidInput) as error:
        getattr(service, method)(body)
    assert field in error.value.fields
    assert app.head_position() == 0


def test_ids_that_are_not_uuids_are_not_found(service):
    with pytest.raises(CaseNotFound):
        service.get_case("nope")
    with pytest.raises(CaseNotFound):
        service.close_case("nope", {"closed_on": "2025-07-01", "reason": "other", "worker": "w"})
    with pytest.raises(GroupNotFound):
        service.record_group_session(
            "nope",
            {
                "held_on": "2025-07-01",
                "topic": "t",
                "worker": "w",
                "duration_minutes": 30,
                "attended_child_ids": [str(uuid.uuid4())],
            },
        )


def test_a_case_round_trips_as_json(service, app):
    child = Registry(app).register()
    created = service.open_case({"child_id": str(child), "worker": "w", "opened_on": "2025-07-01"})
    service.record_case_session(
        created["id"], {"held_on": "2025-07-02", "worker": "w", "session_type": "phone", "duration_minutes": 15}
    )
    found = service.get_case(created["id"])
    json.dumps(found)
    assert found["sessions"][0]["held_on"] == "2025-07-02" and found["status"] == "open"
    listed = service.list_cases({"child_id": str(child), "limit": "1"})
    assert [c["case_id"] for c in listed["items"]] == [created["id"]] and listed["next_cursor"] is None
    assert service.get_roster_child(str(child))["open_case_ids"] == [created["id"]]
    with pytest.raises(InvalidInput):
        service.list_cases({"limit": "0"})
    assert date.fromisoformat(service.get_roster_child(str(child))["date_of_birth"])


def test_the_roster_lists_like_every_other_list(service, app):
    registry = Registry(app)
    children = sorted(str(registry.register()) for _ in range(3))
    first = service.list_roster({"limit": "2"})
    assert [c["child_id"] for c in first["items"]] == children[:2] and first["next_cursor"] == children[1]
    rest = service.list_roster({"cursor": first["next_cursor"]})
    assert [c["child_id"] for c in rest["items"]] == children[2:] and rest["next_cursor"] is None
    json.dumps(rest)
    # every row answers each field the page's schema requires, and nothing it does not declare
    declared = set(s.RosterRowSchema().fields)
    required = {name for name, field in s.RosterRowSchema().fields.items() if field.required}
    for row in first["items"] + rest["items"]:
        assert required <= set(row) <= declared, set(row) ^ declared
        assert row["in_programme"] is True
    registry.transfer_out(uuid.UUID(children[0]), on=TODAY)
    listed = service.list_roster({})["items"]
    assert [row["in_programme"] for row in listed] == [False, True, True]
    with pytest.raises(InvalidInput):
        service.list_roster({"limit": "0"})


def test_reach_over_rpc_referral_shapes_and_unreached_children(app, service):
    registry, grants = Registry(app), Grants(app)
    contract = uuid.uuid4()
    grants.contract_signed(contract, ["life_care"], service_area=[{"town": "滨河镇", "village": None}])
    near, far = registry.register(town="滨河镇"), registry.register(town="迎水桥镇", village="沙坡头村")
    ids = [str(near), str(far), "not-an-id"]
    assert service.unreached(str(contract), ids) == [str(far), "not-an-id"]
    assert service.unreached("nope", [str(near)]) == [str(near)]
    with pytest.raises(InvalidInput) as error:
        service.refer_child(str(far), {"contract_id": str(contract), "reason": "转介", "extra": 1})
    assert "extra" in error.value.fields
    referred = service.refer_child(str(far), {"contract_id": str(contract), "reason": "转介"})
    assert [r["contract_id"] for r in referred["referrals"]] == [str(contract)]
    assert service.unreached(str(contract), ids) == ["not-an-id"]
    reach = service.child_reach(str(far), {})
    assert [(r["contract_id"], r["via"]) for r in reach["contracts"]] == [(str(contract), "referral")]
    json.dumps(reach)
    service.withdraw_referral(str(far), str(contract), {"reason": "撤回"})
    assert service.unreached(str(contract), [str(far)]) == [str(far)]
