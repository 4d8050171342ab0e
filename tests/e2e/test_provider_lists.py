"""The lists a social worker picks from, against a running system: their own
organisation's contracts (GET /contracts, scoped by the token, never by the
query) and the children a contract reaches (GET /contracts/{id}/children,
卫沙民社函〔2025〕11号 §三.(二)(三)), masked as the role sees a child's file."""

import pytest

from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System
from tests.support.world import ELSEWHERE, World, build_world, ok, registered_child

UNKNOWN = "00000000-0000-4000-8000-000000000009"


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("lists"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def contract_ids(answer: dict) -> list[str]:
    return [c["contract_id"] for c in answer["items"]]


def child_ids(answer: dict) -> list[str]:
    return [c["child_id"] for c in answer["items"]]


def test_provider_staff_list_only_their_own_organisations_contracts(world):
    provider = world.clients["provider_staff"]
    mine = ok(provider.get("/contracts"))
    assert contract_ids(mine) == [world.ours.contract_id]
    row = mine["items"][0]
    assert row["organization_name"] == "阳光社会工作服务中心"
    assert {"service_area", "period_start", "period_end", "status"} <= set(row)
    assert contract_ids(ok(provider.get("/contracts", params={"organization_id": world.ours.organization_id}))) == [
        world.ours.contract_id
    ]


def test_provider_staff_cannot_list_another_organisations_contracts(world):
    provider = world.clients["provider_staff"]
    refused = provider.get("/contracts", params={"organization_id": world.theirs.organization_id})
    assert refused.status_code == 403 and "organization_id" in refused.json()["fields"]
    # A repeated parameter cannot smuggle the other organisation past the check.
    sneaked = provider.get(
        "/contracts",
        params=[("organization_id", world.ours.organization_id), ("organization_id", world.theirs.organization_id)],
    )
    assert contract_ids(ok(sneaked)) == [world.ours.contract_id]


def test_the_bureau_lists_every_contract_or_one_providers(world):
    admin = world.system.api
    every = contract_ids(ok(admin.get("/contracts")))
    assert {world.ours.contract_id, world.theirs.contract_id} <= set(every)
    theirs = ok(admin.get("/contracts", params={"organization_id": world.theirs.organization_id}))
    assert contract_ids(theirs) == [world.theirs.contract_id]
    first = ok(admin.get("/contracts", params={"limit": 1}))
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = ok(admin.get("/contracts", params={"limit": 1, "cursor": first["next_cursor"]}))
    assert contract_ids(rest) != contract_ids(first)
    bad = admin.get("/contracts", params={"organization_id": "not-an-id", "limit": 0})
    assert bad.status_code == 400 and {"organization_id", "limit"} <= set(bad.json()["fields"])


def test_a_contracts_children_are_those_it_reaches_masked_for_provider_staff(world):
    provider = world.clients["provider_staff"]
    reached = ok(provider.get(f"/contracts/{world.ours.contract_id}/children"))
    assert world.child in child_ids(reached) and world.other_child not in child_ids(reached)
    row = next(c for c in reached["items"] if c["child_id"] == world.child)
    file = ok(provider.get(f"/children/{world.child}"))
    assert row["name"] == file["name"]
    # The birth date is cut as in the child's file the provider reads (shared/masking.py).
    assert row["date_of_birth"] == file["date_of_birth"]
    full = ok(world.system.api.get(f"/contracts/{world.ours.contract_id}/children"))
    assert next(c for c in full["items"] if c["child_id"] == world.child)["date_of_birth"] != row["date_of_birth"]


def test_another_organisations_contract_children_are_hidden(world):
    provider = world.clients["provider_staff"]
    for contract in (world.theirs.contract_id, UNKNOWN):
        hidden = provider.get(f"/contracts/{contract}/children")
        assert hidden.status_code == 404 and hidden.json()["error"] == "NOT_FOUND", hidden.text
        assert world.other_child not in hidden.text
    assert world.system.api.get(f"/contracts/{UNKNOWN}/children").status_code == 404


def test_a_referred_child_is_listed_until_the_referral_is_withdrawn(world):
    provider = world.clients["provider_staff"]
    outsider = registered_child(world.system, ELSEWHERE)
    ours = f"/contracts/{world.ours.contract_id}/children"
    assert outsider not in child_ids(ok(provider.get(ours, params={"limit": 500})))
    referral = {"contract_id": world.ours.contract_id, "reason": "需要心理辅导，本地机构无此服务"}
    ok(world.system.api.post(f"/casework/children/{outsider}/referrals", json=referral))
    assert outsider in child_ids(ok(provider.get(ours, params={"limit": 500})))
    ok(
        world.system.api.post(
            f"/casework/children/{outsider}/referrals/{world.ours.contract_id}/withdrawal",
            json={"reason": "本地机构已可承接"},
        )
    )
    assert outsider not in child_ids(ok(provider.get(ours, params={"limit": 500})))


def test_the_children_list_pages(world):
    provider = world.clients["provider_staff"]
    ours = f"/contracts/{world.ours.contract_id}/children"
    registered_child(world.system, {"town": "滨河镇", "village": "新北村"})
    everyone = child_ids(ok(provider.get(ours, params={"limit": 500})))
    assert len(everyone) >= 2
    first = ok(provider.get(ours, params={"limit": 1}))
    second = ok(provider.get(ours, params={"limit": 1, "cursor": first["next_cursor"]}))
    assert child_ids(first) + child_ids(second) == everyone[:2]
    assert provider.get(ours, params={"limit": 100000}).status_code == 400


def test_roles_without_children_to_serve_cannot_list_a_contracts_children(world):
    path = f"/contracts/{world.ours.contract_id}/children"
    for role in ("finance_officer", "reviewer", "child_director"):
        refused = world.clients[role].get(path)
        assert refused.status_code == 403, (role, refused.text)
        assert world.child not in refused.text
    assert world.clients["reviewer"].get("/contracts").status_code == 403
    assert world.clients["auditor"].get(path).status_code == 200
