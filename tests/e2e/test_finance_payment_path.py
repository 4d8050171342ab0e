"""The seed's payment path end to end: grants events (published contract
fixtures) go over the real broker to the finance process, and a finance
officer works through the gateway. 40% on signing, 30% after the mid-term
evaluation passed, 30% after completion and the effectiveness evaluation; then
a terminated contract's recovery is collected and written off."""
import json
import uuid

import pytest

from tests.support.broker import publish
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System, wait_until
from tests.unit.test_finance_fixtures import GrantsFeed

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


def send(system, vhost, *envelopes):
    for e in envelopes:
        publish(vhost, EXCHANGE, e["type"], e)


def get(system, path, **params):
    return system.api.get(path, params=params, timeout=10)


def post(system, path, body):
    return system.api.post(path, json=body, timeout=10)


def funding(system, contract_id):
    response = get(system, f"/contracts/{contract_id}/funding")
    return response.json() if response.status_code == 200 else None


def tranche_status(system, contract_id, number):
    found = funding(system, contract_id)
    return found and found["tranches"][number - 1]["status"]


def wait_status(system, contract_id, number, status):
    wait_until(lambda: tranche_status(system, contract_id, number) == status, seconds=30,
               message=f"tranche {number} {status}")
    return funding(system, contract_id)["tranches"][number - 1]


def pay(system, tranche, voucher):
    return post(system, f"/tranches/{tranche['tranche_id']}/payment",
                {"amount_fen": tranche["amount_fen"], "voucher": voucher})


def test_the_seed_payment_path_through_the_gateway(finance_system):
    system, rabbit_vhost = finance_system, finance_system.vhost
    grants = GrantsFeed()
    c = str(grants.contract_id)
    send(system, rabbit_vhost, *grants.signed_up_to_contract())

    t1 = wait_status(system, c, 1, "payable")
    assert [t["amount_fen"] for t in funding(system, c)["tranches"]] == [10_000_000, 7_500_000, 7_500_000]
    t2 = funding(system, c)["tranches"][1]
    refused = pay(system, t2, "PV-EARLY")
    assert refused.status_code == 422 and refused.json()["error"] == "TRANCHE_NOT_PAYABLE"

    paid = pay(system, t1, "PV-2025-001")
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid"
    again = pay(system, t1, "PV-2025-001b")
    assert again.status_code == 409 and again.json()["error"] == "TRANCHE_ALREADY_PAID"
    assert again.json()["voucher"] == "PV-2025-001"
    assert post(system, f"/tranches/{t1['tranche_id']}/payment", {"amount_fen": 1.5, "voucher": "x"}).status_code == 400

    mid = grants.mid_term(passed=True)
    send(system, rabbit_vhost, mid, mid)  # delivered twice: one effect
    t2 = wait_status(system, c, 2, "payable")
    assert pay(system, t2, "PV-2026-002").status_code == 200
    send(system, rabbit_vhost, grants.completed(), grants.effectiveness(passed=True))
    t3 = wait_status(system, c, 3, "payable")
    assert pay(system, t3, "PV-2026-003").status_code == 200

    spent = post(system, f"/contracts/{c}/expenditures",
                 {"budget_line": "staff", "fund": "fiscal", "amount_fen": 12_500_000, "voucher": "E-1"})
    assert spent.status_code == 201 and spent.json()["flags"] == ["over_budget_line"]
    donated = post(system, "/donations", {"contract_id": c, "donor": "中卫爱心企业", "amount_fen": 200_000,
                                          "receipt": "JZ-2025-0001"})
    assert donated.status_code == 201
    over = post(system, f"/contracts/{c}/expenditures",
                {"budget_line": "activities", "fund": "donation", "amount_fen": 200_001, "voucher": "D-1"})
    assert over.status_code == 422 and "amount_fen" in over.json()["fields"]

    with system.rpc() as rpc:  # what other services would receive from finance
        published = rpc.finance.notifications(0, 1000)["envelopes"]
    paid_vouchers = [e["payload"]["voucher"] for e in published if e["type"] == "finance.tranche_paid.v1"]
    assert paid_vouchers == ["PV-2025-001", "PV-2026-002", "PV-2026-003"]
    wait_until(lambda: system.health()["services"]["finance"]["relay"]["published"] >= published[-1]["notification_id"],
               seconds=30, message="finance relay published its events")

    summary = funding(system, c)
    assert summary["fiscal"]["paid_fen"] == summary["fiscal"]["obligated_fen"] == 25_000_000
    assert summary["donation"]["balance_fen"] == 200_000
    tb = get(system, "/ledger/trial-balance", as_of="2030-01-01").json()
    assert tb["balanced"] is True and tb["funds"]["donation"]["debit_fen"] == 200_000
    before_signing = get(system, "/ledger/trial-balance", as_of="2025-05-01").json()
    assert before_signing["entries"] == 0 and before_signing["balanced"] is True
    assert get(system, "/ledger/trial-balance", as_of="yesterday").status_code == 400
    journal = get(system, "/ledger/journal", limit=3).json()
    assert [e["kind"] for e in journal["items"]] == ["appropriation", "commitment", "obligation"]
    rest = get(system, "/ledger/journal", cursor=journal["next_cursor"], limit=1000).json()
    assert rest["items"][0]["sequence"] == 4 and rest["next_cursor"] is None
    reconciliation = get(system, "/ledger/reconciliation").json()
    assert [b["check"] for b in reconciliation["breaks"]] == ["within_budget_line"]

    # A second contract is terminated: its paid tranche is owed back.
    other = GrantsFeed()
    other.start = len(grants.sent)
    o = str(other.contract_id)
    send(system, rabbit_vhost, *other.signed_up_to_contract())
    assert pay(system, wait_status(system, o, 1, "payable"), "PV-O-1").status_code == 200
    send(system, rabbit_vhost, other.terminated())
    wait_until(lambda: get(system, "/recoveries").json()["items"], seconds=30, message="recovery raised")
    [recovery] = get(system, "/recoveries").json()["items"]
    assert recovery["outstanding_fen"] == 10_000_000 and recovery["age_days"] >= 0
    r = recovery["recovery_id"]
    collected = post(system, f"/recoveries/{r}/collections", {"amount_fen": 4_000_000, "reference": "BANK-1"})
    assert collected.status_code == 200 and collected.json()["outstanding_fen"] == 6_000_000
    no_reason = post(system, f"/recoveries/{r}/write-off", {"reason": " ", "approver": "director-wang"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    written = post(system, f"/recoveries/{r}/write-off", {"reason": "organisation dissolved", "approver": "director-wang"})
    assert written.status_code == 200 and written.json()["status"] == "settled"
    assert get(system, "/recoveries").json()["items"] == []
    assert get(system, "/ledger/trial-balance").json()["balanced"] is True
    assert post(system, "/tranches/not-a-uuid/payment", {"amount_fen": 1, "voucher": "x"}).status_code == 404

    spec = system.anonymous.get("/openapi.json", timeout=10).json()  # public: no token needed
    assert {"/contracts/{contract_id}/funding", "/tranches/{tranche_id}/payment", "/donations", "/recoveries",
            "/recoveries/{recovery_id}/collections", "/ledger/trial-balance", "/ledger/reconciliation",
            "/ledger/journal", "/recoveries/{recovery_id}/write-off",
            "/contracts/{contract_id}/expenditures"} <= set(spec["paths"])


NOWHERE = uuid.uuid4()
BAD = {
    "amount as text": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": "100", "voucher": "x"}, 400, "amount_fen"),
    "amount as float": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 100.0, "voucher": "x"}, 400, "amount_fen"),
    "zero amount": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 0, "voucher": "x"}, 400, "amount_fen"),
    "absurd amount": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 10**16, "voucher": "x"}, 400, "amount_fen"),
    "no voucher": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 1}, 400, "voucher"),
    "unknown field": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 1, "voucher": "x", "tip": 1}, 400, "tip"),
    "unknown tranche": ("POST", f"/tranches/{NOWHERE}/payment", {"amount_fen": 1, "voucher": "x"}, 404, None),
    "unknown fund": ("POST", f"/contracts/{NOWHERE}/expenditures",
                     {"budget_line": "staff", "fund": "lottery", "amount_fen": 1, "voucher": "x"}, 400, "fund"),
    "unknown contract": ("POST", f"/contracts/{NOWHERE}/expenditures",
                         {"budget_line": "staff", "fund": "fiscal", "amount_fen": 1, "voucher": "x"}, 404, None),
    "donation without project": ("POST", "/donations", {"contract_id": "nope", "donor": "x", "amount_fen": 1, "receipt": "r"},
                                 400, "contract_id"),
    "write-off without approver": ("POST", f"/recoveries/{NOWHERE}/write-off", {"reason": "r"}, 400, "approver"),
    "collection bad date": ("POST", f"/recoveries/{NOWHERE}/collections",
                            {"amount_fen": 1, "reference": "r", "collected_on": "2025-02-30"}, 400, "collected_on"),
    "array body": ("POST", "/donations", [1], 400, "_body"),
    "recoveries bad status": ("GET", "/recoveries?status=bogus", None, 400, "status"),
    "trial balance bad date": ("GET", "/ledger/trial-balance?as_of=2025-02-30", None, 400, "as_of"),
    "journal bad cursor": ("GET", "/ledger/journal?cursor=-1", None, 400, "cursor"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_finance_requests_are_refused_clearly_and_store_nothing(finance_system, case):
    method, path, body, status, field = BAD[case]
    head = finance_system.health()["services"]["finance"]["store"]["head"]
    response = finance_system.api.request(method, path, timeout=10,
                                          **({"data": json.dumps(body), "headers": {"Content-Type": "application/json"}}
                                             if body is not None else {}))
    assert response.status_code == status, response.text
    error = response.json()
    assert error["error"] and error["message"]
    if field:
        assert field in error["fields"], error
    assert finance_system.health()["services"]["finance"]["store"]["head"] == head


def test_a_body_that_is_not_json_is_refused(finance_system):
    api = finance_system.api
    assert api.post("/donations", data="donor=x", headers={"Content-Type": "text/plain"}, timeout=10).status_code == 415
    assert api.post("/donations", data="{", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400
