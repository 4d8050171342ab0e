"""GET /me/tasks against a running system (issue 14 item 9): a village child
director sees the contacts due in their village, most overdue first, and never
another village's children; a provider's social worker sees their
organisation's case goals, reviews, reports and evaluations and never another
organisation's; the finance officer the tranches payable; reviewers and
auditors nothing. A child transferred out drops off."""

import uuid

import pytest

from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until
from tests.support.world import ELSEWHERE, HOME, World, build_world, day, ok, on_public_notice, post, registered_child


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("tasks"))
        system.start(*ALL)
        try:
            world = build_world(system)
            admin = system.api
            # Our child is tier 1, assessed 10 days ago and never visited: 3 days overdue (7-day cadence).
            assess(admin, world.child, level=1, on=day(-10))
            # The other village's child is as overdue.
            assess(admin, world.other_child, level=1, on=day(-12))
            # Each organisation's case has a plan with a goal due in 3 days.
            for client, case in (
                (world.clients["provider_staff"], world.case),
                (system.login("provider_staff", organization_id=world.theirs.organization_id), world.other_case),
            ):
                plan(client, case)
            yield world
        finally:
            system.stop_all()


def assess(client, child_id: str, level: int, on: str) -> None:
    ok(
        post(
            client,
            f"/children/{child_id}/assessments",
            {"level": level, "reasons": ["父母外出务工"], "assessed_on": on},
        )
    )


def plan(client, case_id: str) -> None:
    ok(
        post(
            client,
            f"/cases/{case_id}/assessments",
            {"assessed_on": day(0), "worker": "社工甲", "summary": "监护缺失", "needs": ["学业支持"]},
        )
    )
    ok(
        post(
            client,
            f"/cases/{case_id}/plan",
            {"planned_on": day(0), "worker": "社工甲", "goals": [{"description": "按时上学", "target_date": day(3)}]},
        )
    )


def tasks(client, **query) -> list[dict]:
    answer = ok(client.get("/me/tasks", params=query), 200)
    assert answer["today"] == day(0)
    return answer["items"]


def links(items: list[dict]) -> set[str]:
    return {item["link"] for item in items}


def test_a_director_sees_their_villages_overdue_visits_first(world):
    director = world.clients["child_director"]
    soon = registered_child(world.system, HOME)
    assess(world.system.api, soon, level=2, on=day(-25))  # due in 5 days (30-day cadence)
    items = tasks(director)
    assert [(i["kind"], i["code"], i["link"], i["days_overdue"], i["overdue"]) for i in items] == [
        ("visit", "task_visit_tier_1", f"/children/{world.child}", 3, True),
        ("visit", "task_visit_tier_2", f"/children/{soon}", 0, False),
    ]
    assert items[0]["due_on"] == day(-3) and items[1]["due_on"] == day(5)
    # Within 0 days: only what is due by today.
    assert [i["link"] for i in tasks(director, within_days=0)] == [f"/children/{world.child}"]


def test_a_director_never_sees_another_villages_children(world):
    director = world.clients["child_director"]
    assert f"/children/{world.other_child}" not in links(tasks(director, within_days=366))
    # Asking for another village is not a filter the route takes.
    for query in ({"town": ELSEWHERE["town"], "village": ELSEWHERE["village"]}, {"organization_id": str(uuid.uuid4())}):
        refused = director.get("/me/tasks", params=query)
        assert refused.status_code == 400 and world.other_child not in refused.text
    # That village's own director does see the child.
    theirs = world.system.login("child_director", **ELSEWHERE)
    assert f"/children/{world.other_child}" in links(tasks(theirs))


def test_a_child_transferred_out_drops_off(world):
    director = world.clients["child_director"]
    leaving = registered_child(world.system, HOME)
    assess(world.system.api, leaving, level=1, on=day(-9))
    assert f"/children/{leaving}" in links(tasks(director))
    ok(
        post(
            world.system.api,
            f"/children/{leaving}/transfer-out",
            {"destination": "中卫市沙坡头区外", "reason": "随父母迁居外地", "transferred_on": day(0)},
        )
    )
    assert f"/children/{leaving}" not in links(tasks(director))


def test_a_social_worker_sees_their_organisations_cases_reports_and_evaluations(world):
    provider = world.clients["provider_staff"]
    items = tasks(provider)
    assert [(i["kind"], i["code"], i["link"], i["due_on"]) for i in items] == [
        ("case_goal", "task_case_goal", f"/cases/{world.case}", day(3))
    ]
    assert items[0]["title"].endswith("：按时上学")
    year_ahead = tasks(provider, within_days=366)
    kinds = {i["kind"] for i in year_ahead}
    assert {"case_goal", "case_review", "quarterly_report", "evaluation"} <= kinds
    assert links(year_ahead) == {f"/cases/{world.case}", f"/contracts/{world.ours.contract_id}"}
    assert [i["due_on"] for i in year_ahead] == sorted(i["due_on"] for i in year_ahead)


def test_a_social_worker_never_sees_another_organisations_items(world):
    provider = world.clients["provider_staff"]
    seen = links(tasks(provider, within_days=366))
    assert f"/cases/{world.other_case}" not in seen
    assert f"/contracts/{world.theirs.contract_id}" not in seen
    assert not any(link.startswith("/children/") for link in seen)
    refused = provider.get("/me/tasks", params={"organization_id": world.theirs.organization_id})
    assert refused.status_code == 400 and world.theirs.contract_id not in refused.text
    # Staff of an organisation with no contract have nothing due, not everyone's.
    stranger = world.system.login("provider_staff", organization_id=str(uuid.uuid4()))
    assert tasks(stranger, within_days=366) == []


def test_the_bureau_sees_the_whole_programme_and_finance_the_tranches_payable(world):
    seen = links(tasks(world.system.api, within_days=366))
    assert {
        f"/children/{world.child}",
        f"/children/{world.other_child}",
        f"/cases/{world.case}",
        f"/cases/{world.other_case}",
        f"/contracts/{world.ours.contract_id}",
        f"/contracts/{world.theirs.contract_id}",
    } <= seen

    def payable() -> set[str]:
        return links(tasks(world.clients["finance_officer"]))

    wanted = {f"/contracts/{c.contract_id}/funding" for c in (world.ours, world.theirs)}
    wait_until(lambda: wanted <= payable(), seconds=60, message="finance learning of the signed contracts")
    assert {i["kind"] for i in tasks(world.clients["finance_officer"])} == {"tranche_payment"}


def test_the_bureau_is_reminded_of_an_objection_until_it_is_resolved(world):
    admin = world.system.api
    notice = on_public_notice(world.system, "晨光社会工作服务中心", notice_opened=day(-1))[-1]
    objection = ok(
        post(
            admin,
            f"/public-notices/{notice}/objections",
            {"objector": "张三", "grounds": "评分有误", "lodged_on": day(0)},
        ),
        201,
    )["id"]
    [item] = [i for i in tasks(admin) if i["kind"] == "objection"]
    assert (item["code"], item["link"], item["overdue"]) == ("task_objection", f"/public-notices/{notice}", False)
    assert "objection" not in {i["kind"] for i in tasks(world.clients["provider_staff"], within_days=366)}
    ok(
        post(
            admin,
            f"/public-notices/{notice}/objections/{objection}/resolution",
            {"outcome": "dismissed", "resolution": "复核评分无误", "resolved_on": day(0)},
        )
    )
    assert [i for i in tasks(admin) if i["kind"] == "objection"] == []


def test_reviewers_and_auditors_have_nothing_due_and_strangers_are_refused(world):
    assert tasks(world.clients["reviewer"], within_days=366) == []
    assert tasks(world.clients["auditor"], within_days=366) == []
    assert world.system.anonymous.get("/me/tasks").status_code == 401
    for bad in ({"within_days": -1}, {"within_days": 367}, {"within_days": "soon"}):
        assert world.clients["child_director"].get("/me/tasks", params=bad).status_code == 400
