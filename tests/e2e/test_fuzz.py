"""Every documented route, fuzzed with schemathesis against the live gateway on
the real services, signed in as each role in turn (and with no token): no 5xx,
and every response, refusals included, matches its documented schema and
content type."""

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from services.gateway.domain import ROLES
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


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
    headers = {"bureau_admin": fuzzed_system.api.headers["Authorization"]}
    for role in ROLES[1:]:
        headers[role] = fuzzed_system.login(role, **scopes.get(role, {})).headers["Authorization"]
    return headers


@pytest.fixture(scope="module")
def api_schema(fuzzed_system):
    spec = fuzzed_system.anonymous.get("/openapi.json", timeout=10).json()
    return schemathesis.openapi.from_dict(spec)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.timeout(1200)
@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_as_a_bureau_administrator(case, fuzzed_system, tokens):
    case.call_and_validate(
        base_url=fuzzed_system.url, checks=CHECKS, timeout=30, headers={"Authorization": tokens["bureau_admin"]}
    )


# Most of what other roles send is refused before any service is asked, so a
# few examples each cover their refusals and the scope rules' edge cases.
# (One test per role: schemathesis cannot combine with parametrized fixtures.)
def fuzz_as(role: str):
    @pytest.mark.timeout(1200)
    @schema.parametrize()
    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
    def test(case, fuzzed_system, tokens):
        case.call_and_validate(
            base_url=fuzzed_system.url, checks=CHECKS, timeout=30, headers={"Authorization": tokens[role]}
        )

    test.__name__ = f"test_as_{role}"
    return test


for _role in ROLES[1:]:
    globals()[f"test_as_{_role}"] = fuzz_as(_role)


@pytest.mark.timeout(600)
@schema.parametrize()
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
def test_without_a_token(case, fuzzed_system):
    case.call_and_validate(base_url=fuzzed_system.url, checks=CHECKS, timeout=30)
