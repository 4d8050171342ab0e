"""What a web client can rely on, checked on a running system while a small
programme is built through the gateway (tests/support/world.py) and its field
work recorded: every create answers 201 with `id` and a Location the client
can follow; Chinese comes back as UTF-8 text, not \\u escapes; an optional
input left empty ("") is taken as absent; and every answer's values have the
types /openapi.json documents (scores are numbers, not "90.9")."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import requests

from tests.support.api import JSON_CONTENT_TYPE, recording
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System
from tests.support.world import HOME, World, build_world, day, ok, post

NAME = "李娜"


@dataclass
class Journey:
    world: World
    answers: list[requests.Response]
    spec: dict


def field_work(w: World) -> None:
    """The creates a programme's first weeks make, beyond those of the world:
    a director's visit, correction and assessment, a provider's sessions,
    activity and care, the bureau's directors, supervision and organisations,
    an objection to a notice; optional inputs left empty as a form sends them."""
    admin, provider, director = w.system.api, w.clients["provider_staff"], w.clients["child_director"]
    contract = w.ours.contract_id
    ok(
        post(
            director,
            f"/children/{w.child}/visits",
            {"visited_on": day(0), "visitor": "王芳", "findings": "家中安好", "follow_up": "", "campaign_id": ""},
        ),
        201,
    )
    ok(
        post(director, f"/children/{w.child}/corrections", {"field": "school", "value": "新北小学", "reason": "核实"}),
        201,
    )
    ok(
        post(director, f"/children/{w.child}/assessments", {"level": 2, "reasons": ["监护薄弱"], "assessed_on": ""}),
        201,
    )
    ok(
        post(
            provider,
            f"/cases/{w.case}/sessions",
            {"held_on": day(0), "worker": "社工甲", "session_type": "home_visit", "duration_minutes": 45, "notes": ""},
        ),
        201,
    )
    ok(post(provider, f"/groups/{w.group}/members", {"child_ids": [w.child]}))
    ok(
        post(
            provider,
            f"/groups/{w.group}/sessions",
            {
                "held_on": day(0),
                "topic": "认识你我",
                "worker": "社工乙",
                "duration_minutes": 90,
                "attended_child_ids": [w.child],
            },
        ),
        201,
    )
    ok(
        post(
            provider,
            "/activities",
            {
                "kind": "monthly_theme",
                "title": "塞上护童·防溺水",
                "held_on": day(0),
                "contract_id": contract,
                "theme": "防溺水",
                "child_ids": [w.child],
                "guardian_count": 2,
                "worker": "社工乙",
            },
        ),
        201,
    )
    ok(
        post(
            provider,
            "/care-services",
            {
                "child_id": w.child,
                "contract_id": contract,
                "kind": "companionship",
                "given_on": day(0),
                "worker": "社工丙",
                "notes": "",
            },
        ),
        201,
    )
    directors = [ok(post(admin, "/child-directors", {"name": "李主任", **HOME, "appointed_on": day(0)}), 201)["id"]]
    ok(
        post(
            admin,
            "/supervisions",
            {
                "kind": "supervision",
                "held_on": day(0),
                "contract_id": contract,
                "topic": "个案督导",
                "supervisor": "督导",
                "director_ids": directors,
                "duration_minutes": 120,
                "notes": "",
            },
        ),
        201,
    )
    ok(
        post(
            admin,
            "/community-organizations",
            {
                "name": "新北村儿童之家志愿队",
                "town": HOME["town"],
                "village": "",
                "focus": "课后陪伴",
                "contract_id": contract,
                "nurtured_on": day(0),
            },
        ),
        201,
    )
    ok(
        post(
            admin,
            f"/public-notices/{w.ours.notice_id}/objections",
            {"objector": "村民", "contact": "", "application_id": "", "grounds": "质疑资质", "lodged_on": day(-24)},
        ),
        201,
    )


@pytest.fixture(scope="module")
def journey(tmp_path_factory, postgres_available) -> Journey:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("answers"))
        try:
            system.start(*ALL)
            with recording() as answers:
                world = build_world(system)
                field_work(world)
            yield Journey(world, answers, system.anonymous.get("/openapi.json").json())
        finally:
            system.stop_all()


def where(response: requests.Response) -> str:
    return f"{response.request.method} {response.request.path_url}"


def creates(journey: Journey) -> list[requests.Response]:
    return [r for r in journey.answers if r.request.method == "POST" and r.status_code == 201]


# -- creates: 201, id, Location ---------------------------------------------------------------


def test_every_create_of_the_journey_answers_an_id_and_a_location_that_can_be_followed(journey):
    made = creates(journey)
    routes = {operation_of(journey.spec, "POST", r.request.path_url)[0] for r in made}
    assert len(routes) >= 20, sorted(routes)
    admin = journey.world.system.api
    problems = []
    for response in made:
        body, location = response.json(), response.headers.get("Location", "")
        if not re.fullmatch(r"[0-9a-f-]{36}", body.get("id") or ""):
            problems.append(f"{where(response)}: id {body.get('id')!r}")
        followed = admin.get(location)
        if not location.startswith("/") or followed.status_code != 200:
            problems.append(f"{where(response)}: Location {location!r} answers {followed.status_code}")
    assert problems == []


def test_a_create_still_answers_the_names_clients_used_before(journey):
    child = next(r for r in creates(journey) if r.request.path_url == "/children")
    assert child.json()["id"] == child.json()["child_id"]
    assert child.headers["Location"] == f"/children/{child.json()['id']}"
    visit = next(r for r in creates(journey) if r.request.path_url.endswith("/visits"))
    assert visit.json()["id"] == visit.json()["visit_id"]


# -- UTF-8 ------------------------------------------------------------------------------------------


def test_a_chinese_name_comes_back_as_itself_not_as_escapes(journey):
    admin = journey.world.system.api
    created = admin.post("/children", json={**new_child(), "name": NAME})
    assert created.status_code == 201, created.text
    read = admin.get(created.headers["Location"])
    assert read.headers["Content-Type"] == JSON_CONTENT_TYPE
    assert f'"name": "{NAME}"'.encode() in read.content and b"\\u674e" not in read.content
    listed = admin.get("/children", params={"q": NAME})
    assert NAME.encode() in listed.content and b"\\u" not in listed.content


def test_an_error_message_in_chinese_comes_back_as_itself(journey):
    """A second 塞上护童 theme in one month is refused, naming the theme already held."""
    refused = journey.world.clients["provider_staff"].post(
        "/activities",
        json={
            "kind": "monthly_theme",
            "title": "塞上护童·防拐骗",
            "held_on": day(0),
            "contract_id": journey.world.ours.contract_id,
            "theme": "防拐骗",
            "child_ids": [journey.world.child],
            "worker": "社工乙",
        },
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["Content-Type"] == JSON_CONTENT_TYPE
    assert "塞上护童".encode() in refused.content and "防溺水".encode() in refused.content
    assert b"\\u" not in refused.content


def test_every_json_answer_of_the_journey_was_utf8_text(journey):
    json_answers = [r for r in journey.answers if r.headers.get("Content-Type", "").startswith("application/json")]
    assert len(json_answers) > 50
    assert {r.headers["Content-Type"] for r in json_answers} == {JSON_CONTENT_TYPE}
    assert any("新北村".encode() in r.content for r in json_answers)


# -- "" as absent ------------------------------------------------------------------------------


def test_optional_inputs_left_empty_were_stored_as_not_given(journey):
    child = journey.world.system.api.get(f"/children/{journey.world.child}").json()
    visit = child["visits"][-1]
    assert (visit["findings"], visit["follow_up"], visit["campaign_id"]) == ("家中安好", None, None)
    organizations = journey.world.system.api.get("/community-organizations").json()["items"]
    assert [o["village"] for o in organizations if o["name"] == "新北村儿童之家志愿队"] == [None]


def test_a_required_input_left_empty_is_refused_with_a_message_on_that_field(journey):
    refused = journey.world.clients["child_director"].post(
        f"/children/{journey.world.child}/visits", json={"visited_on": day(0), "visitor": "", "findings": "x"}
    )
    assert refused.status_code == 400 and list(refused.json()["fields"]) == ["visitor"], refused.text


def test_a_list_filter_left_empty_lists_as_if_it_was_not_given(journey):
    admin = journey.world.system.api
    empty = admin.get("/children", params={"town": "", "village": "", "cursor": ""})
    assert empty.status_code == 200, empty.text
    assert empty.json() == admin.get("/children").json()


# -- numbers and the other documented types ------------------------------------------------------


def test_scores_are_numbers(journey):
    scored = [r.json() for r in journey.answers if r.request.path_url.endswith("/scores") and r.status_code == 200]
    assert scored and all(type(s["total"]) in (int, float) for s in scored), scored
    ranking = journey.world.system.api.get(f"/calls/{journey.world.ours.call_id}/ranking").json()["items"]
    assert all(type(row["total"]) in (int, float) and type(row["mean_score"]) in (int, float) for row in ranking)
    notice = journey.world.system.api.get(f"/public-notices/{journey.world.ours.notice_id}").json()
    assert all(type(entry["score"]) in (int, float) for entry in notice["entries"])


def operation_of(spec: dict, method: str, path_url: str) -> tuple[str, dict]:
    path = path_url.split("?")[0]
    for template, operations in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            exact = template == path
            if exact or not any(t == path for t in spec["paths"]):
                return f"{method} {template}", operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in /openapi.json")


def resolved(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


JSON_TYPES = {
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def type_problems(spec: dict, value, schema: dict, at: str):
    """Where a value's JSON type differs from the documented one (null is left
    to the document's nullability; undocumented properties are not judged)."""
    schema = resolved(spec, schema)
    expected = schema.get("type")
    if value is None or expected is None:
        return
    if not JSON_TYPES[expected](value):
        yield f"{at}: {value!r} is not {expected}"
    elif expected == "array" and "items" in schema:
        for i, item in enumerate(value):
            yield from type_problems(spec, item, schema["items"], f"{at}[{i}]")
    elif expected == "object":
        for key, item in value.items():
            inner = schema.get("properties", {}).get(key) or (
                schema["additionalProperties"] if isinstance(schema.get("additionalProperties"), dict) else None
            )
            if inner is not None:
                yield from type_problems(spec, item, inner, f"{at}.{key}")


def test_every_answer_of_the_journey_has_the_types_the_document_gives(journey):
    problems, checked = [], set()
    for response in journey.answers:
        if not response.headers.get("Content-Type", "").startswith("application/json"):
            continue
        name, operation = operation_of(journey.spec, response.request.method, response.request.path_url)
        documented = operation["responses"].get(str(response.status_code))
        schema = ((documented or {}).get("content") or {}).get("application/json", {}).get("schema")
        if schema is None:
            continue
        checked.add(name)
        problems.extend(type_problems(journey.spec, response.json(), schema, f"{name} {response.status_code}"))
    assert len(checked) > 30 and "POST /applications/{application_id}/scores" in checked
    assert sorted(set(problems)) == []
