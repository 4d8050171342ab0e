"""The web app in a real browser (Debian's chromium through Playwright) on the
real services: the public reads the current 公示 and the banned organisations
without signing in; a village child director, on a phone-sized screen, signs
in, sees who is overdue, opens a child's file and records a visit — the API's
field error shown next to the field, in Chinese; a provider's social worker,
on a laptop, files and visits a child in the contract's area and plans a
screening campaign there, takes a case from intake to closure, records a group session's
attendance, a safety-education activity and life care, and opens the
quarterly report as it prints; an auditor sees on the board the row an
operator rewrote in the database, red at its position, and reads a child's
history, its state on a date and who viewed the file.

Needs the built app (scripts/web.sh, which `make test` runs). Set
WEB_SCREENSHOTS=<dir> to keep a screenshot of each screen. The browser runs in
its own process (tests/e2e/browser_driver.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, timedelta

import pytest

from services.gateway.web.app_pages import DIST
from shared import pg
from tests.support.children import new_child, valid_id_number
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, PASSWORD, System, wait_until
from tests.support.world import (
    ELSEWHERE,
    HOME,
    MENTAL_HEALTH,
    contracted_organisation,
    day,
    ok,
    on_public_notice,
    post,
    wait_reached,
)


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("browser"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def drive(journey: str, *args: str, timeout: int = 240) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser_driver", journey, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-4000:]


def test_the_public_reads_the_current_notice_and_the_bans_without_signing_in(system):
    on_public_notice(system, "阳光社会工作服务中心", notice_opened=day(-1))
    drive("public", system.url)


def director_with_an_overdue_child(system) -> tuple[str, str, str]:
    username = f"director-{uuid.uuid4().hex[:6]}"
    ok(
        post(
            system.api,
            "/users",
            {
                "username": username,
                "display_name": "王主任",
                "role": "child_director",
                "scope": HOME,
                "password": PASSWORD,
            },
        ),
        201,
    )
    child = {**new_child(), **HOME, "name": "王小花"}
    child_id = ok(post(system.api, "/children", child), 201)["child_id"]
    ok(
        post(
            system.api,
            f"/children/{child_id}/assessments",
            {"level": 1, "reasons": ["父母外出务工，祖母年迈"], "assessed_on": day(-10)},
        ),
        200,
        201,
    )
    return username, child_id, child["name"]


def test_a_director_on_a_phone_signs_in_and_records_a_visit(system):
    username, child_id, name = director_with_an_overdue_child(system)
    drive("director", system.url, username, PASSWORD, name)
    # the double tap on save recorded one visit
    assert len(system.api.get(f"/children/{child_id}").json()["visits"]) == 1
    # the double tap on 建档 filed one left-behind child, with the household typed in the form
    filed = system.api.get("/children", params={**HOME, "q": "张小军"}).json()["items"]
    assert [c["categories"] for c in filed] == [["left_behind"]]
    household = system.api.get(f"/children/{filed[0]['child_id']}").json()["household"]
    assert household == {
        "father": {"status": "migrant", "whereabouts": "银川市"},
        "mother": {"status": "migrant", "whereabouts": "宁波市"},
        "economic_status": "ordinary",
    }


def test_the_docs_page_is_swagger_ui_under_the_csp_and_tries_requests_as_the_signed_in_user(system):
    username, _, _ = director_with_an_overdue_child(system)
    drive("docs", system.url, username, PASSWORD)


def social_worker_with_a_child_in_reach(system) -> tuple[str, str, str, str]:
    """A provider under contract for HOME (and a second contract for another
    area, so the worker picks one from a list), its social worker's account,
    and a child registered in HOME (so in the contract's reach) whom casework knows."""
    ours = contracted_organisation(system, "星火社会工作服务中心", HOME)
    contracted_organisation(system, "星火社会工作服务中心", ELSEWHERE, organization_id=ours.organization_id)
    username = f"worker-{uuid.uuid4().hex[:6]}"
    ok(
        post(
            system.api,
            "/users",
            {
                "username": username,
                "display_name": "赵社工",
                "role": "provider_staff",
                "scope": {"organization_id": ours.organization_id},
                "password": PASSWORD,
            },
        ),
        201,
    )
    # nine years old, inside the group form's default age band (6-12)
    born = date.today() - timedelta(days=9 * 365 + 100)
    child = {
        **new_child(),
        **HOME,
        "name": "张小明",
        "mental_health": MENTAL_HEALTH,
        "gender": "male",
        "date_of_birth": born.isoformat(),
        "id_number": valid_id_number(born, True, 7),
    }
    child_id = ok(post(system.api, "/children", child), 201)["child_id"]
    wait_reached(system, child_id, ours.contract_id)
    return username, ours.contract_id, child_id, child["name"]


def test_a_social_worker_on_a_laptop_takes_a_case_to_closure_and_prints_the_quarter(system):
    username, contract_id, child_id, name = social_worker_with_a_child_in_reach(system)
    drive("social_worker", system.url, username, PASSWORD, contract_id, child_id, name, timeout=420)
    # the double clicks opened one case and recorded one group session
    cases = system.api.get("/cases", params={"contract_id": contract_id}).json()["items"]
    assert [(c["child_id"], c["status"], c["closure_reason"]) for c in cases] == [(child_id, "closed", "goals_met")]
    groups = system.api.get("/groups", params={"contract_id": contract_id}).json()["items"]
    assert [(g["members"], g["sessions"]) for g in groups] == [(1, 1)]
    care = system.api.get("/care-services", params={"contract_id": contract_id}).json()["items"]
    assert [(c["kind"], c["value_fen"]) for c in care] == [("festival_visit", 20000)]
    # line 1: one child filed (the double click), visited under the contract; a campaign planned under it
    found = ok(system.api.get("/children", params={**HOME, "q": "刘小梅"}), 200)["items"]
    assert len(found) == 1
    filed = ok(system.api.get(f"/children/{found[0]['child_id']}"), 200)
    assert filed["contract_id"] == contract_id
    assert [(v["contract_id"], v["findings"]) for v in filed["visits"]] == [
        (contract_id, "父母在外务工，随祖父母生活，已建档。")
    ]
    campaigns = ok(system.api.get("/screening-campaigns"), 200)["items"]
    assert [(c["name"], c["contract_id"], c["targets"]) for c in campaigns] == [
        ("新北村留守儿童摸底排查", contract_id, [{**HOME, "households": 30}])
    ]


def registry_sealed(system) -> bool:
    health = system.health()["services"]["registry"]
    return health["sealer"]["position"] == health["store"]["head"] > 0


def position_of(system, child_id: str) -> int:
    """Where the child's registration sits in the registry's log (what verify names)."""
    after = 0
    while True:
        page = ok(system.api.get("/audit/registry/events", params={"after": after, "limit": 1000}), 200)
        for event in page["items"]:
            if event["aggregate_id"] == child_id and event["event"] == "Child.Registered":
                return event["position"]
        assert page["next_after"], f"{child_id} is not in the registry's log"
        after = page["next_after"]


def rewrite_as_an_operator(system, position: int) -> None:
    """A database administrator edits a sealed event, bypassing the append-only triggers."""
    schema = system.store.schema_for("registry")
    with pg.connect(system.store) as conn:
        conn.execute(f'ALTER TABLE "{schema}".registry_events DISABLE TRIGGER USER')
        conn.execute(
            f"UPDATE \"{schema}\".registry_events SET state = state || '\\x20'::bytea WHERE notification_id = %s",
            (position,),
        )
        conn.execute(f'ALTER TABLE "{schema}".registry_events ENABLE TRIGGER USER')


# Last in this module: it breaks the registry's chain of the module's system.
def test_an_auditor_sees_a_rewritten_row_red_and_reads_history_and_who_viewed(system):
    director, child_id, name = director_with_an_overdue_child(system)
    ok(system.sign_in(director).get(f"/children/{child_id}"), 200)  # the director reads the file: logged
    victim = ok(post(system.api, "/children", {**new_child(), **HOME, "name": "王小刚"}), 201)["child_id"]
    wait_until(lambda: registry_sealed(system), seconds=60, message="the registry's log sealed")
    position = position_of(system, victim)
    rewrite_as_an_operator(system, position)
    auditor = f"auditor-{uuid.uuid4().hex[:6]}"
    ok(
        post(
            system.api,
            "/users",
            {"username": auditor, "display_name": "审计员", "role": "auditor", "scope": {}, "password": PASSWORD},
        ),
        201,
    )
    drive("auditor", system.url, auditor, PASSWORD, str(position), victim, child_id, director)
