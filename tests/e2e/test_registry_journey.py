"""The registry journey over HTTP on the real services: screening, intake,
duplicates (dismissed as not the same child, then withdrawn) and merge,
correction with history and as_of, visits, tiers and overdue contacts,
refusals, transfer. One running system for the module."""

from datetime import date, timedelta

import pytest

from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System

TODAY = date.today()  # the services run on the real clock; the unit tests drive it
HOUSEHOLD = {
    "father": {"status": "migrant", "whereabouts": "银川市"},
    "mother": {"status": "missing", "whereabouts": None},
    "economic_status": "dibao",
}


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("registry"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def post(system, path, body, status):
    response = system.api.post(path, json=body, timeout=10)
    assert response.status_code == status, response.text
    return response.json()


def get(system, path, **params):
    response = system.api.get(path, params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_child_director_screens_registers_visits_and_follows_up(system):
    campaign = post(
        system,
        "/screening-campaigns",
        {
            "name": "滨河镇摸底排查",
            "starts_on": (TODAY - timedelta(days=30)).isoformat(),
            "ends_on": (TODAY + timedelta(days=30)).isoformat(),
            "targets": [{"town": "滨河镇", "village": "新北村", "households": 10}],
        },
        201,
    )["campaign_id"]
    child = {
        "name": "马小兰",
        "gender": "female",
        "date_of_birth": "2016-04-05",
        "id_number": None,
        "town": "滨河镇",
        "village": "新北村",
        "categories": ["left_behind"],
        "household": HOUSEHOLD,
        "guardian": {"relation": "grandparent", "age": 70, "health": "poor", "capacity": "limited"},
        "guardianship_status": "entrusted",
        "campaign_id": campaign,
        "mental_health": {"screened_on": TODAY.isoformat(), "result": "attention", "notes": "不愿说话"},
    }
    first = post(system, "/children", child, 201)["child_id"]
    second = post(system, "/children", {**child, "name": "马晓兰"}, 201)["child_id"]

    listed = get(system, "/children", village="新北村", category="left_behind")
    assert {c["child_id"] for c in listed["items"]} == {first, second}
    assert all("id_number" not in c and "mental_health" not in c for c in listed["items"])
    (pair,) = get(system, "/children/duplicates")["items"]
    assert {pair["first"]["child_id"], pair["second"]["child_id"]} == {first, second}

    # Dismissed as not the same child: gone from the list, once only, by the bureau only.
    dismissal = {"first_id": second, "second_id": first, "reason": "入户核实：不是同一人"}
    dismissed = post(system, "/children/duplicates/dismissals", dismissal, 201)
    assert dismissed["standing"] and {dismissed["first_id"], dismissed["second_id"]} == {first, second}
    assert get(system, "/children/duplicates")["items"] == []
    (row,) = get(system, "/children/duplicates/dismissals")["items"]
    assert row["dismissal_id"] == dismissed["dismissal_id"] and row["reason"] == dismissal["reason"]
    again = post(
        system, "/children/duplicates/dismissals", {"first_id": first, "second_id": second, "reason": "again"}, 409
    )
    assert again["error"] == "PAIR_ALREADY_DISMISSED" and again["dismissal_id"] == dismissed["dismissal_id"]
    assert post(system, "/children/duplicates/dismissals", {**dismissal, "reason": " "}, 400)["fields"]["reason"]
    auditor = system.login("auditor")
    assert auditor.post("/children/duplicates/dismissals", json=dismissal, timeout=10).status_code == 403
    assert auditor.get("/children/duplicates/dismissals", timeout=10).status_code == 200
    # ...until withdrawn: the pair is a candidate again (and here it really is one child).
    withdrawal = f"/children/duplicates/dismissals/{dismissed['dismissal_id']}/withdrawal"
    assert post(system, withdrawal, {"reason": "母亲姓名登记有误，重新核查"}, 200)["standing"] is False
    post(system, withdrawal, {"reason": "twice"}, 404)
    trail = system.api.get(f"/audit/registry/aggregates/{dismissed['dismissal_id']}/history", timeout=10).json()
    assert [e["event"] for e in trail] == ["DuplicateDismissal.Dismissed", "DuplicateDismissal.Withdrawn"]
    assert all((e["actor_id"], e["actor_role"]) == ("admin", "bureau_admin") and e["at"] for e in trail)
    (pair,) = get(system, "/children/duplicates")["items"]
    assert {pair["first"]["child_id"], pair["second"]["child_id"]} == {first, second}

    post(system, f"/children/{first}/merges", {"merged_id": second, "reason": "same child"}, 201)
    redirected = system.api.get(f"/children/{second}", timeout=10)
    assert redirected.history[0].status_code == 308 and redirected.json()["child_id"] == first

    before = get(system, f"/children/{first}/history")["changes"][-1]["at"]  # the merge
    post(
        system,
        f"/children/{first}/corrections",
        {"field": "school", "value": "滨河小学", "reason": "school found on visit"},
        201,
    )
    changes = get(system, f"/children/{first}/history")["changes"]
    corrected = changes[-1]
    assert corrected["event"] == "corrected" and corrected["reason"] == "school found on visit"
    assert corrected["data"]["old"] is None and corrected["data"]["new"] == "滨河小学"
    assert corrected["actor"]["id"] and corrected["at"] > before
    assert get(system, f"/children/{first}", as_of=before)["school"] is None

    visited_on = (TODAY - timedelta(days=10)).isoformat()
    post(
        system,
        f"/children/{first}/visits",
        {"visited_on": visited_on, "visitor": "马主任", "findings": "祖母独自照料", "campaign_id": campaign},
        201,
    )
    coverage = get(system, f"/screening-campaigns/{campaign}/coverage")
    assert coverage["villages"][0]["visited_households"] == 1 and coverage["children_found"] == 2

    assessed = post(system, f"/children/{first}/assessments", {"level": 1, "reasons": ["母亲失踪"]}, 201)
    assert assessed["next_contact_due"] == (TODAY - timedelta(days=3)).isoformat()
    (overdue,) = get(system, "/children/overdue-contacts")["items"]
    assert overdue["child_id"] == first and overdue["days_overdue"] == 3

    refused = system.api.post(
        f"/children/{first}/visits",
        json={"visited_on": (TODAY + timedelta(days=1)).isoformat(), "visitor": "x", "findings": "y"},
        timeout=10,
    )
    assert refused.status_code == 422 and "visited_on" in refused.json()["fields"]
    malformed = system.api.post(f"/children/{first}/assessments", json={"level": 9}, timeout=10)
    assert malformed.status_code == 400 and {"level", "reasons"} <= set(malformed.json()["fields"])
    bad_filter = system.api.get("/children", params={"tier": "high"}, timeout=10)
    assert bad_filter.status_code == 400 and "tier" in bad_filter.json()["fields"]

    moved = system.api.post(
        f"/children/{first}/transfer-out", json={"destination": "银川市兴庆区", "reason": "随父迁居"}, timeout=10
    )
    assert moved.status_code == 200 and moved.json()["status"] == "transferred_out"
    assert get(system, "/children")["items"] == []
    assert "casework" in system.health()["services"]["registry"]["consumers"]
