"""The report screen's link to the gateway's PDF, in a real browser (Debian's
chromium through Playwright) on the real services: a provider's social worker
downloads their contract's quarterly report as PDF with the session cookie,
pinned to the log position of the report on screen (tests/e2e/report_pdf_driver.py).
Needs the built app (scripts/web.sh, which `make test` runs)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from services.gateway.web.app_pages import DIST
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, PASSWORD, System
from tests.support.world import ELSEWHERE, HOME, contracted_organisation, ok, post


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser-pdf"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def test_a_social_worker_downloads_the_quarters_pdf_from_the_report_screen(system, tmp_path):
    ours = contracted_organisation(system, "星火社会工作服务中心", HOME)
    contracted_organisation(system, "星火社会工作服务中心", ELSEWHERE, organization_id=ours.organization_id)
    username = f"worker-{uuid.uuid4().hex[:6]}"
    user = {
        "username": username,
        "display_name": "赵社工",
        "role": "provider_staff",
        "scope": {"organization_id": ours.organization_id},
        "password": PASSWORD,
    }
    ok(post(system.api, "/users", user), 201)
    saved = tmp_path / "report.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.e2e.report_pdf_driver",
            system.url,
            username,
            PASSWORD,
            ours.contract_id,
            str(saved),
        ],
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert saved.read_bytes().startswith(b"%PDF-")
