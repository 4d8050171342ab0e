"""A production gateway (APP_ENV=production) refuses to start without a real
token secret, saying which setting is missing; with one, it starts and signs
people in. Production processes refuse the guest broker user, and a publisher
refuses to start without its event signing key. Every store refuses to open
without CIPHER_KEY (stored events would be readable) and AUDIT_ANCHOR_KEY."""

import subprocess

import pytest
import requests

from tests.support.broker_users import production_env, production_store_keys, service_users
from tests.support.processes import PASSWORD, System


@pytest.fixture
def own_users(rabbit_vhost):
    """Production never connects as guest: each process gets its own broker user."""
    with service_users(rabbit_vhost) as uris:
        yield uris


def exits_naming(system: System, service: str, *words: str) -> None:
    system.start(service, wait=False)
    process = system.procs[service][-1]
    try:
        returncode = process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{service} kept running in production:\n{system.log_tail(service)}")
    log = system.log_tail(service, lines=200)
    assert returncode != 0, log
    for word in ("ConfigError", *words):
        assert word in log, log


@pytest.mark.parametrize(
    "secret",
    [
        "",  # not set (blank counts as unset)
        "too-short-to-be-a-secret",
    ],
)
def test_a_production_gateway_without_a_real_secret_exits_naming_the_setting(
    amqp_uri, own_users, pg_store, tmp_path, secret
):
    system = System(
        own_users["gateway"],
        pg_store,
        tmp_path,
        APP_ENV="production",
        AUTH_TOKEN_SECRET=secret,
        **production_store_keys(),
    )
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


def test_a_production_gateway_with_a_long_secret_starts_and_signs_in(amqp_uri, own_users, pg_store, tmp_path):
    system = System(
        amqp_uri, pg_store, tmp_path, APP_ENV="production", **production_store_keys()
    )  # System sets a 64-character secret
    system.service_env = {"gateway": {"AMQP_URI": own_users["gateway"]}}
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


def test_a_production_process_refuses_the_guest_broker_user(amqp_uri, pg_store, tmp_path):
    system = System(
        amqp_uri, pg_store, tmp_path, APP_ENV="production", **production_store_keys()
    )  # amqp_uri is guest's
    try:
        exits_naming(system, "gateway", "RabbitMQ user")
    finally:
        system.stop_all()


def test_a_production_publisher_refuses_to_start_without_its_signing_key(amqp_uri, own_users, pg_store, tmp_path):
    system = System(own_users["registry"], pg_store, tmp_path, APP_ENV="production", **production_store_keys())
    try:
        exits_naming(system, "registry", "EVENT_SIGNING_KEY")
    finally:
        system.stop_all()


@pytest.mark.parametrize("missing", ["CIPHER_KEY", "AUDIT_ANCHOR_KEY"])
def test_a_production_service_without_a_store_key_exits_naming_it(amqp_uri, own_users, pg_store, tmp_path, missing):
    system = System(amqp_uri, pg_store, tmp_path, APP_ENV="production")
    system.service_env = {"registry": {**production_env("registry", own_users["registry"]), missing: ""}}
    try:
        exits_naming(system, "registry", missing)
    finally:
        system.stop_all()
