"""A quarter of casework end to end over HTTP on the real services (PostgreSQL,
RabbitMQ): children registered at the registry, assessed and visited, cases,
groups, activities, care and supervision recorded, the quarterly report
generated as JSON and HTML and regenerated as of its log position; then the
refusals a web client meets. One running system serves the module."""

import uuid
from datetime import date

import pytest

from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until

TODAY = date.today()
DAY = TODAY.isoformat()
PERIOD = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
CONTRACT = str(uuid.uuid4())


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("casework"))
        running.start(*ALL)
        try:
            yield running
        finally:
            running.stop_all()


def post(system, path, body, status=201):
    response = system.api.post(path, json=body)
    assert response.status_code == status, response.text
    return response.json()


def get(system, path, **params):
    response = system.api.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def child() -> dict:
    # Under 16, so left_behind holds whatever today's date.
    return {**new_child(with_id=False), "date_of_birth": date(TODAY.year - 9, 5, 1).isoformat()}


def known_to_casework(system, child_id, **expected):
    def check():
        response = system.api.get(f"/casework/children/{child_id}", timeout=10)
        body = response.json() if response.status_code == 200 else {}
        return body if body and all(body.get(k) == v for k, v in expected.items()) else None

    return wait_until(check, seconds=60, message=f"casework knows {child_id} as {expected}")


def test_a_quarter_through_the_gateway(system):
    children = [post(system, "/children", child())["child_id"] for _ in range(3)]
    urgent, second, third = children
    for child_id in children:
        known_to_casework(system, child_id)
    assessed = system.api.post(
        f"/children/{urgent}/assessments", json={"level": 1, "reasons": ["监护缺失"], "assessed_on": DAY}
    )
    assert assessed.status_code in (200, 201), assessed.text
    known_to_casework(system, urgent, risk_level=1)
    alerts = get(system, "/cases/alerts")
    assert [a["child_id"] for a in alerts["items"]] == [urgent]

    case = post(
        system,
        "/cases",
        {
            "child_id": urgent,
            "contract_id": CONTRACT,
            "worker": "社工甲",
            "opened_on": DAY,
            "presenting_needs": "监护缺失",
        },
    )
    assert get(system, "/cases/alerts")["items"] == []
    for minutes in (60, 30):
        post(
            system,
            f"/cases/{case['id']}/sessions",
            {"held_on": DAY, "worker": "社工甲", "session_type": "home_visit", "duration_minutes": minutes},
        )
    post(
        system,
        "/activities",
        {
            "kind": "monthly_theme",
            "title": "塞上护童·防溺水",
            "held_on": DAY,
            "contract_id": CONTRACT,
            "theme": "防溺水",
            "child_ids": [urgent, second],
            "guardian_count": 4,
            "worker": "社工乙",
        },
    )
    post(
        system,
        "/activities",
        {
            "kind": "safety_education_children",
            "title": "道路安全课",
            "held_on": DAY,
            "contract_id": CONTRACT,
            "topics": ["road_safety", "drowning"],
            "child_ids": children,
            "worker": "社工乙",
        },
    )
    post(
        system,
        "/care-services",
        {
            "child_id": third,
            "contract_id": CONTRACT,
            "kind": "hardship_aid",
            "given_on": DAY,
            "value_fen": 30000,
            "resource": "慈善总会",
            "worker": "社工丙",
        },
    )
    group = post(
        system,
        "/groups",
        {
            "name": "成长小组",
            "purpose": "人际交往",
            "contract_id": CONTRACT,
            "min_age": 0,
            "max_age": 17,
            "formed_on": DAY,
            "worker": "社工乙",
            "member_ids": [second, third],
        },
    )
    post(
        system,
        f"/groups/{group['id']}/sessions",
        {
            "held_on": DAY,
            "topic": "认识你我",
            "worker": "社工乙",
            "duration_minutes": 90,
            "attended_child_ids": [second, third],
        },
    )
    directors = [
        post(system, "/child-directors", {"name": name, "town": town, "village": village, "appointed_on": DAY})["id"]
        for name, town, village in (("李主任", "滨河镇", "新北村"), ("马主任", "迎水桥镇", "沙坡头村"))
    ]
    post(
        system,
        "/supervisions",
        {
            "kind": "cross_learning",
            "held_on": DAY,
            "contract_id": CONTRACT,
            "topic": "交叉学习",
            "supervisor": "督导",
            "director_ids": directors,
            "duration_minutes": 120,
        },
    )

    report = get(system, f"/contracts/{CONTRACT}/reports/quarterly/{PERIOD}")
    lines = {row["line"]: row for row in report["service_lines"]}
    assert lines["tiered_management"]["records"] == 4  # case opened, 2 sessions, 1 group session
    assert lines["spiritual_literacy"]["records"] == 1
    assert lines["safety_education"]["children_reached"] == 3
    assert lines["life_care"]["records"] == 1 and lines["director_supervision"]["records"] == 1
    assert {g["line"] for g in report["gaps"]} == {
        "screening_and_files",
        "social_participation",
        "protection_publicity",
    }
    assert report["cases"]["sessions"] == 2 and report["cases"]["session_minutes"] == 90
    assert report["children"]["reached"] == 3 and report["children"]["by_tier"]["1"] == 1
    assert report["activities"]["safety_education_by_topic"]["road_safety"]["children"] == 3
    assert report["care"]["value_fen"] == 30000

    html = system.api.get(f"/contracts/{CONTRACT}/reports/quarterly/{PERIOD}", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html")
    assert "实施情况报告" in html.text and html.text.count("<svg") == 3

    post(
        system,
        "/care-services",
        {"child_id": second, "contract_id": CONTRACT, "kind": "companionship", "given_on": DAY, "worker": "社工丙"},
    )
    again = get(system, f"/contracts/{CONTRACT}/reports/quarterly/{PERIOD}", as_of_position=report["as_of_position"])
    assert again == report
    assert get(system, f"/contracts/{CONTRACT}/reports/quarterly/{PERIOD}")["service_lines"] != report["service_lines"]

    # the registry adds each service to the child's file from casework's public events
    published = system.rpc().start().casework.notifications(0, 1000)["envelopes"]
    assert {m["type"] for m in published} >= {
        "casework.case_opened.v1",
        "casework.session_held.v1",
        "casework.activity_held.v1",
        "casework.care_service_given.v1",
        "casework.group_session_held.v1",
        "casework.supervision_held.v1",
    }


def error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code and body["message"], body
    return body


def test_refusals_a_web_client_meets(system):
    api = system.api
    registered = api.post("/children", json=child()).json()["child_id"]
    known_to_casework(system, registered)
    case = {"child_id": registered, "worker": "w", "opened_on": DAY}
    body = error(api.post("/cases", json={**case, "child_id": str(uuid.uuid4())}, timeout=10), 422, "RULE_VIOLATION")
    assert "child_id" in body["fields"]
    error(api.post("/cases", json={**case, "opened_on": "2025-02-30"}, timeout=10), 400, "VALIDATION_ERROR")
    error(api.post("/cases", data="{", headers={"Content-Type": "application/json"}, timeout=10), 400, "MALFORMED_JSON")
    first = api.post("/cases", json=case, timeout=10).json()["id"]
    assert error(api.post("/cases", json=case, timeout=10), 409, "CASE_ALREADY_OPEN")["existing_case_id"] == first
    error(
        api.post(
            f"/cases/{uuid.uuid4()}/closure", json={"closed_on": DAY, "reason": "other", "worker": "w"}, timeout=10
        ),
        404,
        "NOT_FOUND",
    )
    error(
        api.post(f"/cases/{first}/closure", json={"closed_on": DAY, "reason": "bored", "worker": "w"}, timeout=10),
        400,
        "VALIDATION_ERROR",
    )
    theme = {"kind": "monthly_theme", "title": "t", "held_on": DAY, "community_count": 5, "worker": "w"}
    api.post("/activities", json={**theme, "theme": "感恩"}, timeout=10)
    body = error(api.post("/activities", json={**theme, "theme": "另一个主题"}, timeout=10), 409, "MONTHLY_THEME_TAKEN")
    assert body["month"] == TODAY.strftime("%Y-%m")
    report = f"/contracts/{CONTRACT}/reports/quarterly"
    error(api.get(f"{report}/2025-Q5", timeout=10), 400, "VALIDATION_ERROR")
    error(api.get("/contracts/nope/reports/quarterly/2025-Q1", timeout=10), 404, "NOT_FOUND")
    error(api.get(f"{report}/2025-Q1", params={"as_of_position": "10000000"}, timeout=10), 422, "RULE_VIOLATION")
    error(api.get(f"{report}/2025-Q1", params={"expected_lines": "knitting"}, timeout=10), 400, "INVALID_QUERY")
    error(api.get("/cases", params={"status": "maybe"}, timeout=10), 400, "INVALID_QUERY")
    spec = system.anonymous.get("/openapi.json", timeout=10).json()  # public: no token needed
    assert {
        "/cases",
        "/cases/{case_id}/sessions",
        "/cases/{case_id}/closure",
        "/groups",
        "/groups/{group_id}/sessions",
        "/activities",
        "/care-services",
        "/child-directors",
        "/supervisions",
        "/contracts/{contract_id}/reports/quarterly/{period}",
    } <= set(spec["paths"])
