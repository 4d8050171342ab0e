"""A terminated contract's cooperation ends (卫沙民社函〔2025〕11号 §七.(一)), against
a running system: once the bureau terminates our contract through the grants
routes, casework learns of it from grants.contract_terminated.v2 and its
provider staff are refused as if outside the area — they cannot read a child it
reached, file a child in its area, or open a case; and no one can record new
work under it (409 CONTRACT_NOT_ACTIVE)."""

import pytest

from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until
from tests.support.world import HOME, World, build_world, day, ok, post, registered_child


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("ended"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def test_provider_staff_of_a_terminated_contract_lose_reach_and_record_nothing_under_it(world):
    provider, admin = world.clients["provider_staff"], world.system.api
    ours = world.ours.contract_id
    assert provider.get(f"/children/{world.child}").status_code == 200
    fresh = registered_child(world.system, HOME)

    sanction = {"reason": "improper_means", "details": "以不正当手段虚假参与项目申报"}
    assert ok(post(admin, f"/contracts/{ours}/termination", sanction))["status"] == "terminated"

    def unreached() -> bool:
        reach = ok(admin.get(f"/casework/children/{world.child}/reach"))["contracts"]
        return ours not in [c["contract_id"] for c in reach]

    wait_until(unreached, seconds=60, message="casework learning the termination")

    # Reading a child the contract reached: refused as if the child did not exist.
    for path in (f"/children/{world.child}", f"/casework/children/{world.child}"):
        response = provider.get(path)
        assert response.status_code == 404 and response.json()["error"] == "NOT_FOUND", (path, response.text)

    # Filing a child in the (former) area: no contract covers the place.
    filed = provider.post("/children", json=new_child())
    assert filed.status_code == 403, filed.text

    # Opening a case: the provider does not reach the child; the bureau may not
    # record new work under the ended contract either.
    case = {"child_id": fresh, "contract_id": ours, "worker": "社工甲", "opened_on": day(0)}
    assert provider.post("/cases", json=case).status_code == 404
    refused = post(admin, "/cases", case)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert (body["error"], body["contract_id"], body["contract_status"]) == ("CONTRACT_NOT_ACTIVE", ours, "terminated")
    assert admin.get("/cases", params={"child_id": fresh}).json()["items"] == []
