"""Bad input at the gateway: a 4xx JSON error naming the problem, never a 500,
and nothing stored. One running system serves the whole module."""

import json
import re
import uuid

import pytest

from shared.eventstore import open_existing
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("gw"),
            MAX_BODY_BYTES="65536",
            CORS_ORIGINS="https://bureau.example.cn",
        )
        system.start(*ALL)
        try:
            yield system
        finally:
            system.stop_all()


def registry_head(system) -> int:
    """How many changes the registry has stored. A refused command's outcome is
    recorded (shared/commands.py: a retry gets the same refusal) but changes no
    file, so it is not counted."""
    app = open_existing("registry", system.store)
    try:
        stored = app.recorder.select_notifications(start=1, limit=1_000_000)
        return sum(1 for n in stored if not n.topic.startswith("shared.commands:"))
    finally:
        app.close()


def post(system, body, content_type="application/json", path="/children"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return system.api.post(path, data=data, headers={"Content-Type": content_type}, timeout=10)


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code and body["message"]
    assert isinstance(body["fields"], dict)
    if field:
        assert field in body["fields"], body
    return body


CASES = {
    "malformed json": (lambda: post_raw('{"name": "x",'), 400, "MALFORMED_JSON", None),
    "not utf-8": (lambda: post_raw(b'{"name": "\xff"}'), 400, "MALFORMED_JSON", None),
    "wrong content type": (
        lambda: ("text/plain", json.dumps(new_child())),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "Content-Type",
    ),
    "no content type": (lambda: ("", json.dumps(new_child())), 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type"),
    "array body": (lambda: post_raw("[1, 2]"), 400, "VALIDATION_ERROR", "_body"),
    "wrong type": (
        lambda: post_json({**new_child(), "categories": "left_behind"}),
        400,
        "VALIDATION_ERROR",
        "categories",
    ),
    "number for text": (lambda: post_json({**new_child(), "name": 7}), 400, "VALIDATION_ERROR", "name"),
    "missing field": (
        lambda: post_json({k: v for k, v in new_child().items() if k != "village"}),
        400,
        "VALIDATION_ERROR",
        "village",
    ),
    "unknown field": (lambda: post_json({**new_child(), "favourite": "blue"}), 400, "VALIDATION_ERROR", "favourite"),
    "bad date": (
        lambda: post_json({**new_child(), "date_of_birth": "2015-02-30"}),
        400,
        "VALIDATION_ERROR",
        "date_of_birth",
    ),
    "oversized": (lambda: post_json({**new_child(), "name": "x" * 70000}), 413, "PAYLOAD_TOO_LARGE", None),
    "checksum rule": (
        lambda: post_json({**new_child(), "id_number": "640502201503040014"}),
        422,
        "RULE_VIOLATION",
        "id_number",
    ),
    "future birth": (
        lambda: post_json({**new_child(), "id_number": None, "date_of_birth": "2099-01-01"}),
        422,
        "RULE_VIOLATION",
        "date_of_birth",
    ),
}


def post_raw(text):
    return ("application/json", text)


def post_json(body):
    return ("application/json", json.dumps(body))


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_registration_is_refused_clearly_and_stores_nothing(gateway, case):
    make, status, code, field = CASES[case]
    content_type, body = make()
    before = registry_head(gateway)
    assert_error(post(gateway, body, content_type), status, code, field)
    assert registry_head(gateway) == before


def test_duplicate_id_number_is_a_conflict_naming_the_existing_file(gateway):
    child = new_child()
    first = post(gateway, child)
    assert first.status_code == 201
    before = registry_head(gateway)
    body = assert_error(post(gateway, {**child, "name": "别名"}), 409, "DUPLICATE_ID_NUMBER")
    assert body["existing_child_id"] == first.json()["child_id"]
    assert registry_head(gateway) == before


@pytest.mark.parametrize("path", [f"/children/{uuid.uuid4()}", "/children/not-a-uuid", "/casework/children/nope"])
def test_unknown_ids_are_404(gateway, path):
    assert_error(gateway.api.get(path, timeout=10), 404, "NOT_FOUND")


def test_unknown_route_and_wrong_method_are_json(gateway):
    assert_error(gateway.api.get("/no/such/route", timeout=10), 404, "NOT_FOUND")
    assert_error(gateway.api.delete("/children", timeout=10), 405, "METHOD_NOT_ALLOWED")


@pytest.mark.parametrize(
    "params,field", [({"limit": "0"}, "limit"), ({"limit": "abc"}, "limit"), ({"sort": "x"}, "sort")]
)
def test_bad_query_parameters_are_400(gateway, params, field):
    response = gateway.api.get("/casework/children", params=params, timeout=10)
    assert_error(response, 400, "INVALID_QUERY", field)


def test_openapi_documents_every_route(gateway):
    spec = gateway.anonymous.get("/openapi.json", timeout=10).json()  # public: no token needed
    assert spec["openapi"].startswith("3.")
    assert {"/children", "/children/{child_id}", "/casework/children", "/health", "/openapi.json"} <= set(spec["paths"])
    post_children = spec["paths"]["/children"]["post"]
    assert "requestBody" in post_children and {"201", "400", "409", "422"} <= set(post_children["responses"])


def test_a_retried_post_with_the_same_key_replays_the_first_answer(gateway):
    child = new_child()
    headers = {"Idempotency-Key": f"retry-{uuid.uuid4()}"}
    first = gateway.api.post("/children", json=child, headers=headers, timeout=10)
    assert first.status_code == 201
    head = registry_head(gateway)
    again = gateway.api.post("/children", json=child, headers=headers, timeout=10)
    assert (again.status_code, again.json(), again.headers["Location"]) == (
        201,
        first.json(),
        first.headers["Location"],
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    assert registry_head(gateway) == head
    other = gateway.api.post("/children", json=new_child(), headers=headers, timeout=10)
    assert_error(other, 422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key")
    assert registry_head(gateway) == head


def test_a_refusal_is_replayed_too_and_a_malformed_key_is_refused(gateway):
    headers = {"Idempotency-Key": f"bad-{uuid.uuid4()}"}
    bad = {**new_child(), "id_number": "640502201503040014"}
    first = gateway.api.post("/children", json=bad, headers=headers, timeout=10)
    again = gateway.api.post("/children", json=bad, headers=headers, timeout=10)
    assert first.status_code == again.status_code == 422 and first.json() == again.json()
    malformed = gateway.api.post("/children", json=new_child(), headers={"Idempotency-Key": "has space"}, timeout=10)
    assert_error(malformed, 400, "INVALID_HEADER", "Idempotency-Key")


def test_documentation_page_is_swagger_ui_from_our_own_files_under_the_csp(gateway):
    page = gateway.anonymous.get("/docs", timeout=10)  # public: no token needed
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert [attributes.strip() for attributes, _ in scripts] == [
        'src="/app/docs/swagger-ui-bundle.js"',
        'src="/app/docs/init.js"',
    ]
    assert all(body.strip() == "" for _, body in scripts)  # no inline script
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)  # nothing from another site


def test_cors_preflight_and_responses_for_the_configured_origin_only(gateway):
    # A browser's preflight never carries credentials, so it is sent without a token.
    preflight = gateway.anonymous.options(
        "/children",
        timeout=10,
        headers={"Origin": "https://bureau.example.cn", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://bureau.example.cn"
    listed = gateway.api.get("/casework/children", headers={"Origin": "https://evil.example"}, timeout=10)
    assert listed.status_code == 200 and "Access-Control-Allow-Origin" not in listed.headers


# -- issue 13 item 10: input that used to crash the gateway or a service (500) -----------------

# Deep enough to crash the parser (about 1,000 levels do), small enough for this module's body limit.
DEEP = "[" * 30_000 + "]" * 30_000


@pytest.mark.parametrize("path", ["/children", "/auth/token"])
def test_json_nested_30000_deep_is_400_also_on_the_public_sign_in(gateway, path):
    before = registry_head(gateway)
    client = gateway.anonymous if path == "/auth/token" else gateway.api
    response = client.post(path, data=DEEP, headers={"Content-Type": "application/json"}, timeout=10)
    assert_error(response, 400, "MALFORMED_JSON")
    assert registry_head(gateway) == before


BAD_NAMES = {
    "lone surrogate": "李\ud800",
    "NUL": "李晓\x00花",
    "bidi override": "\u202e花晓李",
    "invisible only": "\u200b\u3164",
    "spaces only": " \u3000 ",
}


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=list(BAD_NAMES))
def test_a_child_name_with_refused_text_is_400_and_stores_nothing(gateway, name):
    before = registry_head(gateway)
    assert_error(post(gateway, {**new_child(), "name": name}), 400, "VALIDATION_ERROR", "name")
    assert registry_head(gateway) == before


def test_a_lone_surrogate_in_visit_findings_is_400(gateway):
    child = post(gateway, new_child()).json()["child_id"]
    before = registry_head(gateway)
    visit = {"visited_on": "2025-05-01", "visitor": "王", "findings": "家中无人\ud800"}
    assert_error(post(gateway, visit, path=f"/children/{child}/visits"), 400, "VALIDATION_ERROR", "findings")
    assert registry_head(gateway) == before


@pytest.mark.parametrize("username", ["\ud800", "admin\x00", "\u202eadmin"])
def test_a_refused_username_on_sign_in_is_400(gateway, username):
    response = gateway.anonymous.post("/auth/token", json={"username": username, "password": "x"}, timeout=10)
    assert_error(response, 400, "VALIDATION_ERROR", "username")


@pytest.mark.parametrize("cursor", ["²", "abc"])
def test_a_users_cursor_that_is_not_one_is_400(gateway, cursor):
    assert_error(gateway.api.get("/users", params={"cursor": cursor}, timeout=10), 400, "INVALID_QUERY", "cursor")
