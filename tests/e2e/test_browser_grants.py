"""The grants year in a real browser on the real services (issue 16: bureau
staff and a reviewer). The bureau drafts and publishes a call; two
organisations apply (through the API); the first's staff, on a phone, submit
its credit check (which counts for nothing until verified), apply to a second,
open call in the browser and withdraw; the bureau verifies the check against
its source and closes that call; the bureau reads
eligibility with a reason per rule, rejects the ineligible one with that
reason and disqualifies it for false materials, records due diligence, passes the other and seats a panel of four; a
reviewer signs in, sees only their own seat, declares no conflict and scores
with the rubric (the total computed as they type); the other seats score or
declare a conflict through the API; the bureau ranks, shortlists, opens the
public notice, records an objection that holds the determination, resolves
it and determines the provider. axe-core checks each screen.

Decisions are dated in the recent past, as tests/e2e/test_grants_journey.py
does (the service refuses future dates, and the notice must have ended before
the determination): each form has the decision's date, typed as a clerk
records a decision taken earlier.

Needs the built app (scripts/web.sh). Set WEB_SCREENSHOTS=<dir> to keep a
screenshot of each screen. The browser runs in its own process
(tests/e2e/browser_grants_driver.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from services.gateway.web.app_pages import DIST
from services.grants.domain.contract_term import one_year_end
from tests.support.grants import DOCUMENTS, RUBRIC_SCORES, SEED_CALL, organization, proposal
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, PASSWORD, System, wait_until
from tests.support.world import T, credit_check, day, inspection, ok, post

TITLE = "沙坡头区2026年留守儿童和困境儿童关爱服务项目"
SECOND_TITLE = "沙坡头区留守儿童关爱服务项目（第二批）"


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser-grants"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def drive(stage: str, *args: str, timeout: int = 240) -> dict[str, str]:
    """Runs one stage in the browser; returns what it printed as `KEY value` lines."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser_grants_driver", stage, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


def applicants_apply(system: System, call_id: str, years: list[int]) -> tuple[dict[str, str], dict[str, str]]:
    """Two organisations apply: one with both years' inspections, one missing
    the first. The first's credit check is left to its staff to submit in the
    browser (and to the bureau to verify there)."""
    api = system.api
    applied, orgs = {}, {}
    for name, type_code, inspected, checks in (
        ("阳光社会工作服务中心", "52", years, []),
        ("某社会团体", "51", years[1:], [credit_check()]),
    ):
        org = ok(post(api, "/organizations", organization(name, type_code=type_code)), 201)["id"]
        for item in [*(inspection(year) for year in inspected), *checks]:
            ok(post(api, f"/organizations/{org}/evidence", {**item, "source": "年检公告; 信用中国"}), 201)
        body = {"organization_id": org, "proposal": proposal(), "documents": DOCUMENTS, "submitted_on": day(-35)}
        applied[name] = ok(post(api, f"/calls/{call_id}/applications", body), 201)["id"]
        orgs[name] = org
    return applied, orgs


def second_call(system: System) -> str:
    """A call taking applications today, which the provider applies to in the browser."""
    opens = T.fromordinal(T.toordinal() - 2)
    terms = {
        **SEED_CALL,
        "title": SECOND_TITLE,
        "inspection_years": [opens.year - 2, opens.year - 1],
        "submission_opens": day(-2),
        "submission_closes": day(10),
        "review_opens": day(11),
        "review_closes": day(20),
        "service_start": day(30),
        "service_end": day(389),
    }
    call = ok(post(system.api, "/calls", terms), 201)["id"]
    ok(post(system.api, f"/calls/{call}/publish", {"published_on": day(-2)}))
    return call


def provider_account(system: System, organization_id: str) -> str:
    username = f"provider-{uuid.uuid4().hex[:6]}"
    body = {
        "username": username,
        "display_name": "阳光中心 王强",
        "role": "provider_staff",
        "scope": {"organization_id": organization_id},
        "password": PASSWORD,
    }
    ok(post(system.api, "/users", body), 201)
    return username


def reviewer_account(system: System, member_id: str) -> str:
    username = f"reviewer-{uuid.uuid4().hex[:6]}"
    body = {
        "username": username,
        "display_name": "张评审",
        "role": "reviewer",
        "scope": {"panel_member_ids": [member_id]},
        "password": PASSWORD,
    }
    ok(post(system.api, "/users", body), 201)
    return username


def test_the_bureau_and_a_reviewer_run_the_grants_year_in_the_browser(system):
    opens = T.fromordinal(T.toordinal() - 40)
    years = [opens.year - 2, opens.year - 1]
    dates = ",".join(day(n) for n in (-40, -30, -29, -10, -5, 360, -40))
    assert ok(system.api.get("/calls"))["items"] == []  # (and the bureau's admin account exists)
    call_id = drive("bureau_opens_call", system.url, "admin", PASSWORD, dates)["CALL"]
    call = ok(system.api.get(f"/calls/{call_id}"))
    assert (call["title"], call["status"], call["published_on"]) == (TITLE, "published", day(-40))
    assert call["inspection_years"] == years  # the form's default: the two years before this one
    assert [c["call_id"] for c in ok(system.api.get("/calls"))["items"]] == [call_id]  # the double click drafted one

    applied, orgs = applicants_apply(system, call_id, years)
    # The provider's staff, on a phone: a credit check submitted (it counts for
    # nothing yet), an application to the open call, withdrawn; the bureau
    # verifies the check against its source and closes the deserted call.
    sunshine = orgs["阳光社会工作服务中心"]
    open_call = second_call(system)
    username = provider_account(system, sunshine)
    withdrawn = drive("provider_applies", system.url, username, PASSWORD, sunshine, open_call, day(-50))["APPLICATION"]
    mine = ok(system.api.get(f"/applications/{withdrawn}"))
    assert (mine["organization_id"], mine["call_id"], mine["status"]) == (sunshine, open_call, "withdrawn")
    assert mine["withdrawal"]["reason"] == "人员调整，本期无法承接"
    assert [line["amount_fen"] for line in mine["proposal"]["budget_lines"]] == [15_000_000, 10_000_000]
    assert {a["service_line"] for a in mine["proposal"]["activities"]} == set(SEED_CALL["service_lines"])
    assert [d["kind"] for d in mine["documents"] if d["signed_and_sealed"]] == ["application_form"]
    on_behalf = drive("bureau_verifies", system.url, "admin", PASSWORD, open_call, day(-50))["ON_BEHALF"]
    entered = ok(system.api.get(f"/applications/{on_behalf}"))
    assert (entered["organization_id"], entered["call_id"]) == (orgs["某社会团体"], open_call)
    assert [line["amount_fen"] for line in entered["proposal"]["budget_lines"]] == [15_000_000, 10_000_000]
    checks = [e for e in ok(system.api.get(f"/organizations/{sunshine}"))["evidence"] if e["kind"] == "credit_check"]
    assert [(e["status"], e["subject"], e["result"], e["effective_on"]) for e in checks] == [
        ("verified", "organisation", "clear", day(-50))
    ]
    assert checks[0]["verification"]["source"] == "信用中国 查询截图"
    closed = ok(system.api.get(f"/calls/{open_call}"))
    assert (closed["status"], closed["close_reason"]) == ("closed", "唯一申报机构已撤回，本次征集终止")

    drive("bureau_reviews", system.url, "admin", PASSWORD, call_id, day(-29), str(years[0]))
    weak = ok(system.api.get(f"/applications/{applied['某社会团体']}"))
    assert weak["preliminary"]["reasons"] == [f"年检未通过：{years[0]}年无年检记录"]
    assert (weak["status"], weak["disqualification"]["reason"]) == ("disqualified", "false_materials")
    assert weak["disqualification"]["decided_on"] == day(-29)
    good = ok(system.api.get(f"/applications/{applied['阳光社会工作服务中心']}"))
    assert good["status"] == "preliminary_passed" and len(good["due_diligence"]) == 1
    seats = {m["role"]: m["member_id"] for m in ok(system.api.get(f"/calls/{call_id}"))["panel"]}
    assert set(seats) == {"civil_affairs", "finance", "social_worker", "implementer_representative"}

    # The civil-affairs seat scores in the browser; the others through the API,
    # the implementer's representative declaring a conflict.
    username = reviewer_account(system, seats["civil_affairs"])
    drive("reviewer", system.url, username, PASSWORD, day(-28))
    application = applied["阳光社会工作服务中心"]
    for role in ("finance", "social_worker", "implementer_representative"):
        client = system.login("reviewer", panel_member_ids=[seats[role]])
        conflicted = role == "implementer_representative"
        declaration = {
            "application_id": application,
            "conflicted": conflicted,
            "statement": "本人为该中心理事" if conflicted else "",
            "declared_on": day(-28),
        }
        ok(post(client, f"/calls/{call_id}/panel/{seats[role]}/declarations", declaration))
        if not conflicted:
            score = {"member_id": seats[role], "scores": RUBRIC_SCORES, "scored_on": day(-28)}
            ok(post(client, f"/applications/{application}/scores", score))
    scored = ok(system.api.get(f"/applications/{application}"))["scores"]
    assert {s["member_id"]: float(s["total"]) for s in scored}[seats["civil_affairs"]] == 86.6

    decisions = ",".join(day(n) for n in (-27, -26, -24, -21, -20))
    drive("bureau_decides", system.url, "admin", PASSWORD, call_id, decisions)
    call = ok(system.api.get(f"/calls/{call_id}"))
    assert (call["determined_application_id"], call["determined_on"]) == (application, day(-20))
    notice = ok(system.api.get(f"/public-notices/{call['notice_id']}"))
    assert [(o["status"], o["outcome"]) for o in notice["objections"]] == [("resolved", "dismissed")]

    # Then the optimised plan, the contract and the start of services.
    start = T.fromordinal(T.toordinal() - 5)
    terms = (day(-18), day(-5), one_year_end(start).isoformat(), day(-15), day(-5))
    drive("bureau_contracts", system.url, "admin", PASSWORD, call_id, ",".join(terms))
    signed = ok(system.api.get(f"/applications/{application}"))
    contract = ok(system.api.get(f"/contracts/{signed['contract_id']}"))
    assert (contract["status"], contract["started_on"], contract["period_end"]) == ("active", day(-5), terms[2])
    assert contract["service_area"] == [{"town": "滨河镇", "village": None}]
    assert [line["amount_fen"] for line in contract["budget_lines"]] == [15_000_000, 9_000_000, 1_000_000]
    assert contract["service_requirements"] == ["一人一档全覆盖", "每月一次塞上护童主题活动"]

    # The provider submits a quarterly report (citing casework's generated one);
    # the bureau reviews it, suspends and reinstates, then terminates for false materials.
    contract_id = signed["contract_id"]
    period = f"{T.year}-Q{(T.month - 1) // 3 + 1}"

    def generated():
        answer = system.api.get(f"/contracts/{contract_id}/reports/quarterly/{period}")
        return answer.status_code == 200 and answer.json()

    cited = wait_until(generated, message="casework learning of the signed contract")
    report = {
        "year": T.year,
        "quarter": (T.month - 1) // 3 + 1,
        "summary": "本季度实施情况",
        "figures": {"children_reached": 120},
        "generated_report": {"as_of_position": cited["as_of_position"], "content_hash": cited["content_hash"]},
    }
    ok(post(system.api, f"/contracts/{contract_id}/quarterly-reports", report), 201)
    drive("bureau_supervises", system.url, "admin", PASSWORD, call_id)
    ended = ok(system.api.get(f"/contracts/{contract_id}"))
    assert ended["status"] == "terminated" and ended["termination"]["reason"] == "false_materials"
    assert [r["status"] for r in ended["quarterly_reports"]] == ["accepted"]
    assert [(s["reason"], s["reinstatement_reason"]) for s in ended["suspensions"]] == [
        ("未按要求开展月度主题活动", "已整改")
    ]
