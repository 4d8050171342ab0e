"""Two of every domain service on PostgreSQL; while children are registered
through the gateway, one replica of each service is SIGKILLed in turn (the
one holding its relay lock). Afterwards every registration has its effect
downstream exactly once, every relay stands at its log's head, nothing is
parked or refused, and every consumer has caught up with its source.

Clients do what the gateway asks of them (docs/gateway.md): a command that
got no answer or a 5xx is sent again under the same Idempotency-Key, so it
runs at most once however often it is tried."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from shared.config import SERVICES
from tests.support import broker
from tests.support.api import Api
from tests.support.children import casework_roster, new_child
from tests.support.processes import wait_until

COMMANDS = 500  # child registrations through the gateway
CLIENTS = 6
ATTEMPTS = 8  # sends of one command (same Idempotency-Key) before the test gives up on it


def register_until_answered(api: Api, attempts_made: list[int]) -> str:
    """One registration, sent again under its key after a fault or no answer."""
    child, key = new_child(with_id=False), str(uuid.uuid4())
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = api.post("/children", json=child, headers={"Idempotency-Key": key}, timeout=30)
        except requests.RequestException:
            continue
        if response.status_code < 500:
            assert response.status_code == 201, response.text
            attempts_made.append(attempt)
            return response.json()["child_id"]
        time.sleep(0.2 * attempt)
    raise AssertionError(f"registration under {key} unanswered after {ATTEMPTS} attempts")


def relay_holder(system, name: str) -> int | None:
    """The process id of the replica whose relay holds the lock, if any."""
    with system.rpc() as rpc:
        relay = getattr(rpc, name).health()["relay"]
    return int(relay["holder"].rsplit(":", 1)[1]) if relay and relay["holder"] else None


def kill_the_relay_holder(system, name: str) -> float | None:
    """SIGKILL the replica holding `name`'s relay lock (the first if none does);
    returns the seconds until the survivor holds it (None: no relay)."""
    holder = relay_holder(system, name)
    procs = system.procs[name]
    victim = next((n for n, proc in enumerate(procs) if proc.pid == holder), 0)
    survivor = next(proc.pid for n, proc in enumerate(procs) if n != victim and proc.poll() is None)
    killed_at = time.monotonic()
    system.kill(name, victim)
    if holder is None:
        return None
    wait_until(lambda: relay_holder(system, name) == survivor, seconds=60, message=f"{name}'s survivor relaying")
    return time.monotonic() - killed_at


def caught_up(system) -> dict | None:
    """Every service's health once each relay stands at its log's head and
    each consumer where its source last published; else None."""
    with system.rpc() as rpc:
        healths = {name: getattr(rpc, name).health() for name in SERVICES}
    published = {name: h["relay"]["published"] for name, h in healths.items() if h["relay"]}
    for health in healths.values():
        relay = health["relay"]
        if relay and (relay["lag"] or not relay["active"]):
            return None
        for upstream, consumer in health["consumers"].items():
            if consumer["position"] < published[upstream]:
                return None
    return healths


@pytest.mark.timeout(900)  # about 3 minutes on a quiet machine; a shared one is far slower
def test_one_replica_of_each_service_killed_mid_stream_every_effect_once(make_system):
    system = make_system(CONSUMER_CATCHUP_INTERVAL="2")
    booting = time.monotonic()
    system.start(*(name for name in SERVICES for _ in range(2)))
    system.start("gateway")
    broker.declare_queue(system.vhost, "tap")
    broker.bind(system.vhost, "registry.events", "tap")
    api = system.api
    created: list[str] = []
    attempts: list[int] = []
    failures: list[BaseException] = []

    def stream():
        try:
            with ThreadPoolExecutor(CLIENTS) as pool:
                for child_id in pool.map(lambda _: register_until_answered(api, attempts), range(COMMANDS)):
                    created.append(child_id)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    writer = threading.Thread(target=stream)
    print(f"\nnine processes up in {time.monotonic() - booting:.0f}s")
    started = time.monotonic()
    writer.start()
    takeovers: dict[str, float | None] = {}
    for turn, name in enumerate(SERVICES, start=1):
        # Kill while commands still flow: after each fifth of them is answered.
        wait_until(
            lambda turn=turn: len(attempts) >= turn * COMMANDS // 5 or not writer.is_alive(),
            seconds=300,
            message=f"{turn}/5 of the commands answered",
        )
        takeovers[name] = kill_the_relay_holder(system, name)
        print(f"killed {name}'s relay holder after {len(attempts)} answers; takeover {takeovers[name]}", flush=True)
    answered_by_the_last_kill = len(attempts)
    writer.join(timeout=600)
    elapsed = time.monotonic() - started
    assert not failures, failures
    assert len(created) == COMMANDS == len(set(created))
    assert answered_by_the_last_kill < COMMANDS  # every kill came while commands still flowed
    print(f"\n{COMMANDS} registrations answered in {elapsed:.0f}s")

    healths = wait_until(lambda: caught_up(system), seconds=180, message="every relay and consumer caught up")
    for name, health in healths.items():
        assert health["attention"] == [], (name, health["attention"])
        assert health["relay"] is None or health["relay"]["parked"] == []
        for consumer in health["consumers"].values():
            assert consumer["parked"] == [] and consumer["refused"] == {"last": [], "unacknowledged": 0}, (
                name,
                consumer,
            )
    # Each registration enrolled in casework exactly once (its roster projection too).
    roster = wait_until(
        lambda: (r := casework_roster(system.api)) is not None and len(r) >= COMMANDS and r,
        seconds=180,
        message="the roster caught up",
    )
    assert sorted(roster) == sorted(created)
    assert healths["casework"]["store"]["head"] == COMMANDS  # one enrolment each, none repeated
    # On the wire: every registration published, in order of first sight.
    registry_published = healths["registry"]["relay"]["published"]
    wait_until(lambda: broker.queue(system.vhost, "tap").get("messages", 0) >= COMMANDS, seconds=60, message="the tap")
    ids = [m["notification_id"] for m in broker.take_messages(system.vhost, "tap", 5 * COMMANDS)]
    first_seen = list(dict.fromkeys(ids))
    assert first_seen == sorted(first_seen) and first_seen[-1] == registry_published
    assert len(first_seen) >= COMMANDS
    # Casework replicas racing for one registration is no warning (only a real second registration is).
    system.stop_all()
    casework_logs = "\n".join(path.read_text(errors="replace") for path in system.log_dir.glob("casework-*.log"))
    assert "already enrolled" not in casework_logs
    races = casework_logs.count("already taken in by another replica")
    print(
        f"\n{COMMANDS} registrations in {elapsed:.0f}s by {CLIENTS} clients, {sum(attempts) - COMMANDS} resent; "
        f"answered when the last replica was killed: {answered_by_the_last_kill}; relay takeover (s): "
        + ", ".join(f"{n} {'-' if t is None else f'{t:.2f}'}" for n, t in takeovers.items())
        + f"; copies on the registry wire: {len(ids) - len(first_seen)}; replica races in casework: {races}"
    )
