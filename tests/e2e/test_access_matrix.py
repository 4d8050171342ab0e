"""Every route in the OpenAPI document × every role, against a running system
with a small programme in it: an allowed role gets through (a GET answers 200;
a POST reaches the request's own validation), any other role gets 403. A route
the document lists but the policy does not is a failure. Along the way, no
response to a role that must not see ID numbers contains one unmasked, and
none to a role that must not see mental-health details contains them."""
import json
import re

import pytest

from services.gateway.domain import ROLES
from services.gateway.policy import access_for
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System
from tests.support.world import MENTAL_HEALTH, World, build_world, day

# The rule, stated here independently of the gateway's own constants.
SEES_ID_NUMBERS = {"bureau_admin", "child_director"}
SEES_MENTAL_HEALTH = {"bureau_admin", "child_director", "provider_staff"}
UNMASKED_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("matrix"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def path_values(w: World) -> dict:
    funding = w.system.api.get(f"/contracts/{w.ours.contract_id}/funding").json()
    return {
        "child_id": w.child, "case_id": w.case, "group_id": w.group, "campaign_id": w.campaign,
        "contract_id": w.ours.contract_id, "organization_id": w.ours.organization_id,
        "call_id": w.ours.call_id, "application_id": w.ours.application_id, "notice_id": w.ours.notice_id,
        "member_id": w.ours.seats["civil_affairs"], "tranche_id": funding["tranches"][0]["tranche_id"],
        "service": "registry", "aggregate_id": w.child, "period": f"{day(0)[:4]}-Q{(int(day(0)[5:7]) - 1) // 3 + 1}",
        "username": "admin", "recovery_id": "00000000-0000-4000-8000-000000000001",
        "expenditure_id": "00000000-0000-4000-8000-000000000002",
        "objection_id": "00000000-0000-4000-8000-000000000003",
        "report_id": "00000000-0000-4000-8000-000000000004",
    }


def query_for(path: str, w: World) -> dict:
    """Lists a provider may only read per contract take the contract."""
    if path in ("/cases", "/groups", "/activities", "/care-services"):
        return {"contract_id": w.ours.contract_id}
    return {}


# What the scope rules read from a POST body; anything else in it is left out,
# so the request fails its own validation once it is through the guard.
SCOPE_BODY_FIELDS = ("contract_id", "organization_id", "member_id", "town", "village")


def scope_body(w: World) -> dict:
    return {"contract_id": w.ours.contract_id, "organization_id": w.ours.organization_id,
            "member_id": w.ours.seats["civil_affairs"], "town": "滨河镇", "village": "新北村"}


def readable(response) -> str:
    """The body with non-ASCII text as itself, not as JSON escapes."""
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.text


def operations(spec: dict):
    for path, methods in spec["paths"].items():
        for method in methods:
            yield method.upper(), path


def test_every_route_and_role(world):
    spec = world.system.anonymous.get("/openapi.json").json()
    values = path_values(world)
    problems = []
    checked = 0
    seen_unmasked, seen_health = set(), set()
    for method, path in operations(spec):
        access = access_for(method, path)
        if access is None:
            problems.append(f"{method} {path}: no access policy")
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
        if access.public:
            continue
        for role in ROLES:
            client = world.clients[role]
            if method == "GET":
                response = client.get(url, params=query_for(path, world))
            else:
                response = client.post(url, json=scope_body(world))
            checked += 1
            allowed = role in access.roles
            status = response.status_code
            if not allowed and status != 403:
                problems.append(f"{role} {method} {path}: {status}, expected 403")
            elif allowed and method == "GET" and status != 200:
                problems.append(f"{role} {method} {path}: {status} {response.text[:200]}")
            elif allowed and method == "POST" and (status in (401, 403) or status >= 500):
                problems.append(f"{role} {method} {path}: {status} {response.text[:200]}")
            text = readable(response)
            if UNMASKED_ID.search(text):
                seen_unmasked.add(role)
                if role not in SEES_ID_NUMBERS:
                    problems.append(f"{role} {method} {path}: an unmasked ID number")
            if MENTAL_HEALTH["notes"] in text:
                seen_health.add(role)
                if role not in SEES_MENTAL_HEALTH:
                    problems.append(f"{role} {method} {path}: mental-health details")
    assert checked > 400
    # The data the masking hides is really there for the roles that need it.
    assert seen_unmasked == SEES_ID_NUMBERS and seen_health == SEES_MENTAL_HEALTH, (seen_unmasked, seen_health)
    assert not problems, "\n".join(problems)


def test_public_routes_need_no_token(world):
    anonymous = world.system.anonymous
    for path in ("/health", "/openapi.json", "/docs", "/public/notices", "/public/bans"):
        assert anonymous.get(path).status_code == 200, path
    assert anonymous.get("/children").status_code == 401
