"""Register downloads in a real browser on the real services (issue 17): a
provider's social worker, signed in with the session cookie only, downloads
the caseload, the care records, the activities and the quarter's service-line figures from
the screens that show them (the driver is tests/e2e/browser_exports.py).
Needs the built app (scripts/web.sh)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from services.gateway.web.app_pages import DIST
from tests.e2e.test_browser_journeys import social_worker_with_a_child_in_reach
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, PASSWORD, System
from tests.support.world import day, ok, open_case, post


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser-exports"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def test_a_social_worker_downloads_the_caseload_care_activities_and_quarter_figures(system):
    username, contract_id, child_id, _name = social_worker_with_a_child_in_reach(system)
    open_case(system.api, child_id, contract_id)
    care = {
        "child_id": child_id,
        "contract_id": contract_id,
        "kind": "festival_visit",
        "given_on": day(0),
        "value_fen": 20000,
        "worker": "赵社工",
    }
    ok(post(system.api, "/care-services", care), 201)
    lesson = {
        "kind": "safety_education_children",
        "title": "防溺水安全课",
        "held_on": day(0),
        "contract_id": contract_id,
        "topics": ["drowning"],
        "child_ids": [child_id],
        "worker": "赵社工",
    }
    ok(post(system.api, "/activities", lesson), 201)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.e2e.browser_exports",
            "social_worker_downloads",
            system.url,
            username,
            PASSWORD,
            contract_id,
            child_id,
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]
