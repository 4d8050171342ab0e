"""The seed's payment path end to end: grants events (published contract
fixtures) go over the real broker to the finance process, and a finance
officer works through the gateway. 40% on signing, 30% after the mid-term
evaluation passed, 30% after completion and the effectiveness evaluation; then
a terminated contract's recovery is collected and written off."""

import json
import uuid

import pytest

from tests.support.broker import publish
from tests.support.finance import GrantsFeed
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System, wait_until

EXCHANGE = "grants.events"


@pytest.fixture(scope="module")
def finance_system(tmp_path_factory, postgres_available):
    """Finance and the gateway only: grants' events come from the fixtures."""
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("finance"), MAX_BODY_BYTES="65536")
        system.vhost = vhost
        system.start("finance", "gateway")
        try:
            yield system
        finally:
            system.stop_all()


@pytest.fixture(scope="module")
def officer(finance_system):
    """The finance officer's client: money moves only by finance officers (who read it too)."""
    return finance_system.login("finance_officer")


def send(system, vhost, *envelopes):
    for e in envelopes:
        publish(vhost, EXCHANGE, e["type"], e)


def get(client, path, **params):
    return client.get(path, params=params, timeout=10)


def post(client, path, body):
    return client.post(path, json=body, timeout=10)


def funding(client, contract_id):
    response = get(client, f"/contracts/{contract_id}/funding")
    return response.json() if response.status_code == 200 else None


def tranche_status(client, contract_id, number):
    found = funding(client, contract_id)
    return found and found["tranches"][number - 1]["status"]


def wait_status(client, contract_id, number, status):
    wait_until(
        lambda: tranche_status(client, contract_id, number) == status, seconds=30, message=f"tranche {number} {status}"
    )
    return funding(client, contract_id)["tranches"][number - 1]


def pay(client, tranche, voucher):
    return post(
        client, f"/tranches/{tranche['tranche_id']}/payment", {"amount_fen": tranche["amount_fen"], "voucher": voucher}
    )


def test_the_seed_payment_path_through_the_gateway(finance_system, officer):
    system, rabbit_vhost = finance_system, finance_system.vhost
    grants = GrantsFeed()
    c = str(grants.contract_id)
    send(system, rabbit_vhost, *grants.signed_up_to_contract())

    t1 = wait_status(officer, c, 1, "payable")
    assert [t["amount_fen"] for t in funding(officer, c)["tranches"]] == [10_000_000, 7_500_000, 7_500_000]
    t2 = funding(officer, c)["tranches"][1]
    refused = pay(officer, t2, "PV-EARLY")
    assert refused.status_code == 422 and refused.json()["error"] == "TRANCHE_NOT_PAYABLE"

    head = system.health()["services"]["finance"]["store"]["head"]
    not_finance = pay(system.api, t1, "PV-BY-ADMIN")  # the bureau administrator runs the programme, moves no money
    assert not_finance.status_code == 403 and not_finance.json()["error"] == "FORBIDDEN", not_finance.text
    assert system.health()["services"]["finance"]["store"]["head"] == head
    assert tranche_status(officer, c, 1) == "payable"
    assert tranche_status(system.api, c, 1) == "payable"  # reading the funding is theirs too

    paid = pay(officer, t1, "PV-2025-001")
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid"
    again = pay(officer, t1, "PV-2025-001b")
    assert again.status_code == 409 and again.json()["error"] == "TRANCHE_ALREADY_PAID"
    assert again.json()["voucher"] == "PV-2025-001"
    assert (
        post(officer, f"/tranches/{t1['tranche_id']}/payment", {"amount_fen": 1.5, "voucher": "x"}).status_code == 400
    )

    mid = grants.mid_term(passed=True)
    send(system, rabbit_vhost, mid, mid)  # delivered twice: one effect
    t2 = wait_status(officer, c, 2, "payable")
    assert pay(officer, t2, "PV-2026-002").status_code == 200
    send(system, rabbit_vhost, grants.completed(), grants.effectiveness(passed=True))
    t3 = wait_status(officer, c, 3, "payable")
    assert pay(officer, t3, "PV-2026-003").status_code == 200

    spent = post(
        officer,
        f"/contracts/{c}/expenditures",
        {"budget_line": "staff", "fund": "fiscal", "amount_fen": 12_500_000, "voucher": "E-1"},
    )
    assert spent.status_code == 201 and spent.json()["flags"] == ["over_budget_line"]
    donated = post(
        officer,
        "/donations",
        {"contract_id": c, "donor": "中卫爱心企业", "amount_fen": 200_000, "receipt": "JZ-2025-0001"},
    )
    assert donated.status_code == 201
    over = post(
        officer,
        f"/contracts/{c}/expenditures",
        {"budget_line": "activities", "fund": "donation", "amount_fen": 200_001, "voucher": "D-1"},
    )
    assert over.status_code == 422 and "amount_fen" in over.json()["fields"]

    with system.rpc() as rpc:  # what other services would receive from finance
        published = rpc.finance.notifications(0, 1000)["envelopes"]
    paid_vouchers = [e["payload"]["voucher"] for e in published if e["type"] == "finance.tranche_paid.v1"]
    assert paid_vouchers == ["PV-2025-001", "PV-2026-002", "PV-2026-003"]
    wait_until(
        lambda: system.health()["services"]["finance"]["relay"]["published"] >= published[-1]["notification_id"],
        seconds=30,
        message="finance relay published its events",
    )

    summary = funding(officer, c)
    assert summary["fiscal"]["paid_fen"] == summary["fiscal"]["obligated_fen"] == 25_000_000
    assert summary["donation"]["balance_fen"] == 200_000
    tb = get(officer, "/ledger/trial-balance", as_of="2030-01-01").json()
    assert tb["balanced"] is True and tb["funds"]["donation"]["debit_fen"] == 200_000
    before_signing = get(officer, "/ledger/trial-balance", as_of="2025-05-01").json()
    assert before_signing["entries"] == 0 and before_signing["balanced"] is True
    assert get(officer, "/ledger/trial-balance", as_of="yesterday").status_code == 400
    journal = get(officer, "/ledger/journal", limit=3).json()
    assert [e["kind"] for e in journal["items"]] == ["appropriation", "commitment", "obligation"]
    rest = get(officer, "/ledger/journal", cursor=journal["next_cursor"], limit=1000).json()
    assert rest["items"][0]["sequence"] == 4 and rest["next_cursor"] is None
    reconciliation = get(officer, "/ledger/reconciliation").json()
    assert [b["check"] for b in reconciliation["breaks"]] == ["within_budget_line"]

    # A second contract is terminated: its paid tranche is owed back.
    other = GrantsFeed()
    other.start = len(grants.sent)
    o = str(other.contract_id)
    send(system, rabbit_vhost, *other.signed_up_to_contract())
    assert pay(officer, wait_status(officer, o, 1, "payable"), "PV-O-1").status_code == 200
    send(system, rabbit_vhost, other.terminated())
    wait_until(lambda: get(officer, "/recoveries").json()["items"], seconds=30, message="recovery raised")
    [recovery] = get(officer, "/recoveries").json()["items"]
    assert recovery["outstanding_fen"] == 10_000_000 and recovery["age_days"] >= 0
    r = recovery["recovery_id"]
    collected = post(officer, f"/recoveries/{r}/collections", {"amount_fen": 4_000_000, "reference": "BANK-1"})
    assert collected.status_code == 200 and collected.json()["outstanding_fen"] == 6_000_000
    no_reason = post(officer, f"/recoveries/{r}/write-off", {"reason": " ", "approver": "director-wang"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    written = post(
        officer, f"/recoveries/{r}/write-off", {"reason": "organisation dissolved", "approver": "director-wang"}
    )
    assert written.status_code == 200 and written.json()["status"] == "settled"
    assert get(officer, "/recoveries").json()["items"] == []
    assert get(officer, "/ledger/trial-balance").json()["balanced"] is True
    assert post(officer, "/tranches/not-a-uuid/payment", {"amount_fen": 1, "voucher": "x"}).status_code == 404

    spec = system.anonymous.get("/openapi.json", timeout=10).json()  # public: no token needed
    assert {
        "/contracts/{contract_id}/funding",
        "/tranches/{tranche_id}/payment",
        "/donations",
        "/recoveries",
        "/recoveries/{recovery_id}/collections",
        "/ledger/trial-balance",
        "/ledger/reconciliation",
        "/ledger/journal",
        "/recoveries/{recovery_id}/write-off",
        "/contracts/{contract_id}/expenditures",
    } <= set(spec["paths"])


NOWHERE = uuid.uuid4()
BAD = {
    "amount as text": (
        "POST",
        f"/tranches/{NOWHERE}/payment",
        {"amount_fen": "100", "voucher": "x"},
        400,
        "amount_fen",
    ),
    "amount as float": (
        "POST",
        f"/tranches/{NOWHERE}/payment",
        {"amount_fen": 100.0, "voucher": "x"},
        400,
        "amount_fen",
    ),
    "zero amount": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 0, "voucher": "x"}, 400, "amount_fen"),
    "absurd amount": (
        "POST",
        f"/tranches/{NOWHERE}/payment",
        {"amount_fen": 10**16, "voucher": "x"},
        400,
        "amount_fen",
    ),
    "no voucher": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 1}, 400, "voucher"),
    "unknown field": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 1, "voucher": "x", "tip": 1}, 400, "tip"),
    "unknown tranche": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 1, "voucher": "x"}, 404, None),
    "unknown fund": (
        "POST",
        f"/contracts/{NOWHERE}/expenditures",
        {"budget_line": "staff", "fund": "lottery", "amount_fen": 1, "voucher": "x"},
        400,
        "fund",
    ),
    "unknown contract": (
        "POST",
        f"/contracts/{NOWHERE}/expenditures",
        {"budget_line": "staff", "fund": "fiscal", "amount_fen": 1, "voucher": "x"},
        404,
        None,
    ),
    "donation without project": (
        "POST",
        "/donations",
        {"contract_id": "nope", "donor": "x", "amount_fen": 1, "receipt": "r"},
        400,
        "contract_id",
    ),
    "write-off without approver": ("POST", f"/recoveries/{NOWHERE}/write-off", {"reason": "r"}, 400, "approver"),
    "collection bad date": (
        "POST",
        f"/recoveries/{NOWHERE}/collections",
        {"amount_fen": 1, "reference": "r", "collected_on": "2025-02-30"},
        400,
        "collected_on",
    ),
    "array body": ("POST", "/donations", [1], 400, "_body"),
    "recoveries bad status": ("GET", "/recoveries?status=bogus", None, 400, "status"),
    "trial balance bad date": ("GET", "/ledger/trial-balance?as_of=2025-02-30", None, 400, "as_of"),
    "journal bad cursor": ("GET", "/ledger/journal?cursor=-1", None, 400, "cursor"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_finance_requests_are_refused_clearly_and_store_nothing(finance_system, officer, case):
    method, path, body, status, field = BAD[case]
    head = finance_system.health()["services"]["finance"]["store"]["head"]
    response = officer.request(
        method,
        path,
        timeout=10,
        **({"data": json.dumps(body), "headers": {"Content-Type": "application/json"}} if body is not None else {}),
    )
    assert response.status_code == status, response.text
    error = response.json()
    assert error["error"] and error["message"]
    if field:
        assert field in error["fields"], error
    assert finance_system.health()["services"]["finance"]["store"]["head"] == head


def test_a_body_that_is_not_json_is_refused(officer):
    api = officer
    assert api.post("/donations", data="donor=x", headers={"Content-Type": "text/plain"}, timeout=10).status_code == 415
    assert api.post("/donations", data="{", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400
