"""Casework follows each contract's status from grants' lifecycle events: a
terminated or closed contract reaches no child and covers no place; a
suspended one (暂停) still reads its children but takes no new work; new work
under any of them is refused (卫沙民社函〔2025〕11号 §七, docs/casework.md)."""

import uuid
from datetime import date

import pytest

from services.casework.exceptions import ContractNotActive
from tests.support.casework import Grants

ORG = uuid.uuid4()
AREA = [{"town": "滨河镇", "village": "新北村"}]
PLACE = [("滨河镇", "新北村")]


@pytest.fixture
def grants(casework):
    return Grants(casework)


@pytest.fixture
def contract(grants):
    contract_id = uuid.uuid4()
    grants.contract_signed(contract_id, ["tiered_management"], service_area=AREA, organization_id=ORG)
    return contract_id


def terminate(grants, contract_id):
    return grants.message(
        "grants.contract_terminated.v2",
        contract_id=contract_id,
        organization_id=ORG,
        reason="force_majeure",
        terminated_on=date(2025, 9, 1),
        recovery_rule="unspent_undelivered",
        recovery_fen=None,
        delivered_fen=0,
        basis="洪灾",
    )


def suspend(grants, contract_id):
    grants.publish(
        "grants.contract_suspended.v1", contract_id=contract_id, reason="整改", suspended_on=date(2025, 9, 1)
    )


def open_case(app, child, contract_id):
    return app.open_case(
        child_id=child,
        contract_id=contract_id,
        worker="社工甲",
        opened_on=date(2025, 7, 3),
        referral_source="registry tier 1",
        presenting_needs="留守",
    )


def test_a_terminated_contract_reaches_no_child_and_covers_no_place(casework, registry, grants, contract):
    child = registry.register(town="滨河镇", village="新北村")
    assert casework.reaches(child, contract) and casework.contracts_covering(ORG, PLACE) == [contract]
    message = terminate(grants, contract)
    grants.consumer.receive(message)
    grants.consumer.receive(message)  # replayed: consumed once
    assert casework.child_reach(child, organization_id=ORG) == []
    assert not casework.reaches(child, contract)
    assert casework.list_reached(contract, limit=10, after=None) == []
    assert casework.contracts_covering(ORG, PLACE) == []


def test_a_reinstatement_does_not_revive_a_terminated_contract(casework, registry, grants, contract):
    child = registry.register(town="滨河镇", village="新北村")
    grants.consumer.receive(terminate(grants, contract))
    grants.publish("grants.contract_reinstated.v1", contract_id=contract, reinstated_on=date(2025, 9, 2))
    assert not casework.reaches(child, contract)


def test_a_closed_contract_reaches_no_child(casework, registry, grants, contract):
    child = registry.register(town="滨河镇", village="新北村")
    grants.publish("grants.completion_recorded.v1", contract_id=contract, completed_on=date(2025, 9, 1))
    assert casework.child_reach(child, organization_id=ORG) == []
    assert casework.contracts_covering(ORG, PLACE) == []
    with pytest.raises(ContractNotActive) as error:
        open_case(casework, child, contract)
    assert error.value.details() == {"contract_id": str(contract), "contract_status": "closed"}


def test_a_suspended_contract_still_reads_but_takes_no_new_work_until_reinstated(casework, registry, grants, contract):
    child = registry.register(town="滨河镇", village="新北村")
    suspend(grants, contract)
    assert [r["contract_id"] for r in casework.child_reach(child, organization_id=ORG)] == [contract]
    assert casework.contracts_covering(ORG, PLACE) == []
    with pytest.raises(ContractNotActive):
        open_case(casework, child, contract)
    grants.publish("grants.contract_reinstated.v1", contract_id=contract, reinstated_on=date(2025, 9, 2))
    assert casework.contracts_covering(ORG, PLACE) == [contract]
    assert open_case(casework, child, contract)


def test_every_kind_of_new_work_under_an_ended_contract_is_refused(casework, registry, grants, contract):
    child = registry.register(town="滨河镇", village="新北村", born=date(2015, 1, 1))
    case_id = open_case(casework, child, contract)
    group_id = casework.form_group(
        name="情绪小组",
        purpose="情绪管理",
        service_line="tiered_management",
        contract_id=contract,
        min_age=8,
        max_age=12,
        formed_on=date(2025, 7, 15),
        worker="社工乙",
        member_ids=[child],
    )
    grants.consumer.receive(terminate(grants, contract))
    attempts = {
        "open_case": lambda: open_case(casework, registry.register(town="滨河镇", village="新北村"), contract),
        "case_session": lambda: casework.record_case_session(
            case_id, held_on=date(2025, 9, 2), worker="社工甲", session_type="home_visit", duration_minutes=60, notes=""
        ),
        "form_group": lambda: casework.form_group(
            name="新小组",
            purpose="情绪管理",
            service_line="tiered_management",
            contract_id=contract,
            min_age=8,
            max_age=12,
            formed_on=date(2025, 9, 2),
            worker="社工乙",
            member_ids=[child],
        ),
        "group_session": lambda: casework.record_group_session(
            group_id,
            held_on=date(2025, 9, 2),
            topic="认识情绪",
            worker="社工乙",
            duration_minutes=90,
            attended_child_ids=[child],
        ),
        "activity": lambda: casework.record_activity(
            kind="safety_education_children",
            title="防溺水课堂",
            held_on=date(2025, 9, 2),
            contract_id=contract,
            town="滨河镇",
            village="新北村",
            child_ids=[],
            guardian_count=0,
            community_count=5,
            topics=["drowning"],
            theme=None,
            organization_id=None,
            worker="社工丙",
        ),
        "care": lambda: casework.give_care_service(
            child_id=child,
            contract_id=contract,
            kind="hardship_aid",
            given_on=date(2025, 9, 2),
            value_fen=50000,
            resource="爱心企业",
            occasion="开学",
            worker="社工丙",
            notes="",
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ContractNotActive) as error:
            attempt()
        assert error.value.code == "CONTRACT_NOT_ACTIVE" and error.value.status == "terminated", name
    assert casework.get_case(case_id)["sessions"] == []


def test_status_events_for_an_unknown_contract_are_ignored(casework, grants):
    suspend(grants, uuid.uuid4())  # logged, nothing recorded, nothing raised
