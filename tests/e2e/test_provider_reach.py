"""Provider staff reach only the children their organisation's contracts serve
(issue 13 item 2), and a child director cannot move a child out of their village
(item 11), against a running system. Our contract's service area is 新北村 of
滨河镇; a child registered in 沙坡头村 of 迎水桥镇 (their contract's area) is
outside it until the bureau or the child's director refers the child to us."""

import pytest

from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System
from tests.support.world import ELSEWHERE, HOME, World, build_world, day, ok, registered_child


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("reach"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


@pytest.fixture
def outsider(world) -> str:
    """A fresh child outside our contract's area, with no case anywhere."""
    return registered_child(world.system, ELSEWHERE)


def hidden(response, child_id: str) -> None:
    """Refused as if the child did not exist: 404, and nothing about the child."""
    assert response.status_code == 404, (response.request.method, response.request.url, response.text)
    body = response.json()
    assert body["error"] == "NOT_FOUND" and child_id in body["message"]


def case_for(child_id: str, contract_id: str) -> dict:
    return {"child_id": child_id, "contract_id": contract_id, "worker": "社工甲", "opened_on": day(0)}


def test_a_case_cannot_be_opened_for_a_child_outside_the_contracts_area(world, outsider):
    provider = world.clients["provider_staff"]
    hidden(provider.post("/cases", json=case_for(outsider, world.ours.contract_id)), outsider)
    cases = world.system.api.get("/cases", params={"child_id": outsider}).json()["items"]
    assert cases == []


def test_a_childs_file_outside_the_area_stays_closed_to_the_provider(world, outsider):
    provider = world.clients["provider_staff"]
    hidden(provider.get(f"/children/{outsider}"), outsider)
    hidden(provider.get(f"/casework/children/{outsider}"), outsider)
    hidden(provider.get(f"/casework/children/{outsider}/reach"), outsider)
    assert provider.get(f"/children/{world.child}").status_code == 200


def test_a_child_outside_the_area_cannot_join_the_providers_group(world, outsider):
    provider = world.clients["provider_staff"]
    hidden(provider.post(f"/groups/{world.group}/members", json={"child_ids": [outsider]}), outsider)
    hidden(
        provider.post(
            "/groups",
            json={
                "name": "越界小组",
                "purpose": "人际交往",
                "contract_id": world.ours.contract_id,
                "min_age": 0,
                "max_age": 17,
                "formed_on": day(0),
                "worker": "社工乙",
                "member_ids": [outsider],
            },
        ),
        outsider,
    )
    group = world.system.api.get(f"/groups/{world.group}").json()
    assert outsider not in group["member_ids"]
    ok(provider.post(f"/groups/{world.group}/members", json={"child_ids": [world.child]}))


def test_care_and_activities_cannot_be_recorded_for_a_child_outside_the_area(world, outsider):
    provider = world.clients["provider_staff"]
    care = {"contract_id": world.ours.contract_id, "kind": "festival_visit", "given_on": day(0), "worker": "社工甲"}
    hidden(provider.post("/care-services", json={**care, "child_id": outsider}), outsider)
    activity = {
        "kind": "protection_publicity",
        "title": "护童宣传",
        "held_on": day(0),
        "contract_id": world.ours.contract_id,
        "worker": "社工甲",
    }
    hidden(provider.post("/activities", json={**activity, "child_ids": [outsider]}), outsider)
    care_rows = world.system.api.get("/care-services", params={"child_id": outsider}).json()["items"]
    assert care_rows == []
    ok(provider.post("/care-services", json={**care, "child_id": world.child}), 201)


def test_a_referral_by_the_childs_director_opens_the_child_to_the_contract_until_withdrawn(world, outsider):
    provider = world.clients["provider_staff"]
    their_director = world.system.login("child_director", **ELSEWHERE)
    our_director = world.clients["child_director"]
    referral = {"contract_id": world.ours.contract_id, "reason": "需要心理辅导，本地机构无此服务"}
    hidden(our_director.post(f"/casework/children/{outsider}/referrals", json=referral), outsider)
    referred = ok(their_director.post(f"/casework/children/{outsider}/referrals", json=referral))
    assert [r["contract_id"] for r in referred["referrals"]] == [world.ours.contract_id]
    reach = world.system.api.get(f"/casework/children/{outsider}/reach").json()["contracts"]
    assert {(r["contract_id"], r["via"]) for r in reach} == {
        (world.ours.contract_id, "referral"),
        (world.theirs.contract_id, "service_area"),
    }
    assert provider.get(f"/children/{outsider}").status_code == 200
    seen = ok(provider.get(f"/casework/children/{outsider}/reach"))["contracts"]
    assert [(r["contract_id"], r["via"]) for r in seen] == [(world.ours.contract_id, "referral")]
    ok(provider.post("/cases", json=case_for(outsider, world.ours.contract_id)), 201)

    ok(
        world.system.api.post(
            f"/casework/children/{outsider}/referrals/{world.ours.contract_id}/withdrawal",
            json={"reason": "本地机构已可承接"},
        )
    )
    hidden(provider.get(f"/children/{outsider}"), outsider)
    hidden(provider.post(f"/groups/{world.group}/members", json={"child_ids": [outsider]}), outsider)


def test_a_referral_needs_a_reason_and_a_known_contract(world, outsider):
    admin = world.system.api
    refused = admin.post(f"/casework/children/{outsider}/referrals", json={"contract_id": world.ours.contract_id})
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    unknown = admin.post(
        f"/casework/children/{outsider}/referrals",
        json={"contract_id": "00000000-0000-4000-8000-000000000009", "reason": "转介"},
    )
    assert unknown.status_code == 422 and "contract_id" in unknown.json()["fields"]


def test_a_child_director_cannot_move_a_child_out_of_their_village(world):
    director = world.clients["child_director"]
    for field, value in (("village", "黄湾村"), ("town", "文昌镇")):
        refused = director.post(
            f"/children/{world.child}/corrections", json={"field": field, "value": value, "reason": "搬家"}
        )
        assert refused.status_code == 403 and "field" in refused.json()["fields"], refused.text
    assert world.system.api.get(f"/children/{world.child}").json()["village"] == HOME["village"]
    fixed = director.post(
        f"/children/{world.child}/corrections", json={"field": "name", "value": "李小花", "reason": "错字"}
    )
    assert fixed.status_code == 201, fixed.text


# -- organisations cannot certify themselves (item 3) ------------------------------------


def test_provider_staff_submit_evidence_but_only_the_bureau_records_or_verifies_it(world):
    provider, admin = world.clients["provider_staff"], world.system.api
    org = world.ours.organization_id
    self_clear = {
        "kind": "credit_check",
        "list_name": "信用中国严重失信主体名单",
        "subject": "organisation",
        "result": "clear",
        "effective_on": day(0),
    }
    refused = provider.post(f"/organizations/{org}/evidence", json={**self_clear, "source": "本机构自查"})
    assert refused.status_code == 403, refused.text
    evidence_id = ok(provider.post(f"/organizations/{org}/evidence-submissions", json=self_clear), 201)["id"]
    on_file = {e["evidence_id"]: e for e in admin.get(f"/organizations/{org}").json()["evidence"]}
    assert on_file[evidence_id]["status"] == "submitted" and on_file[evidence_id]["verification"] is None
    verification = {"decision": "verified", "source": "信用中国"}
    assert (
        provider.post(f"/organizations/{org}/evidence/{evidence_id}/verification", json=verification).status_code == 403
    )
    verified = ok(admin.post(f"/organizations/{org}/evidence/{evidence_id}/verification", json=verification))
    (entry,) = [e for e in verified["evidence"] if e["evidence_id"] == evidence_id]
    assert entry["status"] == "verified" and entry["verification"]["source"] == "信用中国"
    assert entry["verification"]["verified_by"] == "admin"
