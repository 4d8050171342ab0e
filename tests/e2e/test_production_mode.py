"""A production gateway (APP_ENV=production) refuses to start without a real
token secret, saying which setting is missing; with one, it starts and signs
people in."""

import subprocess

import pytest
import requests

from tests.support.processes import PASSWORD, System


@pytest.mark.parametrize(
    "secret",
    [
        "",  # not set (blank counts as unset)
        "too-short-to-be-a-secret",
    ],
)
def test_a_production_gateway_without_a_real_secret_exits_naming_the_setting(amqp_uri, pg_store, tmp_path, secret):
    system = System(amqp_uri, pg_store, tmp_path, APP_ENV="production", AUTH_TOKEN_SECRET=secret)
    try:
        system.start("gateway", wait=False)
        gateway = system.procs["gateway"][-1]
        try:
            returncode = gateway.wait(timeout=90)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the gateway kept running in production without a real secret:\n{system.log_tail('gateway')}")
        log = system.log_tail("gateway", lines=200)
        assert returncode != 0, log
        assert "ConfigError" in log and "AUTH_TOKEN_SECRET" in log, log
        with pytest.raises(requests.ConnectionError):
            system.anonymous.get("/health", timeout=5)
    finally:
        system.stop_all()


def test_a_production_gateway_with_a_long_secret_starts_and_signs_in(amqp_uri, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path, APP_ENV="production")  # System sets a 64-character secret
    assert len(system.env["AUTH_TOKEN_SECRET"]) >= 32
    try:
        system.start("gateway")
        assert system.api.get("/auth/me").json()["role"] == "bureau_admin"
        refused = system.anonymous.post(
            "/auth/token", json={"username": "admin", "password": PASSWORD + "x"}, timeout=30
        )
        assert refused.status_code == 401
    finally:
        system.stop_all()
