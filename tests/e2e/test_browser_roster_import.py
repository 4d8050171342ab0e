"""Bureau staff import a roster in a real browser (Debian's chromium through
Playwright) on the real services: choose the .xlsx, read each broken row's
problem in Chinese in the preview, import the clean rows and see the import
finish with the counts. Needs the built app (scripts/web.sh). The browser
runs in its own process (tests/e2e/roster_driver.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from services.gateway.web.app_pages import DIST
from tests.support import rosters
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("roster-browser"))
        running.start("registry", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


def test_bureau_staff_preview_a_roster_in_chinese_and_import_its_clean_rows(system, tmp_path):
    rows = rosters.mixed(30, start=3000, broken_every=5)
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(rosters.workbook(rows))
    broken = sum(1 for r in rows if r.refused_with)
    assert system.api.get("/auth/me").json()["username"] == "admin"  # the bureau's first account
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.e2e.roster_driver",
            system.url,
            "admin",
            PASSWORD,
            str(path),
            str(len(rows) - broken),
            str(broken),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]
