"""Every documented route, fuzzed with schemathesis against the live gateway on
the real services: no 5xx, and every response matches its documented schema
and content type."""
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

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
def api_schema(fuzzed_system):
    spec = requests.get(f"{fuzzed_system.url}/openapi.json", timeout=10).json()
    return schemathesis.openapi.from_dict(spec)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.timeout(1200)
@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case, fuzzed_system):
    case.call_and_validate(base_url=fuzzed_system.url, checks=CHECKS, timeout=30)
