"""Recovery follows the reason, over HTTP on the real grants, finance and
gateway processes. Two providers each hold a signed contract whose first
tranche is paid and partly spent:

- one reports force majeure (七.(三)); the bureau decides to terminate without
  fault, naming the value of the services delivered, and finance recovers only
  the unspent, undelivered part;
- the other is found to have joined the call by improper means (七.(一)); the
  termination bans it for three years on the public list and finance recovers
  all fiscal money paid, whatever was spent.

Decisions are dated today (the services run on the real clock)."""

from datetime import date, timedelta

from services.grants.domain.contract_term import one_year_end
from services.grants.domain.organizations import ban_end
from tests.support.processes import wait_until
from tests.support.world import ELSEWHERE, HOME, contracted_organisation, ok, post

T1 = 10_000_000  # the signing tranche: 40% of 25万元
SPENT = 4_000_000
DELIVERED = 3_000_000


def funding(client, contract_id):
    response = client.get(f"/contracts/{contract_id}/funding", timeout=15)
    return response.json() if response.status_code == 200 else None


def paid_and_partly_spent(officer, contract_id, voucher):
    tranche = wait_until(
        lambda: (f := funding(officer, contract_id)) and f["tranches"][0]["status"] == "payable" and f["tranches"][0],
        seconds=60,
        message="finance making the signing tranche payable",
    )
    ok(post(officer, f"/tranches/{tranche['tranche_id']}/payment", {"amount_fen": T1, "voucher": f"PV-{voucher}"}))
    ok(
        post(
            officer,
            f"/contracts/{contract_id}/expenditures",
            {"budget_line": "personnel", "fund": "fiscal", "amount_fen": SPENT, "voucher": f"EX-{voucher}"},
        ),
        201,
    )


def owed_back(officer, contract_id):
    return wait_until(
        lambda: (f := funding(officer, contract_id)) and f["state"] == "terminated" and f["owed_back"],
        seconds=60,
        message="finance raising the recovery",
    )


def test_recovery_follows_the_reason(system):
    system.start("grants", "finance", "gateway")
    admin = system.api
    officer = system.login("finance_officer")
    flooded = contracted_organisation(system, "阳光社会工作服务中心", HOME)
    cheated = contracted_organisation(system, "星光社会工作服务中心", ELSEWHERE)
    contract = ok(admin.get(f"/contracts/{flooded.contract_id}", timeout=15))
    assert contract["period_end"] == one_year_end(date.fromisoformat(contract["period_start"])).isoformat()
    assert contract["term_exception"] is None
    paid_and_partly_spent(officer, flooded.contract_id, "A")
    paid_and_partly_spent(officer, cheated.contract_id, "B")

    # Force majeure: the provider reports, only the bureau decides.
    provider = system.login("provider_staff", organization_id=flooded.organization_id)
    report = ok(
        post(
            provider,
            f"/contracts/{flooded.contract_id}/force-majeure",
            {"event": "暴雨洪水", "impact": "三个村道路中断，走访无法开展", "proposed_action": "terminate"},
        ),
        201,
    )["id"]
    decision_path = f"/contracts/{flooded.contract_id}/force-majeure/{report}/decision"
    decision = {
        "decision": "terminate_without_fault",
        "basis": "经区民社局核实属不可抗力，无过错终止；已完成摸底建档部分",
        "delivered_fen": DELIVERED,
    }
    for outsider in (provider, officer):
        forbidden = post(outsider, decision_path, decision)
        assert forbidden.status_code == 403 and forbidden.json()["error"] == "FORBIDDEN", forbidden.text
    pending = post(admin, f"/contracts/{flooded.contract_id}/termination", {"reason": "other", "details": "无法履约"})
    assert pending.status_code == 422 and "force_majeure" in pending.json()["fields"], pending.text
    unstated = post(admin, decision_path, {**decision, "delivered_fen": None})
    assert unstated.status_code == 422 and "delivered_fen" in unstated.json()["fields"], unstated.text
    malformed = post(admin, decision_path, {**decision, "delivered_fen": "lots"})
    assert malformed.status_code == 400 and "delivered_fen" in malformed.json()["fields"], malformed.text

    terminated = ok(post(admin, decision_path, decision))
    assert terminated["status"] == "terminated"
    assert terminated["termination"]["reason"] == "force_majeure"
    assert terminated["force_majeure"][0]["decision"]["basis"] == decision["basis"]
    assert post(admin, decision_path, decision).status_code == 409  # decided once

    recovery = owed_back(officer, flooded.contract_id)
    assert (recovery["amount_fen"], recovery["basis"]) == (T1 - max(SPENT, DELIVERED), "unspent_undelivered")

    # 七.(一): improper means — termination, public ban, all paid recovered.
    sanction_path = f"/contracts/{cheated.contract_id}/termination"
    sanction = {"reason": "improper_means", "details": "以不正当手段虚假参与项目申报"}
    lesser = post(admin, sanction_path, {**sanction, "recovery_fen": 1_000_000})
    assert lesser.status_code == 422 and "recovery_fen" in lesser.json()["fields"], lesser.text
    ok(post(admin, sanction_path, sanction))
    bans = system.anonymous.get("/public/bans", timeout=15).json()["items"]
    assert [(b["organization_id"], b["in_force"], b["banned_until"]) for b in bans] == [
        (cheated.organization_id, True, ban_end(date.today()).isoformat())
    ]
    assert bans[0]["reason"].startswith("improper_means")
    recovery = owed_back(officer, cheated.contract_id)
    assert (recovery["amount_fen"], recovery["basis"]) == (T1, "all_fiscal_paid")

    listed = {r["contract_id"]: r for r in officer.get("/recoveries", timeout=15).json()["items"]}
    assert listed[flooded.contract_id]["outstanding_fen"] == T1 - SPENT
    assert listed[cheated.contract_id]["outstanding_fen"] == T1
    assert date.today() - timedelta(days=1) <= date.fromisoformat(listed[cheated.contract_id]["raised_on"])
