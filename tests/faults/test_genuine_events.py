"""The real services, each as its own RabbitMQ user: an envelope forged on the
broker is not applied and the genuine one is; a poison event in a service's log
is parked, the feed goes on, and the operators' command retries or skips it."""

import json
import subprocess
import sys
import uuid

import pytest
from eventsourcing.persistence import StoredEvent

from shared import event_mac
from shared.eventstore import open_existing
from shared.launcher import ROOT
from tests.integration.test_broker_users import can_publish
from tests.support import broker
from tests.support.broker_users import service_users
from tests.support.children import casework_roster, register_many
from tests.support.processes import ALL, wait_until


@pytest.fixture
def own_users(rabbit_vhost):
    with service_users(rabbit_vhost) as uris:
        yield uris


@pytest.fixture
def system(own_users, make_system):
    made = make_system(CONSUMER_CATCHUP_INTERVAL="1")
    made.service_env = {service: {"AMQP_URI": uri} for service, uri in own_users.items()}
    made.start(*ALL)
    return made


def roster_reaches(system, count, seconds=60):
    return wait_until(
        lambda: (ids := casework_roster(system.api)) is not None and len(ids) >= count and ids,
        seconds=seconds,
        message=f"{count} children in casework",
    )


def service_health(system, service):
    return system.anonymous.get("/health", timeout=10).json()["services"][service]


def test_an_envelope_forged_on_the_broker_is_refused_and_the_genuine_one_applies(system, own_users):
    first = register_many(system.api, 1)
    roster_reaches(system, 1)
    with system.rpc() as rpc:
        [genuine] = rpc.registry.notifications(0, 100)["envelopes"]
        head = rpc.registry.health()["store"]["head"]
    intruder_child = str(uuid.uuid4())
    forged = {
        **{k: v for k, v in genuine.items() if k != "signature"},
        "notification_id": head + 1,  # the number the next genuine event will carry
        "previous_notification_id": genuine["notification_id"],
        "event_id": str(uuid.uuid4()),
        "originator_id": intruder_child,
        "payload": {**genuine["payload"], "child_id": intruder_child, "name": "冒名顶替"},
    }
    # Another service's user cannot even put it there...
    assert not can_publish(own_users["casework"], "registry.events", forged["type"])
    # ...so it comes from whoever holds the broker's administrator: still refused.
    broker.publish(system.vhost, "registry.events", forged["type"], forged)
    refused = wait_until(
        lambda: service_health(system, "casework")["consumers"]["registry"]["refused"]["unacknowledged"],
        message="the forged envelope refused",
    )
    assert refused == 1
    later = register_many(system.api, 1)
    roster = roster_reaches(system, 2)
    assert sorted(roster) == sorted(first + later) and intruder_child not in roster
    health = system.anonymous.get("/health", timeout=10)
    assert health.status_code == 503
    casework = health.json()["services"]["casework"]
    assert "not genuine" in casework["consumers"]["registry"]["refused"]["last"][0]["reason"]
    assert casework["attention"]


def feeds(system, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.feeds_cli", *args],
        cwd=ROOT,
        env=system.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def insert_poison(system) -> None:
    """An event the registry's code cannot decode, appended to its log (say, a
    class renamed without its old name registered). The registry wrote it, so
    it carries a good MAC: the sealer accepts it, only decoding fails."""
    app = open_existing("registry", system.store)
    try:
        [stored] = app.recorder.select_notifications(start=1, limit=1)
        poison = StoredEvent(uuid.uuid4(), 1, "services.registry.gone:Child.Registered", event_mac.body(stored.state))
        app.recorder.insert_events([event_mac.signed(system.env["EVENT_MAC_KEY"].encode(), poison)])
    finally:
        app.close()


def test_a_poison_event_is_parked_the_feed_goes_on_and_the_command_resolves_it(system):
    first = register_many(system.api, 1)
    roster_reaches(system, 1)
    insert_poison(system)
    later = register_many(system.api, 2)
    roster = roster_reaches(system, 3)
    assert sorted(roster) == sorted(first + later)  # today the relay stopped at the poison for ever

    [parked] = wait_until(lambda: service_health(system, "registry")["relay"]["parked"], message="poison parked")
    assert "undecodable" in parked["error"]
    assert system.anonymous.get("/health", timeout=10).status_code == 503
    listed = feeds(system, "list", "registry")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["relay"]["parked"][0]["notification_id"] == parked["notification_id"]

    number = str(parked["notification_id"])
    retried = feeds(system, "retry", "registry", "relay", number, "--by", "ops-1", "--reason", "after deploy")
    assert retried.returncode == 0, retried.stderr
    wait_until(
        lambda: service_health(system, "registry")["relay"]["parked"][0]["attempts"] == 2,
        message="the running relay retried it (still undecodable)",
    )
    refused = feeds(system, "skip", "registry", "relay", number, "--by", "ops-1", "--reason", " ")
    assert refused.returncode == 2 and "why" in refused.stderr
    skipped = feeds(system, "skip", "registry", "relay", number, "--by", "ops-1", "--reason", "test row, no child")
    assert skipped.returncode == 0, skipped.stderr
    assert service_health(system, "registry")["relay"]["parked"] == []
    [record] = json.loads(feeds(system, "list", "registry", "--all").stdout)["relay"]["parked"]
    assert (record["status"], record["decided_by"], record["reason"]) == ("skipped", "ops-1", "test row, no child")
    assert system.anonymous.get("/health", timeout=10).status_code == 200
