"""Lines 5 and 6 (卫沙民社函〔2025〕11号 §三.(四).5–6: child-director supervision and
cross-learning; nurturing community social organisations) and the provider's own
supervision team (§五.(三).3) are the provider's work: its staff record them
under their organisation's contract, and that contract's quarterly report counts
them. Another organisation's contract is refused (issue 14 item 3)."""

import pytest

from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System
from tests.support.world import ELSEWHERE, HOME, T, World, build_world, day, ok

PERIOD = f"{T.year}-Q{(T.month - 1) // 3 + 1}"


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("lines56"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def supervision(contract_id: str, directors: list[str]) -> dict:
    return {
        "kind": "cross_learning",
        "held_on": day(0),
        "contract_id": contract_id,
        "topic": "儿童主任交叉学习：个案发现与报告",
        "supervisor": "项目督导",
        "director_ids": directors,
        "duration_minutes": 120,
    }


def organisation(contract_id: str, name: str) -> dict:
    return {
        "name": name,
        "town": HOME["town"],
        "focus": "儿童关爱志愿服务",
        "contract_id": contract_id,
        "nurtured_on": day(0),
    }


def team_session(contract_id: str) -> dict:
    return {
        "contract_id": contract_id,
        "format": "training",
        "focus": ["professional_skills", "resource_development"],
        "held_on": day(0),
        "topic": "个案管理与资源链接培训",
        "supervisor": "督导团队 王老师",
        "staff_attending": 5,
        "duration_minutes": 90,
    }


def refused_as_not_ours(response) -> None:
    assert response.status_code == 403, response.text
    assert "contract_id" in response.json()["fields"]


def test_provider_staff_record_lines_5_and_6_and_their_supervision_team_and_the_report_counts_them(world):
    admin, provider = world.system.api, world.clients["provider_staff"]
    for name, place in (("李主任", HOME), ("马主任", ELSEWHERE)):
        ok(admin.post("/child-directors", json={"name": name, **place, "appointed_on": day(-3)}), 201)
    directors = [row["director_id"] for row in ok(provider.get("/child-directors"))["items"]]
    assert len(directors) == 2

    ours = world.ours.contract_id
    ok(provider.post("/supervisions", json=supervision(ours, directors)), 201)
    ok(provider.post("/community-organizations", json=organisation(ours, "新北村爱心妈妈志愿队")), 201)
    created = provider.post("/project-supervisions", json=team_session(ours))
    assert created.status_code == 201 and created.headers["Location"] == f"/contracts/{ours}"

    report = ok(provider.get(f"/contracts/{ours}/reports/quarterly/{PERIOD}"))
    lines = {row["line"]: row for row in report["service_lines"]}
    assert lines["director_supervision"]["records"] == 1
    assert lines["social_participation"]["records"] == 1
    assert report["directors"]["cross_learning"] == 1 and report["directors"]["directors_reached"] == 2
    assert report["community_organizations"]["nurtured_this_quarter"] == 1
    assert report["project_supervision"]["by_format"] == {"consultation": 0, "training": 1}
    assert report["project_supervision"]["staff_attendances"] == 5
    assert {g["line"] for g in report["gaps"]}.isdisjoint({"director_supervision", "social_participation"})
    html = provider.get(f"/contracts/{ours}/reports/quarterly/{PERIOD}", params={"format": "html"})
    assert html.status_code == 200 and "项目督导团队" in html.text


def test_provider_staff_cannot_record_under_another_organisations_contract_or_none(world):
    provider = world.clients["provider_staff"]
    theirs = world.theirs.contract_id
    directors = [row["director_id"] for row in ok(world.system.api.get("/child-directors"))["items"]]
    before = ok(world.system.api.get(f"/contracts/{theirs}/reports/quarterly/{PERIOD}"))
    refused_as_not_ours(provider.post("/supervisions", json=supervision(theirs, directors)))
    refused_as_not_ours(provider.post("/community-organizations", json=organisation(theirs, "越界培育的组织")))
    refused_as_not_ours(provider.post("/project-supervisions", json=team_session(theirs)))
    without = {k: v for k, v in organisation(theirs, "没有合同的组织").items() if k != "contract_id"}
    refused_as_not_ours(provider.post("/community-organizations", json=without))
    after = ok(world.system.api.get(f"/contracts/{theirs}/reports/quarterly/{PERIOD}"))
    for section in ("directors", "community_organizations", "project_supervision"):
        assert after[section] == before[section]
    names = [row["name"] for row in ok(world.system.api.get("/community-organizations"))["items"]]
    assert "越界培育的组织" not in names and "没有合同的组织" not in names


def test_a_supervision_team_session_needs_its_fields(world):
    provider = world.clients["provider_staff"]
    bad = {**team_session(world.ours.contract_id), "format": "lecture", "staff_attending": 0, "focus": []}
    response = provider.post("/project-supervisions", json=bad)
    assert response.status_code in (400, 422), response.text
    assert {"format", "staff_attending", "focus"} <= set(response.json()["fields"])
