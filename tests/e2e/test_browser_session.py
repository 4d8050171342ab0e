"""Browser sign-in (POST /auth/session): the session lives in an HttpOnly,
SameSite=Strict cookie, and a request the app did not send — no CSRF token,
another site's Origin, an expired or closed session — changes nothing."""

import time
import uuid

import jwt
import pytest

from services.gateway.web.session import COOKIE, CSRF_HEADER
from services.gateway.web.tokens import ALGORITHM, ISSUER
from tests.support.api import Api
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("session"))
        running.start("gateway")
        try:
            yield running
        finally:
            running.stop_all()


def browser(system, **headers) -> tuple[Api, dict]:
    """A browser signed in as the administrator: its cookie jar and the sign-in answer."""
    assert system.api is not None  # makes the administrator
    client = Api(system.url)
    answer = client.post("/auth/session", json={"username": "admin", "password": PASSWORD}, headers=headers)
    assert answer.status_code == 200, answer.text
    return client, answer.json()


def new_user(name: str) -> dict:
    return {"username": name, "display_name": name, "role": "auditor", "scope": {}, "password": PASSWORD}


def test_the_session_cookie_is_out_of_reach_of_page_scripts_and_other_sites(system):
    _, body = browser(system)
    raw = Api(system.url).post("/auth/session", json={"username": "admin", "password": PASSWORD})
    header = raw.headers["Set-Cookie"]
    assert header.startswith(f"{COOKIE}=") and "HttpOnly" in header and "SameSite=Strict" in header
    assert "Path=/" in header and "Secure" not in header  # plain http here
    assert "access_token" not in body and body["role"] == "bureau_admin" and len(body["csrf_token"]) == 64
    assert raw.headers["Cache-Control"] == "no-store"


def test_behind_https_the_cookie_is_secure(system):
    raw = Api(system.url).post(
        "/auth/session", json={"username": "admin", "password": PASSWORD}, headers={"X-Forwarded-Proto": "https"}
    )
    assert raw.status_code == 200 and "Secure" in raw.headers["Set-Cookie"]


def test_the_cookie_signs_in_reads_and_the_session_tells_its_csrf_token(system):
    client, body = browser(system)
    me = client.get("/auth/me")
    assert me.status_code == 200 and me.json()["username"] == "admin"
    current = client.get("/auth/session")
    assert current.status_code == 200 and current.json()["csrf_token"] == body["csrf_token"]


def test_a_post_with_the_cookie_but_without_the_csrf_header_is_refused_and_changes_nothing(system):
    client, body = browser(system)
    name = f"csrf-{uuid.uuid4().hex[:8]}"
    missing = client.post("/users", json=new_user(name))
    wrong = client.post("/users", json=new_user(name), headers={CSRF_HEADER: "0" * 64})
    assert (missing.status_code, missing.json()["error"]) == (403, "CSRF_REFUSED")
    assert (wrong.status_code, wrong.json()["error"]) == (403, "CSRF_REFUSED")
    assert all(u["username"] != name for u in system.api.get("/users", params={"limit": 500}).json()["items"])
    made = client.post("/users", json=new_user(name), headers={CSRF_HEADER: body["csrf_token"]})
    assert made.status_code == 201, made.text


def test_another_sites_page_cannot_use_the_session_even_with_the_token(system):
    client, body = browser(system)
    forged = client.post(
        "/users",
        json=new_user(f"xsite-{uuid.uuid4().hex[:8]}"),
        headers={CSRF_HEADER: body["csrf_token"], "Origin": "https://evil.example"},
    )
    assert (forged.status_code, forged.json()["error"]) == (403, "CSRF_REFUSED")
    login_csrf = Api(system.url).post(
        "/auth/session", json={"username": "admin", "password": PASSWORD}, headers={"Origin": "https://evil.example"}
    )
    assert login_csrf.status_code == 403 and COOKIE not in login_csrf.cookies


def test_a_csrf_token_belongs_to_its_own_session(system):
    first, first_body = browser(system)
    second, _ = browser(system)
    other = second.post(
        "/users", json=new_user(f"swap-{uuid.uuid4().hex[:8]}"), headers={CSRF_HEADER: first_body["csrf_token"]}
    )
    assert other.status_code == 403


def test_an_expired_session_is_401(system):
    me = system.api.get("/auth/me").json()
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": me["user_id"], "name": "admin", "ver": 1, "iat": now - 700, "exp": now - 100}
    client = Api(system.url)
    client.cookies.set(COOKIE, jwt.encode(claims, system.env["AUTH_TOKEN_SECRET"], algorithm=ALGORITHM))
    answer = client.get("/auth/me")
    assert answer.status_code == 401 and answer.json()["error"] == "UNAUTHENTICATED"


def test_signing_out_ends_the_session_in_the_browser(system):
    client, _ = browser(system)
    out = client.delete("/auth/session")
    assert out.status_code == 204 and f"{COOKIE}=;" in out.headers["Set-Cookie"]
    assert client.get("/auth/me").status_code == 401


def test_bearer_tokens_keep_working_without_csrf(system):
    made = system.api.post("/users", json=new_user(f"bearer-{uuid.uuid4().hex[:8]}"))
    assert made.status_code == 201
