"""The bureau's screens in a real browser on the real services (issue 16,
bureau staff): the administrator signs in on the desk, whose cards count what
the test recorded through the API (a level-1 child with no case, overdue
contacts in two villages, a contract's two tranches held by evaluations, an
objection to resolve, no report late, the services healthy); the
children's figures drawn as charts, on screen and as printed; an account
opened, refused an empty reason and a short password, given a new password,
disabled — and its owner's sign-in then
fails. A village director cannot reach these screens. Candidate duplicate
files: one pair dismissed as two children, the other merged, and the kept
file's name corrected, read back in its history; a child director added; a twin transferred
out; the village director assesses the kept file on a phone. The visit records
register lists today's visit, is empty as it stood yesterday, and refuses a
day ahead at its field.

Needs the built app (scripts/web.sh). Set WEB_SCREENSHOTS=<dir> to keep a
screenshot of each screen. The browser runs in its own process
(tests/e2e/browser_bureau_driver.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import timedelta

import pytest

from services.gateway.web.app_pages import DIST
from shared.clock import programme_today
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, PASSWORD, System, wait_until
from tests.support.world import ELSEWHERE, HOME, contracted_organisation, day, ok, on_public_notice, post


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("bureau"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def drive(journey: str, *args: str, timeout: int = 240) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser_bureau_driver", journey, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-4000:]


NEW_PASSWORD = "a new password 五六七八"


def director_account(system, place: dict) -> str:
    username = f"director-{uuid.uuid4().hex[:6]}"
    user = {"username": username, "display_name": "李主任", "role": "child_director", "scope": place}
    ok(post(system.api, "/users", {**user, "password": PASSWORD}), 201)
    return username


def child(system, place: dict, name: str, level: int | None = None, assessed_days_ago: int = 0) -> str:
    child_id = ok(post(system.api, "/children", {**new_child(), **place, "name": name}), 201)["child_id"]
    if level:
        assessment = {"level": level, "reasons": ["父母外出务工，祖母年迈"], "assessed_on": day(-assessed_days_ago)}
        ok(post(system.api, f"/children/{child_id}/assessments", assessment), 200, 201)
    return child_id


def test_the_bureau_reads_its_desk_and_charts_and_disables_an_account(system):
    # Three files: a level-1 child with no case, overdue, in 新北村; a level-2
    # child overdue in 沙坡头村; a child not yet assessed.
    level_one = child(system, HOME, "赵小宝", level=1, assessed_days_ago=10)
    child(system, ELSEWHERE, "钱小丽", level=2, assessed_days_ago=80)
    child(system, HOME, "孙小明")
    account = director_account(system, ELSEWHERE)
    # A started contract, whose tranches 2 and 3 wait on its mid-term and
    # effectiveness evaluations; another call's notice with an objection lodged.
    contracted_organisation(system, "阳光社会工作服务中心", HOME)
    *_, notice = on_public_notice(system, "启航社会工作服务中心", notice_opened=day(-1))
    objection = {"objector": "张三", "grounds": "申报材料与实际不符"}
    ok(post(system.api, f"/public-notices/{notice}/objections", objection), 201)

    def alerted() -> bool:
        return [a["child_id"] for a in system.api.get("/cases/alerts").json()["items"]] == [level_one]

    wait_until(alerted, seconds=60, message="casework knows the level-1 child")
    drive("bureau", system.url, PASSWORD, "赵小宝", account, PASSWORD, NEW_PASSWORD)
    # the account stays disabled: neither its old password nor the one the bureau set opens a session
    for password in (PASSWORD, NEW_PASSWORD):
        refused = system.anonymous.post("/auth/token", json={"username": account, "password": password})
        assert refused.status_code == 401
    assert system.api.get(f"/users/{account}").json()["active"] is False


def test_a_village_director_cannot_reach_the_bureaus_screens(system):
    drive("not_the_bureau", system.url, director_account(system, HOME), PASSWORD)


def test_tranches_awaiting_evaluation_through_the_gateway_by_role(system):
    """The desk's new read on the real services: the bureau, the auditor and
    the finance officer read it; a provider's staff or a village director is
    refused; a bad page size is a field error, never a 500."""
    contract = contracted_organisation(system, "同心社会工作服务中心", ELSEWHERE)
    officer = system.login("finance_officer")

    def held() -> list[int]:
        items = ok(officer.get("/tranches/awaiting-evaluation", params={"limit": 500}), 200)["items"]
        return sorted(t["number"] for t in items if t["contract_id"] == contract.contract_id)

    wait_until(lambda: held() == [2, 3], seconds=60, message="finance holds tranches 2 and 3 for evaluations")
    for reader in (system.api, system.login("auditor")):
        assert ok(reader.get("/tranches/awaiting-evaluation"), 200)["items"]
    for refused in (
        system.login("provider_staff", organization_id=contract.organization_id),
        system.login("child_director", **HOME),
    ):
        assert refused.get("/tranches/awaiting-evaluation").status_code == 403
    bad = system.api.get("/tranches/awaiting-evaluation", params={"limit": 0})
    assert bad.status_code == 400 and "limit" in bad.json()["fields"]
    first = ok(system.api.get("/tranches/awaiting-evaluation", params={"limit": 1}), 200)
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = ok(system.api.get("/tranches/awaiting-evaluation", params={"cursor": first["next_cursor"]}), 200)
    assert first["items"][0]["tranche_id"] not in [t["tranche_id"] for t in rest["items"]]


def test_the_bureau_dismisses_a_pair_merges_another_and_corrects_the_kept_file(system):
    born = {"date_of_birth": day(-9 * 365), "gender": "female"}
    twins = [child_without_id(system, name, born) for name in ("吴小军", "吴晓军")]
    kept, merged = (
        child_without_id(system, name, born | {"date_of_birth": day(-10 * 365)}) for name in ("周小燕", "周晓燕")
    )
    director = director_account(system, HOME)
    drive("duplicates", system.url, PASSWORD, kept, twins[0], director)

    assert ok(system.api.get("/children/duplicates"), 200)["items"] == []
    (dismissal,) = ok(system.api.get("/children/duplicates/dismissals"), 200)["items"]
    assert {dismissal["first"]["child_id"], dismissal["second"]["child_id"]} == set(twins)
    assert dismissal["reason"] == "双胞胎，入户核实为两名儿童"
    survivor = ok(system.api.get(f"/children/{kept}"), 200)
    assert survivor["name"] == "周晓燕" and merged in survivor["merged_from"]
    corrected = [
        c for c in ok(system.api.get(f"/children/{kept}/history"), 200)["changes"] if c["event"] == "corrected"
    ]
    assert [(c["data"]["old"], c["data"]["new"], c["reason"]) for c in corrected] == [
        ("周小燕", "周晓燕", "户口本核对，姓名登记有误")
    ]
    moved = ok(system.api.get(f"/children/{twins[0]}"), 200)
    assert (moved["status"], moved["transferred_to"]) == ("transferred_out", "银川市兴庆区")
    assert ok(system.api.get(f"/children/{kept}"), 200)["risk"]["level"] == 2
    directors = ok(system.api.get("/child-directors", params={"village": "新北村"}), 200)["items"]
    assert [d["name"] for d in directors] == ["马兰花"]


def child_without_id(system, name: str, facts: dict) -> str:
    return ok(post(system.api, "/children", {**new_child(with_id=False), **HOME, **facts, "name": name}), 201)[
        "child_id"
    ]


def test_the_visits_register_lists_todays_visit_and_as_it_stood_yesterday(system):
    child_id = child(system, HOME, "郑小雨")
    findings = f"入户走访：孩子在家写作业（{uuid.uuid4().hex[:6]}）"
    today = programme_today()
    visit = {"visited_on": today - timedelta(days=1), "visitor": "李主任", "findings": findings}
    ok(post(system.api, f"/children/{child_id}/visits", visit), 201)
    yesterday, tomorrow = (str(today + timedelta(days=n)) for n in (-1, 1))
    drive("visits_register", system.url, PASSWORD, findings, yesterday, tomorrow)


def test_the_bureau_opens_a_village_directors_account_in_the_browser(system):
    username = f"ma-{uuid.uuid4().hex[:6]}"
    assert system.api  # the first administrator is made on first use
    drive("open_account", system.url, PASSWORD, username, NEW_PASSWORD)
    opened = ok(system.api.get(f"/users/{username}"), 200)
    assert (opened["role"], opened["scope"], opened["active"]) == (
        "child_director",
        {"town": "滨河镇", "village": "新北村"},
        True,
    )
    # the password the bureau set opens a session for the director
    signed_in = system.anonymous.post("/auth/token", json={"username": username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
