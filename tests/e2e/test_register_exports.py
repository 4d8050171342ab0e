"""Register exports on the real services (issue 17): a child director's ledger
holds only their village, an auditor's has birth dates cut as the JSON answers
cut them, roles that may not list children are refused, a director cannot ask
for another village, and every child exported is in the access log."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from services.gateway.workbook import XLSX
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System

TODAY = date.today()
HOME = {"town": "滨河镇", "village": "新北村"}
ELSEWHERE = {"town": "迎水桥镇", "village": "沙坡头村"}


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("exports"))
        running.start("registry", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture(scope="module")
def children(system):
    admin = system.api
    ours = {**new_child(), **HOME}
    theirs = {**new_child(), **ELSEWHERE}
    ids = []
    for child in (ours, theirs):
        created = admin.post("/children", json=child)
        assert created.status_code == 201, created.text
        ids.append(created.json()["child_id"])
    visited = admin.post(
        f"/children/{ids[0]}/visits",
        json={"visited_on": (TODAY - timedelta(days=40)).isoformat(), "visitor": "马主任", "findings": "祖母照料"},
    )
    assert visited.status_code == 201, visited.text
    findings = f"祖母称身份证号{theirs['id_number']}的孩子已返校"  # an ID number in free text
    other_visit = admin.post(
        f"/children/{ids[1]}/visits",
        json={"visited_on": (TODAY - timedelta(days=2)).isoformat(), "visitor": "李主任", "findings": findings},
    )
    assert other_visit.status_code == 201, other_visit.text
    assessed = admin.post(f"/children/{ids[0]}/assessments", json={"level": 1, "reasons": ["母亲失踪"]})
    assert assessed.status_code == 201, assessed.text
    return {"ours": (ids[0], ours), "theirs": (ids[1], theirs)}


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(XLSX)
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    _title, headers, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_a_director_downloads_only_their_village(system, children):
    director = system.login("child_director", **HOME)
    (row,) = rows_of(director.get("/children/export.xlsx"))
    child_id, child = children["ours"]
    assert row["档案编号"] == child_id and row["姓名"] == child["name"] and row["村（社区）"] == "新北村"
    assert row["出生日期"].date() == date.fromisoformat(child["date_of_birth"])  # directors see it whole
    assert row["风险等级"] == "一级（高风险）" and row["走访是否逾期"] == "是" and row["逾期天数"] > 0
    assert row["最近走访日期"].date() == TODAY - timedelta(days=40)
    refused = director.get("/children/export.xlsx", params={"village": ELSEWHERE["village"]})
    assert refused.status_code == 403 and "village" in refused.json()["fields"]


def test_an_auditor_gets_every_village_masked(system, children):
    auditor = system.login("auditor")
    rows = {row["档案编号"]: row for row in rows_of(auditor.get("/children/export.xlsx"))}
    assert set(rows) == {children["ours"][0], children["theirs"][0]}
    for child_id, child in children.values():
        assert rows[child_id]["出生日期"] == child["date_of_birth"][:4]  # as GET /children cuts it for them
    listed = auditor.get("/children").json()["items"]
    assert {c["date_of_birth"] for c in listed} == {r["出生日期"] for r in rows.values()}


def test_roles_that_may_not_list_children_are_refused(system, children):
    for role, scope in (
        ("provider_staff", {"organization_id": "00000000-0000-4000-8000-000000000001"}),
        ("finance_officer", {}),
    ):
        refused = system.login(role, **scope).get("/children/export.xlsx")
        assert refused.status_code == 403 and refused.json()["error"] == "FORBIDDEN", role
    assert system.anonymous.get("/children/export.xlsx").status_code == 401


def test_bad_filters_and_paging_are_refused(system, children):
    for params in ({"tier": "high"}, {"limit": "10"}, {"cursor": "x"}):
        refused = system.api.get("/children/export.xlsx", params=params)
        assert refused.status_code == 400, (params, refused.text)


def test_every_exported_child_is_logged_as_read(system, children):
    director = system.login("child_director", **HOME)
    me = director.get("/auth/me").json()["username"]
    rows_of(director.get("/children/export.xlsx"))
    log = system.api.get("/audit/access-log", params={"actor": me, "limit": 100}).json()["items"]
    assert [(r["child_id"], r["route"], r["status"]) for r in log] == [
        (children["ours"][0], "GET /children/export.xlsx", 200)
    ]


def test_visit_records_export_is_scoped_masked_and_logged(system, children):
    director = system.login("child_director", **HOME)
    (visit,) = rows_of(director.get("/visits/export.xlsx"))
    assert visit["档案编号"] == children["ours"][0] and visit["走访人"] == "马主任" and visit["走访情况"] == "祖母照料"
    assert visit["走访日期"].date() == TODAY - timedelta(days=40)
    assert director.get("/visits/export.xlsx", params=ELSEWHERE).status_code == 403
    me = director.get("/auth/me").json()["username"]
    log = system.api.get("/audit/access-log", params={"actor": me, "limit": 100}).json()["items"]
    assert [(r["child_id"], r["route"]) for r in log] == [(children["ours"][0], "GET /visits/export.xlsx")]

    auditor = system.login("auditor")
    visits = {row["档案编号"]: row for row in rows_of(auditor.get("/visits/export.xlsx"))}
    assert set(visits) == {children["ours"][0], children["theirs"][0]}
    id_number = children["theirs"][1]["id_number"]
    shown = visits[children["theirs"][0]]["走访情况"]
    assert id_number not in shown and f"{id_number[:6]}********{id_number[-4:]}" in shown
    (as_json,) = [v for v in auditor.get("/visits").json()["items"] if v["child_id"] == children["theirs"][0]]
    assert as_json["findings"] == shown  # the export masks exactly as the JSON list does
    assert system.api.get("/visits/export.xlsx").content  # the bureau sees it whole
    whole = {row["档案编号"]: row for row in rows_of(system.api.get("/visits/export.xlsx"))}
    assert id_number in whole[children["theirs"][0]]["走访情况"]
    assert system.login("finance_officer").get("/visits/export.xlsx").status_code == 403
