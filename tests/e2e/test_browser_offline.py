"""A village child director with no signal, in a real browser (Debian's
chromium through Playwright) on the real services: signed in on a phone, the
network is cut (Playwright's offline mode), the app reopens from the service
worker's cache, two visits and two new files wait in the phone's outbox; the
network returns and each lands exactly once — a forced resend of one of them
too — while the file whose ID number is already registered is refused, shown
to the director with the reason, listed for the bureau, and resolved there.

Needs the built app (scripts/web.sh). The browser runs in its own process
(tests/e2e/browser_offline_driver.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import date, timedelta

import pytest

from services.gateway.web.app_pages import DIST
from tests.support.children import new_child, valid_id_number
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System
from tests.support.world import HOME, ok, post


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "sw.js").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser-offline"))
        running.start("gateway", "registry")
        try:
            yield running
        finally:
            running.stop_all()


def drive(journey: str, *args: str, timeout: int = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser_offline_driver", journey, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def named(system, name: str) -> list[dict]:
    return system.api.get("/children", params={**HOME, "q": name, "limit": 500}).json()["items"]


def test_a_director_offline_records_visits_and_files_that_land_once_and_a_conflict_reaches_the_bureau(system):
    username = f"director-{uuid.uuid4().hex[:6]}"
    ok(
        post(
            system.api,
            "/users",
            {
                "username": username,
                "display_name": "马主任",
                "role": "child_director",
                "scope": HOME,
                "password": PASSWORD,
            },
        ),
        201,
    )
    visited = {**new_child(), **HOME, "name": "马小花"}
    child_id = ok(post(system.api, "/children", visited), 201)["child_id"]
    born = date.today() - timedelta(days=9 * 365)
    taken = {**new_child(), **HOME, "name": "马大军", "gender": "male", "date_of_birth": born.isoformat()}
    taken["id_number"] = valid_id_number(born, True, 7)
    ok(post(system.api, "/children", taken), 201)
    fresh_id = valid_id_number(born, True, 9)

    out = drive(
        "director_offline",
        system.url,
        username,
        PASSWORD,
        child_id,
        visited["name"],
        f"{born:%Y年%m月%d日}",
        "男",
        f"{fresh_id},{taken['id_number']}",
    )
    kept = json.loads(out.strip().splitlines()[-1])["kept"]
    assert sorted(item["kind"] for item in kept) == ["child", "child", "visit", "visit"]

    # each landed exactly once, the forced resend of a visit included
    findings = sorted(v["findings"] for v in system.api.get(f"/children/{child_id}").json()["visits"])
    assert findings == ["离线走访一：孩子在家，祖母身体尚可。", "离线走访二：孩子上学去了，与祖母交谈。"]
    filed = named(system, "马小军")
    assert [c["name"] for c in filed] == ["马小军"]
    # the refused file was not written; it is one conflict, for its director and the bureau
    assert named(system, "马小军重复") == []
    conflicts = [c for c in system.api.get("/offline-conflicts").json()["items"] if c["actor"] == username]
    assert [(c["route"], c["error"], c["resolved"]) for c in conflicts] == [
        ("POST /children", "DUPLICATE_ID_NUMBER", None)
    ]

    drive("bureau_resolves", system.url, PASSWORD, username)
    resolved = [c for c in system.api.get("/offline-conflicts").json()["items"] if c["actor"] == username]
    assert resolved[0]["resolved"]["by"] == "admin"
    drive("director_reads_the_resolution", system.url, username, PASSWORD)
