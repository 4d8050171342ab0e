"""The contract's close-out in a real browser on the real services (issue 16,
the bureau's contract page). Through the API a contract is signed whose
service year has already ended (a paper agreement entered late, with the
bureau's reason) and the provider's quarterly written reports, each citing
casework's generated report, are submitted late and accepted. In the browser
the bureau reads each quarter's due date with the late ones flagged
(§五.(三).4); records the mid-term evaluation — refused and said so while the
bureau is not among the evaluators — then the completion with the final
report, the effectiveness evaluation by the bureau, finance and the
implementers' representative (§五.(四).2), the audit (a qualified opinion
without findings refused) and the closure. On a live contract the provider,
on a phone, sends its quarter's written report from its own contract screen,
and the finance officer reverses a payment and an expenditure recorded in
error. The results are checked through the API; axe-core checks each screen.

Needs the built app (scripts/web.sh). Set WEB_SCREENSHOTS=<dir> to keep a
screenshot of each screen. The browser runs in its own process
(tests/e2e/browser_contract_driver.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import timedelta

import pytest

from services.gateway.web.app_pages import DIST
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, PASSWORD, System, wait_until
from tests.support.world import HOME, T, contracted_organisation, day, ok, on_public_notice, post

# The year ended two weeks ago: the day of signing, the last day the service may end on.
END = T - timedelta(days=15)
START = END - timedelta(days=364)
ORGANISATION = "沙坡头区阳光社工服务中心"


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser-contract"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def drive(stage: str, *args: str, timeout: int = 300) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser_contract_driver", stage, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


def quarters(start, end) -> list[tuple[int, int]]:
    out, (year, quarter) = [], (start.year, (start.month - 1) // 3 + 1)
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def ended_contract_with_reports(system: System) -> str:
    """A contract whose service year ended, every quarter's report submitted (late) and accepted."""
    admin = system.api
    org, call, application, _seats, _reviewers, _notice = on_public_notice(system, ORGANISATION, day(-26))
    ok(post(admin, f"/calls/{call}/determination", {"application_id": application, "determined_on": day(-20)}))
    body = {
        "application_id": application,
        "period_start": START.isoformat(),
        "period_end": END.isoformat(),
        "service_requirements": ["一人一档"],
        "breach_terms": "违约责任",
        "service_area": [{"town": "滨河镇"}],
        "signed_on": day(-15),
        "term_reason": "补录纸质协议：服务期自签约前已开始",
    }
    contract = ok(post(admin, "/contracts", body), 201)["id"]
    ok(post(admin, f"/contracts/{contract}/start", {"started_on": day(-10)}))
    provider = system.login("provider_staff", organization_id=org)
    for year, quarter in quarters(START, END):
        period = f"{year}-Q{quarter}"

        def generated(period=period):
            answer = provider.get(f"/contracts/{contract}/reports/quarterly/{period}")
            return answer.status_code == 200 and answer.json()

        cited = wait_until(generated, message=f"casework's generated report for {period}")
        report = {
            "year": year,
            "quarter": quarter,
            "summary": f"{period} 项目实施情况书面报告",
            "generated_report": {"as_of_position": cited["as_of_position"], "content_hash": cited["content_hash"]},
        }
        ok(post(provider, f"/contracts/{contract}/quarterly-reports", report), 201)
    for report in ok(admin.get(f"/contracts/{contract}"))["quarterly_reports"]:
        review = {"decision": "accepted"}
        ok(post(admin, f"/contracts/{contract}/quarterly-reports/{report['report_id']}/review", review))
    return contract


def test_the_bureau_evaluates_completes_audits_and_closes_a_contract_in_the_browser(system):
    contract_id = ended_contract_with_reports(system)
    before = ok(system.api.get(f"/contracts/{contract_id}"))
    schedule = before["report_schedule"]
    late = [row["period"] for row in schedule if row["late"]]  # submitted after its due day
    assert before["status"] == "active" and len(late) >= len(schedule) - 1 >= 4, schedule
    assert all(row["status"] == "accepted" for row in schedule)

    drive("bureau_closes_out", system.url, "admin", PASSWORD, contract_id, str(len(schedule)), str(len(late)))

    closed = ok(system.api.get(f"/contracts/{contract_id}"))
    assert (closed["status"], closed["closed_on"], closed["mid_term_passed"], closed["effectiveness_passed"]) == (
        "closed",
        T.isoformat(),
        True,
        True,
    )
    mid_term, effectiveness = closed["evaluations"]
    assert mid_term["kind"] == "mid_term" and float(mid_term["score"]) == 84.3 and mid_term["grade"] == "good"
    assert mid_term["evaluators"] == [{"body": "civil_affairs_bureau", "name": "王科长"}]
    assert effectiveness["kind"] == "effectiveness" and float(effectiveness["score"]) == 91.0
    assert [e["body"] for e in effectiveness["evaluators"]] == [
        "civil_affairs_bureau",
        "finance_bureau",
        "implementer_representative",
    ]
    assert closed["completion"]["final_report"] == "全年服务覆盖滨河镇困境儿童，目标全部达成"
    assert (closed["audit"]["opinion"], closed["audit"]["findings"]) == ("qualified", "个别票据不规范，已整改")


def test_the_bureau_decides_a_force_majeure_report_in_the_browser(system):
    """The provider reports a flood (through the API); the bureau terminates
    without fault in the browser — refused until it states the value of the
    services delivered — and finance's recovery rests on that value."""
    flooded = contracted_organisation(system, "沙坡头区星光社工服务中心", {"town": "滨河镇", "village": "新北村"})
    provider = system.login("provider_staff", organization_id=flooded.organization_id)
    report = {"event": "暴雨洪水", "impact": "三个村道路中断，走访无法开展", "proposed_action": "terminate"}
    ok(post(provider, f"/contracts/{flooded.contract_id}/force-majeure", report), 201)

    drive("bureau_decides_force_majeure", system.url, "admin", PASSWORD, flooded.contract_id)

    ended = ok(system.api.get(f"/contracts/{flooded.contract_id}"))
    assert (ended["status"], ended["termination"]["reason"]) == ("terminated", "force_majeure")
    [decided] = ended["force_majeure"]
    assert decided["decision"]["decision"] == "terminate_without_fault"
    assert (decided["decision"]["delivered_fen"], decided["decision"]["basis"]) == (
        3_000_000,
        "经核实属不可抗力，无过错终止",
    )


def test_the_provider_reports_its_quarter_and_finance_reverses_a_payment_in_the_browser(system):
    """Issue 16: every role does in the browser what the API allows it. The
    provider's written report cites casework's generated report (the gateway
    checks the hash); the officer's reversal, double-clicked, reverses once."""
    organisation = "沙坡头区彩虹社工服务中心"
    live = contracted_organisation(system, organisation, HOME)
    contract_id = live.contract_id
    period = f"{T.year}-Q{(T.month - 1) // 3 + 1}"
    quarter = f"{T.year}年第{'一二三四'[(T.month - 1) // 3]}季度"
    provider_name = f"provider-{uuid.uuid4().hex[:6]}"
    officer_name = f"finance-{uuid.uuid4().hex[:6]}"
    for username, role, scope in (
        (provider_name, "provider_staff", {"organization_id": live.organization_id}),
        (officer_name, "finance_officer", {}),
    ):
        user = {"username": username, "display_name": username, "role": role, "scope": scope, "password": PASSWORD}
        ok(post(system.api, "/users", user), 201)
    director = {"name": "李主任", **HOME, "appointed_on": day(-30)}
    ok(post(system.api, "/child-directors", director), 201)
    provider = system.sign_in(provider_name)
    officer = system.sign_in(officer_name)
    nurtured = {"name": "新北村爱心妈妈志愿队", "town": HOME["town"], "focus": "儿童关爱志愿服务"}
    ok(post(provider, "/community-organizations", {**nurtured, "contract_id": contract_id, "nurtured_on": day(0)}), 201)

    def generated():
        answer = provider.get(f"/contracts/{contract_id}/reports/quarterly/{period}")
        return answer.status_code == 200

    wait_until(generated, message=f"casework's generated report for {period}")

    def funding() -> dict:
        return ok(system.api.get(f"/contracts/{contract_id}/funding"))

    def first_payable() -> bool:
        answer = system.api.get(f"/contracts/{contract_id}/funding")
        return answer.status_code == 200 and [t["status"] for t in answer.json()["tranches"][:1]] == ["payable"]

    wait_until(first_payable, message="the first tranche payable on signing")
    first = funding()["tranches"][0]
    ok(
        post(
            officer,
            f"/tranches/{first['tranche_id']}/payment",
            {"amount_fen": first["amount_fen"], "voucher": "PV-E2E-1"},
        )
    )
    spend = {"budget_line": "activities", "fund": "fiscal", "amount_fen": 100_000, "voucher": "E-E2E-1"}
    ok(post(officer, f"/contracts/{contract_id}/expenditures", spend), 201)

    drive(
        "provider_reports_and_finance_reverses",
        system.url,
        provider_name,
        officer_name,
        PASSWORD,
        contract_id,
        organisation,
        period,
        quarter,
        str(uuid.uuid4()),
    )

    reported = ok(system.api.get(f"/contracts/{contract_id}"))
    [written] = reported["quarterly_reports"]  # the double click sent one
    [flood] = reported["force_majeure"]
    assert (flood["event"], flood["proposed_action"], flood["decision"]) == ("暴雨致道路中断", "continue", None)
    assert reported["status"] == "active"  # the transfer was refused, nothing changed
    assert (written["status"], written["summary"]) == ("submitted", "本季度完成摸底走访和个案服务，按计划推进")
    assert f"{written['year']}-Q{written['quarter']}" == period
    after = funding()
    assert (after["tranches"][0]["status"], after["tranches"][0]["voucher"], after["fiscal"]["paid_fen"]) == (
        "payable",
        None,
        0,
    )
    assert [(e["voucher"], e["reversed"]) for e in after["expenditures"]] == [("E-E2E-1", True)]
    [supervised] = ok(system.api.get("/child-directors"))["items"]
    [held] = ok(system.api.get("/activities", params={"contract_id": contract_id}))["items"]
    [organised] = ok(system.api.get("/community-organizations"))["items"]
    assert (held["kind"], held["organization_id"], organised["activities"]) == (
        "social_organization_activity",
        organised["organization_id"],
        1,
    )
    assert (supervised["name"], supervised["supervisions"]) == ("李主任", 1)
    report = ok(system.api.get(f"/contracts/{contract_id}/reports/quarterly/{period}"))
    assert (report["project_supervision"]["sessions"], report["project_supervision"]["staff_attendances"]) == (1, 5)
    entries = ok(system.api.get("/ledger/journal", params={"limit": 1000}))["items"]
    mine = [e for e in entries if any(line["contract_id"] == contract_id for line in e["lines"])]
    reversals = [e for e in mine if e["reverses"]]
    assert sorted(e["reason"] for e in reversals) == ["凭证录入错误，款项未实际付出", "记错项目"]  # each once
