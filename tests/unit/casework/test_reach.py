"""Which children a contract reaches (issue 13 item 2): those living in its
service area, and those the bureau or the child's director referred to it; a
referral is a recorded decision and can be withdrawn. The gateway confines
provider staff to this reach (tests/e2e/test_provider_reach.py)."""

import uuid
from datetime import date

import pytest

from services.casework.exceptions import ContractNotFound, RosterChildNotFound
from shared.context import CallMeta, acting_as
from shared.errors import RuleViolation
from tests.support.casework import Grants

ORG, OTHER_ORG = uuid.uuid4(), uuid.uuid4()
AREA = [{"town": "滨河镇", "village": "新北村"}, {"town": "宣和镇", "village": None}]


@pytest.fixture
def grants(casework):
    return Grants(casework)


@pytest.fixture
def contract(grants):
    contract_id = uuid.uuid4()
    grants.contract_signed(contract_id, ["life_care"], service_area=AREA, organization_id=ORG)
    return contract_id


def reach(casework, child, organization_id=ORG):
    return [(r["contract_id"], r["via"]) for r in casework.child_reach(child, organization_id=organization_id)]


def test_a_contract_reaches_the_children_living_in_its_service_area(casework, registry, contract):
    in_village = registry.register(town="滨河镇", village="新北村")
    in_whole_town = registry.register(town="宣和镇", village="喜沟村")
    next_village = registry.register(town="滨河镇", village="黄湾村")
    same_name_other_town = registry.register(town="文昌镇", village="黄湾村")
    assert reach(casework, in_village) == [(contract, "service_area")]
    assert reach(casework, in_whole_town) == [(contract, "service_area")]
    assert reach(casework, next_village) == [] and reach(casework, same_name_other_town) == []
    assert casework.reaches(in_village, contract) and not casework.reaches(next_village, contract)
    assert reach(casework, in_village, organization_id=OTHER_ORG) == []


def test_a_child_who_moves_out_of_the_area_is_no_longer_reached(casework, registry, contract):
    child = registry.register(town="滨河镇", village="新北村")
    registry.correct(child, "village", "黄湾村")
    assert reach(casework, child) == [] and not casework.reaches(child, contract)


def test_a_referral_brings_a_child_into_reach_until_it_is_withdrawn(casework, registry, contract):
    child = registry.register(town="迎水桥镇", village="沙坡头村")
    assert not casework.reaches(child, contract)
    with acting_as(CallMeta(actor_id="director-li", actor_role="child_director")):
        casework.refer_child(child, contract_id=contract, reason="需要个案服务，本村无承接机构")
    assert reach(casework, child) == [(contract, "referral")] and casework.reaches(child, contract)
    (referral,) = casework.get_roster_child(child)["referrals"]
    assert referral["referred_by"] == "director-li" and referral["referred_on"] == date(2025, 9, 30)
    with acting_as(CallMeta(actor_id="admin", actor_role="bureau_admin")):
        casework.withdraw_referral(child, contract_id=contract, reason="已转介至本地机构")
    assert reach(casework, child) == [] and not casework.reaches(child, contract)
    assert casework.get_roster_child(child)["referrals"] == []


def test_referrals_are_refused_without_a_reason_twice_or_to_an_unknown_contract(casework, registry, contract):
    child = registry.register(town="迎水桥镇", village="沙坡头村")
    with pytest.raises(RuleViolation) as error:
        casework.refer_child(child, contract_id=contract, reason="  ")
    assert "reason" in error.value.fields
    with pytest.raises(RuleViolation) as error:
        casework.refer_child(child, contract_id=uuid.uuid4(), reason="转介")
    assert "contract_id" in error.value.fields
    with pytest.raises(RuleViolation) as error:
        casework.refer_child(child, contract_id=contract, reason="转介", referred_on=date(2025, 10, 1))
    assert "referred_on" in error.value.fields
    casework.refer_child(child, contract_id=contract, reason="转介")
    with pytest.raises(RuleViolation) as error:
        casework.refer_child(child, contract_id=contract, reason="再次转介")
    assert "contract_id" in error.value.fields
    with pytest.raises(RuleViolation) as error:
        casework.withdraw_referral(child, contract_id=uuid.uuid4(), reason="撤回")
    assert "contract_id" in error.value.fields
    with pytest.raises(RosterChildNotFound):
        casework.refer_child(uuid.uuid4(), contract_id=contract, reason="转介")


def test_a_contract_signed_before_service_areas_reaches_only_referred_children(casework, registry, grants):
    old = uuid.uuid4()
    grants.contract_signed(old, ["life_care"], organization_id=ORG)  # v1: no area
    child = registry.register(town="滨河镇", village="新北村")
    assert not casework.reaches(child, old)
    casework.refer_child(child, contract_id=old, reason="旧合同转介")
    assert casework.reaches(child, old)


def test_a_child_who_left_the_programme_is_reached_by_no_contract(casework, registry, contract):
    child = registry.register(town="滨河镇", village="新北村")
    registry.transfer_out(child, date(2025, 8, 1))
    assert reach(casework, child) == [] and not casework.reaches(child, contract)


def reached_ids(casework, contract, limit=500, after=None):
    return [row["child_id"] for row in casework.list_reached(contract, limit=limit, after=after)]


def test_the_list_of_a_contracts_children_is_those_it_reaches(casework, registry, contract):
    in_area = registry.register(town="滨河镇", village="新北村")
    in_town = registry.register(town="宣和镇", village="喜沟村")
    moved = registry.register(town="滨河镇", village="新北村")
    registry.correct(moved, "village", "黄湾村")
    left = registry.register(town="滨河镇", village="新北村")
    registry.transfer_out(left, date(2025, 8, 1))
    referred = registry.register(town="迎水桥镇", village="沙坡头村")
    withdrawn = registry.register(town="迎水桥镇", village="沙坡头村")
    outside = registry.register(town="迎水桥镇", village="沙坡头村")
    with acting_as(CallMeta(actor_id="admin", actor_role="bureau_admin")):
        casework.refer_child(referred, contract_id=contract, reason="转介")
        casework.refer_child(withdrawn, contract_id=contract, reason="转介")
        casework.withdraw_referral(withdrawn, contract_id=contract, reason="已由本地机构承接")
    listed = reached_ids(casework, contract)
    assert sorted(listed, key=str) == sorted([in_area, in_town, referred], key=str)
    for child in (in_area, in_town, referred, moved, left, withdrawn, outside):
        assert (child in listed) == casework.reaches(child, contract)
    row = casework.list_reached(contract, limit=500, after=None)[0]
    assert {"child_id", "name", "date_of_birth", "town", "village"} <= set(row)


def test_the_list_of_a_contracts_children_pages_and_needs_a_known_contract(casework, registry, contract):
    children = sorted((registry.register(town="滨河镇", village="新北村") for _ in range(3)), key=str)
    first = reached_ids(casework, contract, limit=2)
    assert first == children[:2]
    assert reached_ids(casework, contract, limit=2, after=str(first[-1])) == children[2:]
    with pytest.raises(ContractNotFound):
        casework.list_reached(uuid.uuid4(), limit=10, after=None)
