"""Line 1 (摸底走访建档, 卫沙民社函〔2025〕11号 §三.(四).1) as the provider's deliverable,
against a running system (issue 14 items 1 and 2): provider staff open files,
visit and run a screening campaign in their contract's service area (滨河镇
新北村) under the contract the gateway derives; anything outside it is refused;
a paper form typed in after the campaign keeps the day the child was found; and
the quarterly report credits only their contract's line-1 work, while the other
organisation's contract shows a gap on line 1."""

import uuid
from datetime import date, timedelta

import pytest

from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until
from tests.support.world import ELSEWHERE, HOME, World, build_world, day, ok, post


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("line1"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def refused(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, (response.request.method, response.request.url, response.text)
    body = response.json()
    assert set(fields) <= set(body["fields"]), body
    return body


def this_quarter() -> str:
    today = date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def line_one(client, contract_id: str) -> dict:
    return ok(client.get(f"/contracts/{contract_id}/reports/quarterly/{this_quarter()}"))


def test_provider_staff_do_line_one_in_their_area_and_the_report_credits_only_their_contract(world):
    provider, admin, director = world.clients["provider_staff"], world.system.api, world.clients["child_director"]
    ours, theirs = world.ours.contract_id, world.theirs.contract_id

    # A file opened by provider staff in their area is opened under their contract.
    child = ok(provider.post("/children", json=new_child()), 201)["id"]
    file = ok(admin.get(f"/children/{child}"))
    assert file["contract_id"] == ours and file["found_on"] == day(0)

    # A director's visit (no contract) is the district's, not the provider's.
    ok(
        director.post(
            f"/children/{world.child}/visits", json={"visited_on": day(0), "visitor": "李主任", "findings": "好"}
        ),
        201,
    )
    # The provider's visit, dated by its paper form two days ago.
    visit = {"visited_on": day(-2), "visitor": "社工甲", "findings": "父母外出务工，祖母照料", "household": "马家"}
    ok(provider.post(f"/children/{child}/visits", json=visit), 201)
    [recorded] = ok(admin.get(f"/children/{child}"))["visits"]
    assert recorded["contract_id"] == ours and recorded["visited_on"] == day(-2)

    # A screening campaign run by the provider, over its own area.
    campaign = ok(
        provider.post(
            "/screening-campaigns",
            json={
                "name": "新北村摸底",
                "starts_on": day(-30),
                "ends_on": day(-20),
                "targets": [{**HOME, "households": 5}],
            },
        ),
        201,
    )["id"]
    coverage = ok(provider.get(f"/screening-campaigns/{campaign}/coverage"))
    assert coverage["contract_id"] == ours
    # A paper form typed in after the campaign ended keeps the day the child was found.
    found = ok(provider.post("/children", json={**new_child(), "campaign_id": campaign, "found_on": day(-25)}), 201)[
        "id"
    ]
    assert ok(admin.get(f"/children/{found}"))["found_on"] == day(-25)
    assert ok(provider.get(f"/screening-campaigns/{campaign}/coverage"))["children_found"] == 1

    # The report: only our contract's files and visits on line 1; theirs shows a gap.
    def credited():
        report = line_one(provider, ours)
        return report if report["screening_and_files"]["files_opened"] == 2 else None

    report = wait_until(credited, seconds=60, message="casework crediting our line-1 work")
    assert report["screening_and_files"] == {
        "children_reached": 2,
        "households_visited": 1,
        "visits": 1,
        "files_opened": 2,
    }
    assert "screening_and_files" not in {g["line"] for g in report["gaps"]}
    other = line_one(admin, theirs)
    assert other["screening_and_files"] == {
        "children_reached": 0,
        "households_visited": 0,
        "visits": 0,
        "files_opened": 0,
    }
    assert "screening_and_files" in {g["line"] for g in other["gaps"]}
    assert other["registry"]["visits"] >= 2  # the district saw both visits


def test_provider_staff_are_refused_outside_their_contracts_area(world):
    provider = world.clients["provider_staff"]
    body = refused(provider.post("/children", json={**new_child(), **ELSEWHERE}), 403, "village")
    assert body["error"] == "FORBIDDEN"
    # Naming another organisation's contract, or ours for a place it does not cover.
    refused(
        provider.post("/children", json={**new_child(), **ELSEWHERE, "contract_id": world.theirs.contract_id}),
        403,
        "contract_id",
    )
    refused(provider.post("/children", json={**new_child(), **ELSEWHERE, "contract_id": world.ours.contract_id}), 403)
    # A visit to a child outside the area: as if the child did not exist.
    visit = {"visited_on": day(0), "visitor": "社工甲", "findings": "越界"}
    hidden = refused(provider.post(f"/children/{world.other_child}/visits", json=visit), 404)
    assert world.other_child in hidden["message"]
    assert ok(world.system.api.get(f"/children/{world.other_child}"))["visits"] == []
    refused(
        provider.post(
            "/screening-campaigns",
            json={
                "name": "越界摸底",
                "starts_on": day(0),
                "ends_on": day(5),
                "targets": [{**ELSEWHERE, "households": 3}],
            },
        ),
        403,
        "targets",
    )
    # Lists: only a town or village of the area, named.
    refused(provider.get("/children"), 403, "town")
    refused(provider.get("/children", params=ELSEWHERE), 403, "village")
    listed = ok(provider.get("/children", params=HOME))["items"]
    assert listed and {(c["town"], c["village"]) for c in listed} == {(HOME["town"], HOME["village"])}
    # A campaign not run under our contract (here the bureau's, under none) stays hidden.
    bureaus = ok(
        world.system.api.post(
            "/screening-campaigns",
            json={"name": "区级摸底", "starts_on": day(0), "ends_on": day(5), "targets": [{**HOME, "households": 3}]},
        ),
        201,
    )["id"]
    refused(provider.get(f"/screening-campaigns/{bureaus}/coverage"), 404)
    assert ok(provider.get(f"/screening-campaigns/{world.campaign}/coverage"))["contract_id"] == world.ours.contract_id


def test_provider_staff_list_only_their_organisations_campaigns(world):
    """GET /screening-campaigns for provider staff: one of their organisation's
    contracts, named and checked against the token's organisation; another
    organisation's campaigns (and the bureau's) never appear."""
    provider = world.clients["provider_staff"]
    other_provider = world.system.login("provider_staff", organization_id=world.theirs.organization_id)
    plan = {"starts_on": day(0), "ends_on": day(5)}
    theirs = ok(
        post(
            other_provider,
            "/screening-campaigns",
            {**plan, "name": "星光摸底", "targets": [{**ELSEWHERE, "households": 4}]},
        ),
        201,
    )["campaign_id"]
    bureaus = ok(
        post(
            world.system.api,
            "/screening-campaigns",
            {**plan, "name": "区级摸底2", "targets": [{**HOME, "households": 2}]},
        ),
        201,
    )["campaign_id"]

    listed = ok(provider.get("/screening-campaigns", params={"contract_id": world.ours.contract_id, "limit": 100}))
    assert world.campaign in {c["campaign_id"] for c in listed["items"]}
    assert {c["contract_id"] for c in listed["items"]} == {world.ours.contract_id}
    assert not {theirs, bureaus} & {c["campaign_id"] for c in listed["items"]}
    mine = ok(other_provider.get("/screening-campaigns", params={"contract_id": world.theirs.contract_id}))["items"]
    assert [c["campaign_id"] for c in mine] == [theirs]

    # Not naming a contract, naming another organisation's, or one that does not exist: refused.
    refused(provider.get("/screening-campaigns"), 403, "contract_id")
    refused(provider.get("/screening-campaigns", params={"contract_id": world.theirs.contract_id}), 403, "contract_id")
    refused(other_provider.get("/screening-campaigns", params={"contract_id": world.ours.contract_id}), 403)
    assert provider.get("/screening-campaigns", params={"contract_id": str(uuid.uuid4())}).status_code in (403, 404)
    refused(provider.get("/screening-campaigns", params={"contract_id": "not-a-uuid"}), 404)
    refused(world.system.api.get("/screening-campaigns", params={"contract_id": "not-a-uuid"}), 400, "contract_id")
    # The bureau still lists every campaign.
    every = {c["campaign_id"] for c in ok(world.system.api.get("/screening-campaigns", params={"limit": 100}))["items"]}
    assert {world.campaign, theirs, bureaus} <= every


def test_only_provider_staff_record_under_a_contract(world):
    admin, director = world.system.api, world.clients["child_director"]
    for client in (admin, director):
        refused(
            client.post("/children", json={**new_child(), "contract_id": world.ours.contract_id}), 403, "contract_id"
        )
    visit = {"visited_on": day(0), "visitor": "李主任", "findings": "好", "contract_id": world.ours.contract_id}
    refused(director.post(f"/children/{world.child}/visits", json=visit), 403, "contract_id")


def test_paper_forms_are_dated_within_limits(world):
    provider = world.clients["provider_staff"]
    child = new_child()
    born = date.fromisoformat(child["date_of_birth"])
    refused(provider.post("/children", json={**child, "found_on": day(1)}), 422, "found_on")
    refused(
        provider.post("/children", json={**child, "found_on": (born - timedelta(days=1)).isoformat()}), 422, "found_on"
    )
    child_id = ok(provider.post("/children", json=child), 201)["id"]
    for visited_on in (day(1), (born - timedelta(days=1)).isoformat()):
        visit = {"visited_on": visited_on, "visitor": "社工甲", "findings": "补录"}
        refused(provider.post(f"/children/{child_id}/visits", json=visit), 422, "visited_on")
    campaign = ok(
        provider.post(
            "/screening-campaigns",
            json={
                "name": "补录检查",
                "starts_on": day(-30),
                "ends_on": day(-20),
                "targets": [{**HOME, "households": 2}],
            },
        ),
        201,
    )["id"]
    # After the campaign ended: without the day found, or with one outside it, refused.
    refused(provider.post("/children", json={**new_child(), "campaign_id": campaign}), 422, "campaign_id")
    refused(
        provider.post("/children", json={**new_child(), "campaign_id": campaign, "found_on": day(-5)}), 422, "found_on"
    )
    assert ok(provider.get(f"/screening-campaigns/{campaign}/coverage"))["children_found"] == 0
