"""The web app in a real browser (Debian's chromium through Playwright) on the
real services: the public reads the current 公示 and the banned organisations
without signing in; a village child director, on a phone-sized screen, signs
in, sees who is overdue, opens a child's file and records a visit — the API's
field error shown next to the field, in Chinese.

Needs the built app (scripts/web.sh, which `make test` runs). Set
WEB_SCREENSHOTS=<dir> to keep a screenshot of each screen. The browser runs in
its own process (tests/e2e/browser_driver.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from services.gateway.web.app_pages import DIST
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System
from tests.support.world import HOME, day, ok, on_public_notice, post


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser"))
        running.start("registry", "grants", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


def drive(journey: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser_driver", journey, *args],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]


def test_the_public_reads_the_current_notice_and_the_bans_without_signing_in(system):
    on_public_notice(system, "阳光社会工作服务中心", notice_opened=day(-1))
    drive("public", system.url)


def director_with_an_overdue_child(system) -> tuple[str, str, str]:
    username = f"director-{uuid.uuid4().hex[:6]}"
    ok(
        post(
            system.api,
            "/users",
            {
                "username": username,
                "display_name": "王主任",
                "role": "child_director",
                "scope": HOME,
                "password": PASSWORD,
            },
        ),
        201,
    )
    child = {**new_child(), **HOME, "name": "李小花"}
    child_id = ok(post(system.api, "/children", child), 201)["child_id"]
    ok(
        post(
            system.api,
            f"/children/{child_id}/assessments",
            {"level": 1, "reasons": ["父母外出务工，祖母年迈"], "assessed_on": day(-10)},
        ),
        200,
        201,
    )
    return username, child_id, child["name"]


def test_a_director_on_a_phone_signs_in_and_records_a_visit(system):
    username, child_id, name = director_with_an_overdue_child(system)
    drive("director", system.url, username, PASSWORD, name)
    # the double tap on save recorded one visit
    assert len(system.api.get(f"/children/{child_id}").json()["visits"]) == 1


def test_the_docs_page_is_swagger_ui_under_the_csp_and_tries_requests_as_the_signed_in_user(system):
    username, _, _ = director_with_an_overdue_child(system)
    drive("docs", system.url, username, PASSWORD)
