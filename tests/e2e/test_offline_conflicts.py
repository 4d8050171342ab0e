"""Offline submissions on the real services: a child director's phone resends
what was recorded offline with `X-Offline-Capture` and its Idempotency-Key.
What lands lands once; what the server refuses on arrival is recorded once as
a conflict (who, what, why — not the body), which the director sees among
their own and the bureau among all, and the bureau resolves."""

import uuid
from datetime import datetime

import pytest

from tests.support.api import Api
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System
from tests.support.world import ELSEWHERE, HOME

CAPTURED = "2026-12-05T06:40:00+08:00"


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("offline"))
        running.start("gateway", "registry")
        try:
            yield running
        finally:
            running.stop_all()


def person(system, role: str, **scope) -> tuple[str, Api]:
    username = f"{role.replace('_', '-')}-{uuid.uuid4().hex[:6]}"
    made = system.api.post(
        "/users",
        json={"username": username, "display_name": username, "role": role, "scope": scope, "password": PASSWORD},
    )
    assert made.status_code == 201, made.text
    return username, system.sign_in(username)


def offline(key: str, captured: str = CAPTURED) -> dict:
    return {"Idempotency-Key": key, "X-Offline-Capture": captured}


def conflicts(client: Api, **params) -> list[dict]:
    answer = client.get("/offline-conflicts", params={"limit": 500, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def mine(items: list[dict], key_paths: set[str]) -> list[dict]:
    return [c for c in items if c["path"] in key_paths]


def test_a_duplicate_file_sent_from_offline_is_a_conflict_for_its_director_and_the_bureau(system):
    director, phone = person(system, "child_director", **HOME)
    _, neighbour = person(system, "child_director", **HOME)
    child = {**new_child(), **HOME}
    assert system.api.post("/children", json=child).status_code == 201
    again = {**child, "name": "重复建档"}
    key = uuid.uuid4().hex

    refused = phone.post("/children", json=again, headers=offline(key))
    resent = phone.post("/children", json=again, headers=offline(key))

    assert (refused.status_code, refused.json()["error"]) == (409, "DUPLICATE_ID_NUMBER")
    assert resent.status_code == 409 and resent.headers["Idempotent-Replayed"] == "true"
    own = [c for c in conflicts(phone) if c["actor"] == director]
    assert len(own) == 1, own
    conflict = own[0]
    assert (conflict["route"], conflict["status"], conflict["error"]) == ("POST /children", 409, "DUPLICATE_ID_NUMBER")
    assert datetime.fromisoformat(conflict["captured_at"]) == datetime.fromisoformat(CAPTURED)
    assert "id_number" in conflict["fields_sent"] and conflict["resolved"] is None
    # what the child's file said stays on the phone: neither the name nor the number is kept
    assert "重复建档" not in str(conflict) and child["id_number"] not in str(conflict)
    # another director of the same village sees none of it; the bureau sees it
    assert [c for c in conflicts(neighbour) if c["conflict_id"] == conflict["conflict_id"]] == []
    assert [c["conflict_id"] for c in conflicts(system.api) if c["actor"] == director] == [conflict["conflict_id"]]


def test_the_bureau_resolves_a_conflict_once_and_only_the_bureau_may(system):
    director, phone = person(system, "child_director", **HOME)
    child = {**new_child(), **HOME}
    assert system.api.post("/children", json=child).status_code == 201
    assert phone.post("/children", json=child, headers=offline(uuid.uuid4().hex)).status_code == 409
    conflict_id = next(c["conflict_id"] for c in conflicts(system.api, open_only="true") if c["actor"] == director)
    path = f"/offline-conflicts/{conflict_id}/resolve"

    assert phone.post(path, json={"note": "我自己处理"}).status_code == 403
    _, auditor = person(system, "auditor")
    assert auditor.post(path, json={"note": "看看"}).status_code == 403
    assert system.api.post(path, json={}).status_code == 400
    assert system.api.post(path, json={"note": "x" * 2001}).status_code == 400
    assert conflicts(system.api, open_only="true") and any(
        c["conflict_id"] == conflict_id for c in conflicts(system.api, open_only="true")
    )

    done = system.api.post(path, json={"note": "已建档，告知主任勿重复"})
    assert done.status_code == 200, done.text
    assert done.json()["resolved"]["by"] == "admin" and done.json()["resolved"]["note"] == "已建档，告知主任勿重复"
    again = system.api.post(path, json={"note": "再处理一次"})
    assert (again.status_code, again.json()["error"]) == (409, "ALREADY_RESOLVED")
    assert all(c["conflict_id"] != conflict_id for c in conflicts(system.api, open_only="true"))
    # the director reads how it was resolved
    assert next(c for c in conflicts(phone) if c["conflict_id"] == conflict_id)["resolved"]["note"].startswith("已建档")
    unknown = system.api.post(f"/offline-conflicts/{uuid.uuid4()}/resolve", json={"note": "无此记录"})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "NOT_FOUND")
    assert system.api.post("/offline-conflicts/not-a-uuid/resolve", json={"note": "无此记录"}).status_code == 404


@pytest.mark.parametrize("role", ["finance_officer", "reviewer", "provider_staff"])
def test_roles_without_children_or_without_the_bureau_s_view_are_refused_the_list(system, role):
    scope = {
        "provider_staff": {"organization_id": str(uuid.uuid4())},
        "reviewer": {"panel_member_ids": [str(uuid.uuid4())]},
    }.get(role, {})
    _, client = person(system, role, **scope)
    answer = client.get("/offline-conflicts")
    assert (answer.status_code, answer.json()["error"]) == (403, "FORBIDDEN")


def test_a_visit_sent_from_offline_lands_once_and_records_no_conflict(system):
    director, phone = person(system, "child_director", **HOME)
    child_id = system.api.post("/children", json={**new_child(), **HOME}).json()["child_id"]
    visit = {"visited_on": "2026-12-04", "visitor": "王主任", "findings": "孩子在家，一切安好。"}
    key = uuid.uuid4().hex
    first = phone.post(f"/children/{child_id}/visits", json=visit, headers=offline(key))
    second = phone.post(f"/children/{child_id}/visits", json=visit, headers=offline(key))
    assert first.status_code == 201, first.text
    assert second.status_code == 201 and second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert len(system.api.get(f"/children/{child_id}").json()["visits"]) == 1
    assert [c for c in conflicts(system.api) if c["actor"] == director] == []


def test_a_visit_to_a_child_outside_the_village_is_recorded_as_a_conflict(system):
    director, phone = person(system, "child_director", **HOME)
    elsewhere = system.api.post("/children", json={**new_child(), **ELSEWHERE}).json()["child_id"]
    visit = {"visited_on": "2026-12-04", "visitor": "王主任", "findings": "家中无人。"}
    refused = phone.post(f"/children/{elsewhere}/visits", json=visit, headers=offline(uuid.uuid4().hex))
    assert refused.status_code in (403, 404), refused.text
    recorded = [c for c in conflicts(phone) if c["actor"] == director]
    assert [(c["route"], c["status"]) for c in recorded] == [("POST /children/{child_id}/visits", refused.status_code)]
    assert recorded[0]["fields_sent"] == ["findings", "visited_on", "visitor"]


def test_a_refusal_of_an_online_submission_or_a_bad_capture_time_records_nothing(system):
    director, phone = person(system, "child_director", **HOME)
    child = {**new_child(), **HOME}
    assert system.api.post("/children", json=child).status_code == 201
    online = phone.post("/children", json=child, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert online.status_code == 409
    bad = phone.post("/children", json={**new_child(), **HOME}, headers=offline(uuid.uuid4().hex, "yesterday"))
    assert (bad.status_code, bad.json()["error"]) == (400, "INVALID_HEADER")
    assert "X-Offline-Capture" in bad.json()["fields"]
    naive = phone.post("/children", json={**new_child(), **HOME}, headers=offline(uuid.uuid4().hex, "2026-12-05T06:40"))
    assert naive.status_code == 400
    assert [c for c in conflicts(system.api) if c["actor"] == director] == []
    assert system.api.get("/children", params={**HOME, "limit": 500}).status_code == 200
