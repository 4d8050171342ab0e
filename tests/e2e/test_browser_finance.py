"""The finance officer in a real browser (Debian's chromium through Playwright)
on the real services: a contract signed through the gateway (its first tranche
payable on signing), the officer signs in on a laptop, reads the contract's
money — appropriation, commitment, the tranches and the gate each waits on —
pays the first tranche with a voucher by double-clicking, uploads the voucher's
scan on the paid tranche, and a second screen
that was behind is refused the same tranche and says so; then the journal,
the trial balance, reconciliation and recoveries. axe-core on each screen.

Needs the built app (scripts/web.sh). Set WEB_SCREENSHOTS=<dir> to keep a
screenshot of each screen. The browser runs in its own process
(tests/e2e/browser_finance_driver.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from services.gateway.web.app_pages import DIST
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System, wait_until
from tests.support.world import ELSEWHERE, HOME, contracted_organisation, day, ok, post

ORGANISATION = "明德社会工作服务中心"
TERMINATED = "远方社会工作服务中心"


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    """Grants (the contract), finance (its money) and the gateway with the app."""
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser-finance"))
        running.start("grants", "finance", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


def drive(journey: str, *args: str, timeout: int = 240) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser_finance_driver", journey, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-4000:]


def funding(system: System, contract_id: str) -> dict | None:
    response = system.api.get(f"/contracts/{contract_id}/funding")
    return response.json() if response.status_code == 200 else None


def first_tranche_payable(system: System, contract_id: str) -> dict:
    def payable() -> bool:
        found = funding(system, contract_id)
        return bool(found and found["tranches"] and found["tranches"][0]["status"] == "payable")

    wait_until(payable, seconds=60, message="finance made the first tranche payable on signing")
    return funding(system, contract_id)["tranches"][0]


def payments_posted(system: System, contract_id: str) -> list[dict]:
    entries = ok(system.api.get("/ledger/journal", params={"limit": 1000}), 200)["items"]
    return [
        e for e in entries if e["kind"] == "tranche_paid" and any(ln["contract_id"] == contract_id for ln in e["lines"])
    ]


def owed_back_after_termination(system: System) -> str:
    """Another contract, its first tranche paid, then terminated for misuse: all of it is owed back."""
    contract = contracted_organisation(system, TERMINATED, ELSEWHERE).contract_id
    tranche = first_tranche_payable(system, contract)
    officer = system.login("finance_officer")
    ok(
        post(officer, f"/tranches/{tranche['tranche_id']}/payment", {"amount_fen": 10_000_000, "voucher": "PV-O-1"}),
        200,
    )
    ok(
        post(
            system.api,
            f"/contracts/{contract}/termination",
            {"reason": "misuse", "details": "挪用项目资金", "terminated_on": day(0)},
        ),
        200,
    )
    wait_until(lambda: system.api.get("/recoveries").json()["items"], seconds=60, message="the recovery raised")
    [recovery] = system.api.get("/recoveries").json()["items"]
    assert (recovery["contract_id"], recovery["outstanding_fen"]) == (contract, 10_000_000)
    return recovery["recovery_id"]


def test_a_finance_officer_pays_a_tranche_once_with_a_double_click_and_reads_the_ledger(system):
    recovery = owed_back_after_termination(system)
    contract = contracted_organisation(system, ORGANISATION, HOME).contract_id
    tranche = first_tranche_payable(system, contract)
    assert (tranche["amount_fen"], tranche["gate"]) == (10_000_000, "signing")  # 40% of 250,000 元
    username = f"finance-{uuid.uuid4().hex[:6]}"
    ok(
        post(
            system.api,
            "/users",
            {
                "username": username,
                "display_name": "李会计",
                "role": "finance_officer",
                "scope": {},
                "password": PASSWORD,
            },
        ),
        201,
    )

    drive("finance", system.url, username, PASSWORD, contract, ORGANISATION)

    # the double click and the screen that was behind paid the tranche once, with the first voucher
    paid = funding(system, contract)
    assert [(t["number"], t["status"], t["voucher"]) for t in paid["tranches"]] == [
        (1, "paid", "PV-2026-001"),
        (2, "pending", None),
        (3, "pending", None),
    ]
    assert paid["fiscal"]["paid_fen"] == 10_000_000
    assert paid["donation"]["balance_fen"] == 200_050  # 2,000.50 元 typed, exact fen
    assert paid["fiscal"]["spent_fen"] == 100_000  # the double click on 保存支出 spent once
    assert len(payments_posted(system, contract)) == 1
    # the other contract's recovery: 40,000 元 collected, the rest written off with its approver
    [settled] = ok(system.api.get("/recoveries", params={"status": "settled"}), 200)["items"]
    assert (settled["recovery_id"], settled["collected_fen"], settled["written_off_fen"]) == (
        recovery,
        4_000_000,
        6_000_000,
    )
    assert ok(system.api.get("/ledger/trial-balance"), 200)["balanced"] is True
