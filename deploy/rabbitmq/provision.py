"""One RabbitMQ user per service, allowed only its own exchanges and queues.

    python -m deploy.rabbitmq.provision            # from the environment, as docker-compose.yml runs it

Reads RABBITMQ_API (http://rabbitmq:15672/api), RABBITMQ_ADMIN_USER and
RABBITMQ_ADMIN_PASSWORD (the broker's administrator, used only here),
RABBITMQ_VHOST (default "/") and, for each of registry, grants, casework,
finance and gateway, RABBITMQ_<SERVICE>_PASSWORD. Creates or updates each
service's user (named after the service), sets its permissions, and deletes
the `guest` user. Run it again after changing a password: it is idempotent.

What each service may do (nameko's names: `<svc>.events` is a service's event
exchange, `evt-<upstream>-...--<svc>.<handler>` the queue of a handler,
`rpc-<svc>` its RPC queue, `rpc.reply-...` the reply queues of RPC callers):
- publish events only to its own `<svc>.events`: no service can put an event
  on another's feed (consumers also check each envelope's signature);
- read and bind only its own queues, and bind them only to its upstreams'
  event exchanges;
- on the shared `nameko-rpc` exchange, send requests only to the procedures
  it calls (topic permissions on the routing key: consumers may only pull
  their upstreams' `notifications`, and every service may ask its own
  `health`, for its container's healthcheck; the gateway calls every
  service), and replies (routed by the caller's reply id).
Residual: declaring an exchange needs `configure`, which also allows deleting
it, so a consumer could delete its upstream's event exchange; nothing is lost
(the pull fills gaps) but delivery stalls until the service re-declares it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import requests

# Which services' events each service consumes (its ConsumerFeeds);
# tests/unit/test_broker_users.py keeps this in step with the services.
CONSUMES: Mapping[str, tuple[str, ...]] = {
    "registry": ("casework",),
    "grants": (),
    "casework": ("registry", "finance", "grants"),
    "finance": ("grants",),
    "gateway": (),
}
PUBLISHES = ("registry", "grants", "casework", "finance")
RPC_EXCHANGE = "nameko-rpc"
# A reply's routing key is the caller's reply-queue id (a UUID).
REPLY_KEY = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass(frozen=True)
class Permissions:
    configure: str
    write: str
    read: str
    rpc_write: str  # topic permission: routing keys it may publish on nameko-rpc


def _any(names: list[str]) -> str:
    return "^(" + "|".join(names) + ")$"


def permissions_for(service: str) -> Permissions:
    upstreams = CONSUMES[service]
    replies = rf"rpc\.reply-({service}|standalone_rpc_proxy)-.*"
    own = [RPC_EXCHANGE, f"rpc-{service}", replies]
    if service in PUBLISHES:
        own.append(rf"{service}\.events")
    handler_queues = [rf"evt-{upstream}-.*--{service}\..*" for upstream in upstreams]
    upstream_exchanges = [rf"{upstream}\.events" for upstream in upstreams]
    if service == "gateway":
        calls = ".*"
    else:
        # its own health: the container healthcheck (shared/healthcheck.py) runs as the service's user
        calls = _any([REPLY_KEY, rf"{service}\.health"] + [rf"{upstream}\.notifications" for upstream in upstreams])
    return Permissions(
        # declaring a handler's queue also declares its upstream's exchange
        configure=_any(own + handler_queues + upstream_exchanges),
        write=_any(own + handler_queues),  # publishing, and binding its own queues
        read=_any(own + handler_queues + upstream_exchanges),  # consuming, and binding to upstreams
        rpc_write=calls,
    )


def _q(name: str) -> str:
    return quote(name, safe="")


def provision(
    api: str,
    admin: tuple[str, str],
    vhost: str,
    passwords: Mapping[str, str],
    drop_guest: bool,
    user_prefix: str = "",
) -> None:
    """Each service's user is named after it (tests add a prefix to keep theirs apart)."""
    session = requests.Session()
    session.auth = admin
    for service, password in passwords.items():
        permissions = permissions_for(service)
        user = _q(user_prefix + service)
        session.put(f"{api}/users/{user}", json={"password": password, "tags": ""}, timeout=10).raise_for_status()
        session.put(
            f"{api}/permissions/{_q(vhost)}/{user}",
            json={"configure": permissions.configure, "write": permissions.write, "read": permissions.read},
            timeout=10,
        ).raise_for_status()
        session.put(
            f"{api}/topic-permissions/{_q(vhost)}/{user}",
            json={"exchange": RPC_EXCHANGE, "write": permissions.rpc_write, "read": ".*"},
            timeout=10,
        ).raise_for_status()
    if drop_guest:
        response = session.delete(f"{api}/users/guest", timeout=10)
        if response.status_code not in (204, 404):
            response.raise_for_status()


def main() -> int:
    missing = [
        name
        for name in ["RABBITMQ_ADMIN_USER", "RABBITMQ_ADMIN_PASSWORD"]
        + [f"RABBITMQ_{service.upper()}_PASSWORD" for service in CONSUMES]
        if not os.environ.get(name, "").strip()
    ]
    if missing:
        print(f"provision: set {', '.join(missing)}", file=sys.stderr)
        return 2
    if os.environ["RABBITMQ_ADMIN_USER"] == "guest":
        print("provision: the administrator must not be guest", file=sys.stderr)
        return 2
    provision(
        api=os.environ.get("RABBITMQ_API", "http://rabbitmq:15672/api").rstrip("/"),
        admin=(os.environ["RABBITMQ_ADMIN_USER"], os.environ["RABBITMQ_ADMIN_PASSWORD"]),
        vhost=os.environ.get("RABBITMQ_VHOST", "/"),
        passwords={service: os.environ[f"RABBITMQ_{service.upper()}_PASSWORD"] for service in CONSUMES},
        drop_guest=True,
    )
    print(f"provisioned RabbitMQ users: {', '.join(CONSUMES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
