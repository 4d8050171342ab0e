"""An auditor's downloads (issue 16): a service's log as the audit CLI's JSONL
export, which verifies offline with tools/verify_export.py and shows a role no
more than GET /audit/{service}/events shows it; and the who-viewed log as .xlsx
with the list's filters."""

import io
import json
import subprocess
import sys
import uuid
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from services.gateway.workbook import XLSX
from shared.launcher import ROOT
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System, wait_until

JSONL = "application/x-ndjson"
TODAY = date.today()


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        # Pieces of 2 events: every download here crosses several RPCs while it streams.
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("audit-exports"), AUDIT_EXPORT_PIECE="2")
        running.start("registry", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture(scope="module")
def child(system):
    """A child with an ID number and a visit, the registry's log sealed to its head."""
    child = new_child()
    created = system.api.post("/children", json=child)
    assert created.status_code == 201, created.text
    child_id = created.json()["child_id"]
    visit = {"visited_on": TODAY.isoformat(), "visitor": "马主任", "findings": f"核对身份证号{child['id_number']}"}
    assert system.api.post(f"/children/{child_id}/visits", json=visit).status_code == 201

    def sealed():
        h = system.health()["services"]["registry"]
        return h["sealer"]["position"] == h["store"]["head"] and h["store"]["head"] > 0

    wait_until(sealed, message="registry's log sealed")
    return child_id, child


def exported(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(JSONL)
    assert "attachment" in response.headers["Content-Disposition"]
    return [json.loads(line) for line in response.text.splitlines()]


def verified_offline(tmp_path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "log.jsonl"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_export.py"), str(path)], capture_output=True, text=True
    )


def test_the_bureaus_download_verifies_offline_and_ends_at_the_chain_head(system, child, tmp_path):
    response = system.api.get("/audit/registry/export.jsonl")
    rows = exported(response)
    head = system.api.get("/audit/registry/verify", timeout=60).json()
    assert len(rows) == head["checked"] > 2  # in several pieces
    assert rows[-1]["position"] == head["sealed_position"]
    assert rows[-1]["chain_hash"] == head["head"] and all(r["state_b64"] for r in rows)
    checked = verified_offline(tmp_path, response.text)
    assert checked.returncode == 0 and f"OK: {len(rows)} sealed rows verified" in checked.stdout, checked.stdout
    assert child[1]["id_number"] in response.text  # the bureau sees files whole, as on GET /audit/.../events


def test_an_auditor_sees_what_the_events_route_shows_them_and_no_more(system, child, tmp_path):
    auditor = system.login("auditor")
    response = auditor.get("/audit/registry/export.jsonl")
    rows = exported(response)
    events = auditor.get("/audit/registry/events", params={"limit": 1000}).json()["items"]
    assert [json.loads(r["data"]) for r in rows] == [e["data"] for e in events]
    assert [(r["position"], r["event"], r["actor_id"]) for r in rows] == [
        (e["position"], e["event"], e["actor_id"]) for e in events
    ]
    id_number = child[1]["id_number"]
    assert id_number not in response.text and f"{id_number[:6]}********{id_number[-4:]}" in response.text
    # Stored bytes that are plain JSON holding the ID number are left out (base64 would give it away)...
    withheld = [r["event"] for r in rows if not r["state_b64"]]
    assert "Child.Registered" in withheld
    # ...and the rest still verifies, the chain going on from each withheld row's hash.
    checked = verified_offline(tmp_path, response.text)
    assert checked.returncode == 0 and f"{len(withheld)} rows withheld by masking" in checked.stdout, checked.stdout


def test_a_range_of_positions_or_dates(system, child):
    rows = exported(system.api.get("/audit/registry/export.jsonl", params={"after": 1, "upto": 2}))
    assert [r["position"] for r in rows] == [2]
    whole = exported(system.api.get("/audit/registry/export.jsonl"))
    assert rows[0]["previous_hash"] == whole[0]["chain_hash"]
    later = exported(system.api.get("/audit/registry/export.jsonl", params={"since": "2999-01-01T00:00:00+08:00"}))
    assert later == []


def test_each_child_the_download_shows_is_logged_as_read(system, child):
    auditor = system.login("auditor")
    me = auditor.get("/auth/me").json()["username"]
    exported(auditor.get("/audit/registry/export.jsonl"))
    log = system.api.get("/audit/access-log", params={"actor": me}).json()["items"]
    assert [(r["child_id"], r["route"], r["status"]) for r in log] == [
        (child[0], "GET /audit/{service}/export.jsonl", 200)
    ]


def test_the_gateways_own_log_shows_no_password_hash(system, child, tmp_path):
    response = system.api.get("/audit/gateway/export.jsonl")
    rows = exported(response)
    assert rows and "$argon2" not in response.text
    created = [r for r in rows if r["event"] == "User.Registered"]
    assert created and all(json.loads(r["data"])["password_hash"] is None for r in created)
    assert all(not r["state_b64"] for r in created)  # their stored bytes hold the hash: withheld


def test_only_auditors_and_the_bureau_may_download_the_log(system, child):
    for role, scope in (
        ("finance_officer", {}),
        ("reviewer", {"panel_member_ids": ["00000000-0000-4000-8000-000000000002"]}),
        ("child_director", {"town": "滨河镇", "village": "新北村"}),
        ("provider_staff", {"organization_id": "00000000-0000-4000-8000-000000000001"}),
    ):
        refused = system.login(role, **scope).get("/audit/registry/export.jsonl")
        assert refused.status_code == 403 and refused.json()["error"] == "FORBIDDEN", role
    assert system.anonymous.get("/audit/registry/export.jsonl").status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": 5, "upto": 5}, "upto"),
        ({"after": -1}, "after"),
        ({"since": "2026-01-02T00:00:00+08:00", "until": "2026-01-01T00:00:00+08:00"}, "until"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-01-01T00:00:00"}, "until"),
        ({"limit": 10}, "limit"),
    ],
)
def test_bad_ranges_are_refused_at_their_field(system, child, params, field):
    refused = system.login("auditor").get("/audit/registry/export.jsonl", params=params)
    assert refused.status_code == 400 and field in refused.json()["fields"], refused.text


def test_an_unknown_service_is_not_found(system, child):
    assert system.api.get("/audit/nosuch/export.jsonl").status_code == 404


# -- the who-viewed log as .xlsx ---------------------------------------------------


def workbook_rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(XLSX)
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    title, headers, *rows = list(sheet.iter_rows(values_only=True))
    assert title[0] == "查阅记录"
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_the_who_viewed_log_downloads_with_the_lists_filters(system, child):
    reader = system.login("child_director", town="滨河镇", village="新北村")
    me = reader.get("/auth/me").json()["username"]
    assert reader.get(f"/children/{child[0]}").status_code == 200
    auditor = system.login("auditor")
    rows = workbook_rows(auditor.get("/audit/access-log/export.xlsx", params={"actor": me}))
    assert [(r["查阅人"], r["查阅人角色"], r["档案编号"], r["查阅结果"], r["查阅功能"]) for r in rows] == [
        (me, "儿童主任", child[0], "已查看", "GET /children/{child_id}")
    ]
    assert rows[0]["查阅时间"].startswith(TODAY.isoformat()[:4])
    by_child = workbook_rows(auditor.get("/audit/access-log/export.xlsx", params={"child_id": child[0]}))
    listed = auditor.get("/audit/access-log", params={"child_id": child[0]}).json()["items"]
    assert [r["访问路径"] for r in by_child] == [r["path"] for r in listed] and len(by_child) >= 1
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert (
        workbook_rows(auditor.get("/audit/access-log/export.xlsx", params={"actor": me, "read_from": tomorrow})) == []
    )
    assert auditor.get("/audit/access-log", params={"actor": me, "read_from": tomorrow}).json()["items"] == []


def test_the_who_viewed_download_refuses_bad_filters_and_other_roles(system, child):
    auditor = system.login("auditor")
    for params, field in (
        ({"read_from": "2026-02-02", "read_to": "2026-02-01"}, "read_to"),
        ({"child_id": "not-a-uuid"}, "child_id"),
        ({"limit": "10"}, "limit"),
        ({"cursor": "3"}, "cursor"),
    ):
        refused = auditor.get("/audit/access-log/export.xlsx", params=params)
        assert refused.status_code == 400 and field in refused.json()["fields"], (params, refused.text)
    for role, scope in (("finance_officer", {}), ("reviewer", {"panel_member_ids": [str(uuid.uuid4())]})):
        assert system.login(role, **scope).get("/audit/access-log/export.xlsx").status_code == 403, role
    assert system.anonymous.get("/audit/access-log/export.xlsx").status_code == 401
