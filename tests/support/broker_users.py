"""Each service as its own RabbitMQ user, provisioned by deploy/rabbitmq/provision.py
in a test's vhost (names prefixed so tests keep theirs apart), and removed after."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from deploy.rabbitmq.provision import CONSUMES, provision
from tests.support.infra import RABBIT_API, RABBIT_AUTH, unique


@contextmanager
def service_users(vhost: str) -> Iterator[dict[str, str]]:
    """service -> the AMQP URI of its own user in `vhost`."""
    prefix = unique("u") + "-"
    passwords = {service: secrets.token_urlsafe(16) for service in CONSUMES}
    try:
        provision(RABBIT_API, RABBIT_AUTH, vhost, passwords, drop_guest=False, user_prefix=prefix)
        yield {
            service: f"amqp://{prefix}{service}:{password}@127.0.0.1:5672/{vhost}"
            for service, password in passwords.items()
        }
    finally:
        for service in passwords:
            requests.delete(f"{RABBIT_API}/users/{prefix}{service}", auth=RABBIT_AUTH, timeout=10)


def production_store_keys() -> dict[str, str]:
    """The store keys production asks of every process besides EVENT_MAC_KEY
    (which every System sets): an AES key that encrypts it and the key that
    signs its audit anchors."""
    import base64
    import os
    import secrets

    return {"CIPHER_KEY": base64.b64encode(os.urandom(32)).decode(), "AUDIT_ANCHOR_KEY": secrets.token_urlsafe(48)}


def production_env(service: str, own_uri: str) -> dict[str, str]:
    """What one service needs to start with APP_ENV=production besides the
    keys every System sets: its own broker user, its event signing key and its
    sources' public keys (fresh ones, as an operator would generate)."""
    from shared import signing
    from shared.config import SERVICES

    keys = dict(line.split("=", 1) for line in signing.generate(list(SERVICES)).splitlines())
    env = {"AMQP_URI": own_uri, "EVENT_VERIFY_KEYS": keys["EVENT_VERIFY_KEYS"], **production_store_keys()}
    if f"{service.upper()}_EVENT_SIGNING_KEY" in keys:
        env["EVENT_SIGNING_KEY"] = keys[f"{service.upper()}_EVENT_SIGNING_KEY"]
    return env
