"""Against a running system (issue 14 items 7 and 8): a provider's quarterly
written report cites the generated report by position and hash and is refused
when the hash does not match the regenerated report; a quarter whose report is
late is flagged in the contract view, the bureau's list and the mid-term
evaluation (卫沙民社函〔2025〕11号 §五.(三).4); a mid-term evaluation without the
bureau among its evaluators is refused (§五.(三).4, §五.(四).2); the contract's
money shows its source, 困难群众救助补助资金 (§六.(一))."""

from datetime import timedelta

import pytest

from services.grants.domain.contract_term import one_year_end
from tests.support.grants import BUREAU
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until
from tests.support.world import T, day, ok, on_public_notice, post

START = T - timedelta(days=120)


def period_of(d) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


LATE = period_of(START)  # ended more than 10 days ago, nothing reported
CURRENT = period_of(T)


@pytest.fixture(scope="module")
def journey(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("reports"))
        system.start(*ALL)
        try:
            admin = system.api
            org, call, application, _seats, _reviewers, _notice = on_public_notice(
                system, "沙坡头区阳光社工服务中心", notice_opened=day(-26)
            )
            ok(post(admin, f"/calls/{call}/determination", {"application_id": application, "determined_on": day(-20)}))
            contract = ok(
                post(
                    admin,
                    "/contracts",
                    {
                        "application_id": application,
                        "period_start": START.isoformat(),
                        "period_end": one_year_end(START).isoformat(),
                        "service_requirements": ["一人一档"],
                        "breach_terms": "违约责任",
                        "service_area": [{"town": "滨河镇"}],
                        "signed_on": day(-15),
                        "term_reason": "补录纸质协议：服务期自签约前已开始",
                    },
                ),
                201,
            )["id"]
            ok(post(admin, f"/contracts/{contract}/start", {"started_on": day(-10)}))
            provider = system.login("provider_staff", organization_id=org)
            yield system, contract, provider
        finally:
            system.stop_all()


def written_report(year_quarter: str, generated: dict, **changes) -> dict:
    year, quarter = year_quarter.split("-Q")
    reference = {"as_of_position": generated["as_of_position"], "content_hash": generated["content_hash"]}
    return {
        "year": int(year),
        "quarter": int(quarter),
        "summary": "本季度项目实施情况书面报告",
        "generated_report": {**reference, **changes},
    }


def test_a_late_quarter_is_flagged_and_the_written_report_must_cite_the_generated_one(journey):
    system, contract, provider = journey
    admin = system.api
    view = ok(provider.get(f"/contracts/{contract}"))
    assert view["report_due_days"] == 10 and view["late_reports"] == [LATE]
    assert view["report_schedule"][0]["status"] == "missing"
    late_list = ok(admin.get("/quarterly-reports/late"))["items"]
    assert [(row["contract_id"], row["late_reports"]) for row in late_list] == [(contract, [LATE])]
    assert provider.get("/quarterly-reports/late").status_code == 403

    generated = ok(provider.get(f"/contracts/{contract}/reports/quarterly/{LATE}"))
    wrong_hash = provider.post(
        f"/contracts/{contract}/quarterly-reports", json=written_report(LATE, generated, content_hash="0" * 64)
    )
    assert wrong_hash.status_code == 422 and "generated_report" in wrong_hash.json()["fields"], wrong_hash.text
    other_quarter = ok(provider.get(f"/contracts/{contract}/reports/quarterly/{CURRENT}"))
    mixed = provider.post(
        f"/contracts/{contract}/quarterly-reports",
        json=written_report(LATE, generated, content_hash=other_quarter["content_hash"]),
    )
    assert mixed.status_code == 422, mixed.text
    beyond = provider.post(
        f"/contracts/{contract}/quarterly-reports", json=written_report(LATE, generated, as_of_position=10**9)
    )
    assert beyond.status_code == 422 and "generated_report" in beyond.json()["fields"]
    uncited = {k: v for k, v in written_report(LATE, generated).items() if k != "generated_report"}
    missing = provider.post(f"/contracts/{contract}/quarterly-reports", json=uncited)
    assert missing.status_code in (400, 422) and "generated_report" in missing.json()["fields"]
    unknown = admin.post(
        "/contracts/00000000-0000-4000-8000-000000000009/quarterly-reports", json=written_report(LATE, generated)
    )
    assert unknown.status_code == 404, unknown.text
    assert ok(admin.get(f"/contracts/{contract}"))["quarterly_reports"] == []

    report = ok(provider.post(f"/contracts/{contract}/quarterly-reports", json=written_report(LATE, generated)), 201)
    view = ok(admin.get(f"/contracts/{contract}"))
    [kept] = view["quarterly_reports"]
    assert kept["report_id"] == report["id"]
    assert kept["generated_report"] == {
        "as_of_position": generated["as_of_position"],
        "content_hash": generated["content_hash"],
    }
    again = ok(
        admin.get(
            f"/contracts/{contract}/reports/quarterly/{LATE}",
            params={"as_of_position": str(kept["generated_report"]["as_of_position"])},
        )
    )
    assert again["content_hash"] == kept["generated_report"]["content_hash"]
    printed = admin.get(
        f"/contracts/{contract}/reports/quarterly/{LATE}",
        params={"as_of_position": str(generated["as_of_position"]), "format": "html"},
    )
    assert printed.status_code == 200 and generated["content_hash"] in printed.text
    assert view["late_reports"] == [LATE]  # submitted after its due date: still late
    assert view["report_schedule"][0]["first_submitted_on"] == T.isoformat()


def test_a_mid_term_evaluation_without_the_bureau_is_refused_and_the_check_shows_late_reports(journey):
    system, contract, provider = journey
    admin = system.api
    for period in (LATE, CURRENT):
        reports = ok(admin.get(f"/contracts/{contract}"))["quarterly_reports"]
        if not any(f"{r['year']}-Q{r['quarter']}" == period for r in reports):
            generated = ok(provider.get(f"/contracts/{contract}/reports/quarterly/{period}"))
            ok(provider.post(f"/contracts/{contract}/quarterly-reports", json=written_report(period, generated)), 201)
    for report in ok(admin.get(f"/contracts/{contract}"))["quarterly_reports"]:
        ok(
            admin.post(
                f"/contracts/{contract}/quarterly-reports/{report['report_id']}/review", json={"decision": "accepted"}
            )
        )

    scores = {"budget_execution": 9, "output": 45, "effect": 26, "satisfaction": 9}
    finance_only = [{"body": "finance_bureau", "name": "区财政局 李科长"}]
    refused = admin.post(
        f"/contracts/{contract}/evaluations", json={"kind": "mid_term", "scores": scores, "evaluators": finance_only}
    )
    assert refused.status_code == 422, refused.text
    assert "区民社局 (civil_affairs_bureau)" in " ".join(refused.json()["fields"]["evaluators"])
    no_body = admin.post(
        f"/contracts/{contract}/evaluations",
        json={"kind": "mid_term", "scores": scores, "evaluators": [{"name": "区民社局"}]},
    )
    assert no_body.status_code in (400, 422) and "evaluators" in no_body.json()["fields"]
    assert ok(admin.get(f"/contracts/{contract}"))["evaluations"] == []

    evaluation = ok(
        admin.post(
            f"/contracts/{contract}/evaluations", json={"kind": "mid_term", "scores": scores, "evaluators": BUREAU}
        ),
        201,
    )
    assert evaluation["evaluators"] == BUREAU and evaluation["late_reports"] == [LATE]
    [shown] = ok(admin.get(f"/contracts/{contract}"))["evaluations"]
    assert shown["late_reports"] == [LATE] and shown["passed"] is True


def test_the_funding_shows_the_hardship_relief_appropriation(journey):
    system, contract, provider = journey

    def funding():
        response = system.api.get(f"/contracts/{contract}/funding")
        return response.status_code == 200 and response.json()

    found = wait_until(funding, message="finance learning of the signed contract")
    appropriation = found["appropriation"]
    assert (appropriation["source"], appropriation["source_name"]) == ("hardship_relief", "困难群众救助补助资金")
    assert appropriation["committed_fen"] == found["fiscal"]["committed_fen"]
    assert ok(provider.get(f"/contracts/{contract}/funding"))["appropriation"]["source"] == "hardship_relief"
