"""Every documented route, fuzzed with schemathesis against the live gateway on
the real services, signed in as each role in turn (and with no token): no 5xx,
and every response, refusals included, matches its documented schema and
content type.

Where the fuzzing is spent: each role, the bureau administrator (who reaches
nearly every route's handler) with the most generated examples, gets all of
schemathesis' phases (the spec's examples, the coverage phase's boundary and
edge values, and generated examples) on the routes the policy lets it call
(services/gateway/policy.py), where its scope rules and masking meet what it
sends; public routes get the same with no token. A refusal is decided from the
route alone, before the request is read (services/gateway/web/guard.py), so
every other (route, role) pair, and every non-public route without a token, is
sent one generated request: its 403 (or 401) is checked against the document
too. Which role may call what is tests/e2e/test_access_matrix.py's to prove.

Generation is derandomized (hypothesis' derandomize): each run sends the same
requests, so a failure here is repeatable and CI is not flaky."""

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from services.gateway.domain import BUREAU_ADMIN, ROLES
from services.gateway.policy import access_for
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
OTHER_ROLES = [role for role in ROLES if role != BUREAU_ADMIN]


@pytest.fixture(scope="module")
def fuzzed_system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("fuzz"), MAX_BODY_BYTES="65536")
        system.start(*ALL)
        try:
            yield system
        finally:
            system.stop_all()


@pytest.fixture(scope="module")
def tokens(fuzzed_system) -> dict[str, str]:
    """A bearer header for each role (scoped roles get a scope of their own)."""
    scopes = {
        "provider_staff": {"organization_id": str(uuid.uuid4())},
        "child_director": {"town": "滨河镇", "village": "新北村"},
        "reviewer": {"panel_member_ids": [str(uuid.uuid4())]},
    }
    headers = {BUREAU_ADMIN: fuzzed_system.api.headers["Authorization"]}
    for role in OTHER_ROLES:
        headers[role] = fuzzed_system.login(role, **scopes.get(role, {})).headers["Authorization"]
    return headers


@pytest.fixture(scope="module")
def openapi_document(fuzzed_system) -> dict:
    return fuzzed_system.anonymous.get("/openapi.json", timeout=10).json()


@pytest.fixture(scope="module")
def api_schema(openapi_document):
    return schemathesis.openapi.from_dict(openapi_document)


@pytest.fixture(scope="module")
def refusal_schema(openapi_document):
    """The same document, generating one plain request per route: a refusal
    does not depend on what the request holds."""
    loaded = schemathesis.openapi.from_dict(openapi_document)
    loaded.config.phases.coverage.enabled = False
    loaded.config.phases.examples.enabled = False
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")
refusals = schemathesis.pytest.from_fixture("refusal_schema")


def access_of(ctx):
    access = access_for(ctx.operation.method.upper(), ctx.operation.path)
    assert access is not None, f"{ctx.operation.method.upper()} {ctx.operation.path} has no access policy"
    return access


def callable_by(role: str):
    return lambda ctx: role in access_of(ctx).roles


def refused_callers(method: str, path: str) -> list[str | None]:
    """The roles (None: no token) the policy turns away from this route."""
    access = access_for(method, path)
    assert access is not None, f"{method} {path} has no access policy"
    if access.public:
        return []
    return [role for role in ROLES if role not in access.roles] + [None]


@pytest.mark.timeout(1200)
@schema.include(callable_by(BUREAU_ADMIN)).parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_as_a_bureau_administrator(case, fuzzed_system, tokens):
    case.call_and_validate(
        base_url=fuzzed_system.url, checks=CHECKS, timeout=30, headers={"Authorization": tokens[BUREAU_ADMIN]}
    )


# One test per role: schemathesis cannot combine with parametrized fixtures.
def fuzz_as(role: str):
    @pytest.mark.timeout(1200)
    @schema.include(callable_by(role)).parametrize()
    @settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def test(case, fuzzed_system, tokens):
        case.call_and_validate(
            base_url=fuzzed_system.url, checks=CHECKS, timeout=30, headers={"Authorization": tokens[role]}
        )

    test.__name__ = f"test_as_{role}_on_what_it_may_call"
    return test


for _role in OTHER_ROLES:
    globals()[f"test_as_{_role}_on_what_it_may_call"] = fuzz_as(_role)


@pytest.mark.timeout(1200)
@schema.include(lambda ctx: access_of(ctx).public).parametrize()
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_public_routes_without_a_token(case, fuzzed_system):
    case.call_and_validate(base_url=fuzzed_system.url, checks=CHECKS, timeout=30)


@pytest.mark.timeout(1200)
@refusals.parametrize()
@settings(max_examples=1, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_each_refusal_once(case, fuzzed_system, tokens):
    """Every role the policy refuses a route to, and no token on every route
    that needs one: a documented 403 / 401, never a 5xx."""
    for role in refused_callers(case.operation.method.upper(), case.operation.path):
        headers = {"Authorization": tokens[role]} if role else {}
        response = case.call_and_validate(base_url=fuzzed_system.url, checks=CHECKS, timeout=30, headers=headers)
        assert response.status_code == (403 if role else 401), (role, case.method, case.path, response.text[:200])
