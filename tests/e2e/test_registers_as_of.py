"""Registers as they stood, on the real services (issue 17 item 4): the
children list and its ledger export, and the visit list, read now and then
rebuilt at the position they named after files are opened, renamed, re-tiered,
moved and transferred, are the same rows; the lists now differ. A child
director's past list holds only their village as it stood then; points ahead
of the log are refused with 422, bad ones with 400, and the roles are the
list's."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from services.gateway.workbook import XLSX
from shared.clock import programme_today
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System

HOME = {"town": "滨河镇", "village": "新北村"}
ELSEWHERE = {"town": "滨河镇", "village": "黄湾村"}
ALL = {"limit": "200"}


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("as-of"))
        running.start("registry", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


def opened(api, child) -> str:
    created = api.post("/children", json=child)
    assert created.status_code == 201, created.text
    return created.json()["child_id"]


def ok(response):
    assert response.status_code in (200, 201), response.text
    return response


def workbook(response) -> tuple[str, list[tuple]]:
    """The title and the data rows (row 1 also says when it was made)."""
    ok(response)
    assert response.headers["Content-Type"].startswith(XLSX)
    title_row, _headers, *rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return title_row[0], rows


@pytest.fixture(scope="module")
def then(system):
    """The registers read now, with the position they name; then a day's changes."""
    admin = system.api
    first, second = opened(admin, {**new_child(), **HOME}), opened(admin, {**new_child(), **HOME})
    away = opened(admin, {**new_child(), **ELSEWHERE})
    ok(admin.post(f"/children/{first}/assessments", json={"level": 1, "reasons": ["母亲失踪"]}))
    ok(
        admin.post(
            f"/children/{second}/visits",
            json={
                "visited_on": (programme_today() - timedelta(days=30)).isoformat(),
                "visitor": "马主任",
                "findings": "祖母照料",
            },
        )
    )
    director, auditor = system.login("child_director", **HOME), system.login("auditor")
    seen = {
        "list": ok(admin.get("/children", params=ALL)).json(),
        "visits": ok(admin.get("/visits", params=ALL)).json(),
        "ledger": admin.get("/children/export.xlsx"),
        "visits_export": workbook(admin.get("/visits/export.xlsx"))[1],
        "director_list": ok(director.get("/children", params=ALL)).json(),
        "director_ledger": workbook(director.get("/children/export.xlsx"))[1],
        "auditor_list": ok(auditor.get("/children", params=ALL)).json(),
    }
    position = seen["list"]["as_of_position"]
    assert seen["ledger"].headers["X-As-Of-Position"] == str(position)

    opened(admin, {**new_child(), **HOME})
    ok(
        admin.post(
            f"/children/{second}/corrections", json={"field": "name", "value": "改名儿童", "reason": "户口本为准"}
        )
    )
    ok(admin.post(f"/children/{second}/assessments", json={"level": 2, "reasons": ["父亲患病"]}))
    ok(admin.post(f"/children/{away}/corrections", json={"field": "village", "value": "新北村", "reason": "迁入"}))
    ok(admin.post(f"/children/{first}/transfer-out", json={"destination": "银川市", "reason": "随父母迁出"}))
    ok(
        admin.post(
            f"/children/{second}/visits",
            json={"visited_on": programme_today().isoformat(), "visitor": "李主任", "findings": "在家"},
        )
    )
    return {"position": position, "ids": (first, second, away), "director": director, "auditor": auditor, **seen}


def test_the_list_rebuilt_at_its_position_is_the_list_read_then(system, then):
    at = {**ALL, "as_of_position": str(then["position"])}
    now = ok(system.api.get("/children", params=ALL)).json()
    assert now != then["list"] and now["as_of_position"] > then["position"]
    assert ok(system.api.get("/children", params=at)).json() == then["list"]
    # masked for the auditor exactly as it was
    assert ok(then["auditor"].get("/children", params=at)).json() == then["auditor_list"]
    # filters apply to the rows as they stood: the renamed child is found by its old name
    first, second, _away = then["ids"]
    (old,) = [c for c in then["list"]["items"] if c["child_id"] == second]
    found = ok(system.api.get("/children", params={**at, "q": old["name"]})).json()["items"]
    assert [c["child_id"] for c in found] == [second]


def test_the_ledger_rebuilt_at_its_position_has_the_same_cells(system, then):
    title, rows = workbook(system.api.get("/children/export.xlsx", params={"as_of_position": str(then["position"])}))
    _, before = workbook(then["ledger"])
    assert rows == before and str(then["position"]) in title
    _, now = workbook(system.api.get("/children/export.xlsx"))
    assert now != before


def test_a_director_sees_only_their_village_as_it_stood(system, then):
    director = then["director"]
    first, second, away = then["ids"]
    at = {**ALL, "as_of_position": str(then["position"])}
    past = ok(director.get("/children", params=at)).json()
    assert past == then["director_list"]
    assert {c["child_id"] for c in past["items"]} == {first, second}  # the moved-in child was elsewhere then
    assert {c["village"] for c in past["items"]} == {"新北村"}
    now = {c["child_id"] for c in ok(director.get("/children", params=ALL)).json()["items"]}
    assert away in now and first not in now
    _, rows = workbook(director.get("/children/export.xlsx", params={"as_of_position": str(then["position"])}))
    assert rows == then["director_ledger"]
    refused = director.get("/children", params={**at, "village": ELSEWHERE["village"]})
    assert refused.status_code == 403 and "village" in refused.json()["fields"]


def test_visits_rebuilt_at_the_position_are_those_read_then(system, then):
    at = {**ALL, "as_of_position": str(then["position"])}
    assert ok(system.api.get("/visits", params=at)).json() == then["visits"]
    assert ok(system.api.get("/visits", params=ALL)).json() != then["visits"]
    past = system.api.get("/visits/export.xlsx", params={"as_of_position": str(then["position"])})
    assert workbook(past)[1] == then["visits_export"] and past.headers["X-As-Of-Position"] == str(then["position"])
    assert workbook(system.api.get("/visits/export.xlsx"))[1] != then["visits_export"]


def test_a_date_rebuilds_at_the_last_position_recorded_by_its_end(system, then):
    today = ok(system.api.get("/children", params={**ALL, "as_of": programme_today().isoformat()})).json()
    assert today == ok(system.api.get("/children", params=ALL)).json()
    yesterday = (programme_today() - timedelta(days=1)).isoformat()
    assert ok(system.api.get("/children", params={**ALL, "as_of": yesterday})).json() == {
        "items": [],
        "next_cursor": None,
        "as_of_position": 0,
    }


@pytest.mark.parametrize("path", ["/children", "/children/export.xlsx", "/visits"])
def test_points_ahead_of_the_log_or_malformed_are_refused(system, then, path):
    tomorrow = (programme_today() + timedelta(days=1)).isoformat()
    for params, status, field in (
        ({"as_of": tomorrow}, 422, "as_of"),
        ({"as_of_position": "999999999"}, 422, "as_of_position"),
        ({"as_of": "yesterday"}, 400, "as_of"),
        ({"as_of": "2026-02-30"}, 400, "as_of"),
        ({"as_of_position": "-1"}, 400, "as_of_position"),
        ({"as_of_position": "1' OR 1=1"}, 400, "as_of_position"),
        ({"as_of": programme_today().isoformat(), "as_of_position": "1"}, 400, "as_of_position"),
    ):
        refused = system.api.get(path, params=params)
        assert refused.status_code == status, (params, refused.text)
        assert field in refused.json()["fields"], (params, refused.text)


def test_the_roles_are_the_lists(system, then):
    at = {"as_of_position": str(then["position"])}
    for path in ("/children", "/children/export.xlsx"):
        refused = system.login("finance_officer").get(path, params=at)
        assert refused.status_code == 403, path
        assert system.anonymous.get(path, params=at).status_code == 401
