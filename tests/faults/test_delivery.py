"""Exactly-once effects from registry to casework when the broker or the
processes misbehave: duplicates, downtime, lost messages, SIGKILL, two relays."""

import threading
import time
import uuid

from nameko.standalone.rpc import ClusterRpcProxy

from tests.support import broker
from tests.support.children import (
    casework_roster,
    new_child,
    register,
    register_many,
    registry_public_children,
)
from tests.support.processes import ALL, wait_until


def roster_reaches(system, count, seconds=60):
    return wait_until(
        lambda: (ids := casework_roster(system.api)) is not None and len(ids) >= count and ids,
        seconds=seconds,
        message=f"{count} children in casework",
    )


def casework_events(system) -> int:
    with system.rpc() as rpc:
        return rpc.casework.health()["store"]["head"]


def test_every_event_delivered_twice_has_one_effect(make_system):
    system = make_system()
    system.start(*ALL)
    register_many(system.api, 5)
    roster_reaches(system, 5)
    with system.rpc() as rpc:
        envelopes = rpc.registry.notifications(0, 100)["envelopes"]
    assert len(envelopes) == 5
    for message in envelopes + envelopes:
        broker.publish(system.vhost, "registry.events", message["type"], message)
    register_many(system.api, 1)
    wait_until(
        lambda: broker.queue_is_drained(system.vhost, broker.CASEWORK_REGISTRY_QUEUE), message="casework queue drained"
    )
    roster = roster_reaches(system, 6)
    assert len(roster) == len(set(roster)) == 6
    assert casework_events(system) == 6  # one enrolment per child, none repeated


def test_casework_down_while_200_children_are_registered(make_system):
    system = make_system()
    system.start(*ALL)
    system.stop("casework")
    created = register_many(system.api, 200)
    system.start("casework")
    roster = roster_reaches(system, 200, seconds=120)
    assert sorted(roster) == sorted(created)
    assert casework_events(system) == 200


def test_events_published_before_the_consumer_queue_existed_are_pulled(make_system):
    system = make_system()
    system.start("registry", "gateway")  # casework has never run: no queue is bound
    created = register_many(system.api, 5)
    system.start("casework")
    assert sorted(roster_reaches(system, 5)) == sorted(created)


def test_event_dropped_by_the_broker_is_filled_by_the_gap_pull(make_system):
    # No periodic catch-up: only the gap seen on the next event can recover.
    system = make_system(CONSUMER_CATCHUP_INTERVAL="3600")
    system.start(*ALL)
    first = register_many(system.api, 1)
    roster_reaches(system, 1)
    broker.unbind(system.vhost, "registry.events", broker.CASEWORK_REGISTRY_QUEUE)
    lost = register_many(system.api, 2)
    wait_until(
        lambda: set(lost) <= set(registry_public_children(system.rpc().start())), message="lost events published"
    )
    assert casework_roster(system.api) == first
    broker.bind(system.vhost, "registry.events", broker.CASEWORK_REGISTRY_QUEUE)
    last = register_many(system.api, 1)
    roster = roster_reaches(system, 4)
    assert sorted(roster) == sorted(first + lost + last)


def register_until_answered(api, child: dict, key: str, attempts: int = 20):
    """What a careful client does: on a 503/504 it sends the same request again
    under the same Idempotency-Key, until the registry answers."""
    for _ in range(attempts):
        response = register(api, child, headers={"Idempotency-Key": key})
        if response.status_code not in (502, 503, 504):
            return response
        time.sleep(0.5)
    raise AssertionError(f"no answer for {key} after {attempts} attempts: {response.status_code}")


def test_registry_killed_mid_stream_opens_exactly_one_file_per_registration(make_system):
    # nameko acknowledges a request after the work: a registry killed after saving
    # but before replying has the request run again by its successor. Before, that
    # run opened a second file (or answered 409 naming the first); now it answers
    # with the recorded outcome. Half the children have ID numbers, half not.
    system = make_system(RPC_TIMEOUT="20")
    system.start(*ALL)
    registrations = [new_child(with_id=n % 2 == 0) for n in range(60)]
    answers: dict[int, object] = {}
    done = threading.Event()

    def stream():
        try:
            for n, child in enumerate(registrations):
                answers[n] = register_until_answered(system.api, child, f"registration-{n}")
        finally:
            done.set()

    writer = threading.Thread(target=stream)
    writer.start()
    for answered in (15, 35):
        wait_until(lambda a=answered: len(answers) >= a or done.is_set(), seconds=120, message=f"{answered} answers")
        system.kill("registry")
        system.start("registry")
    writer.join(timeout=300)
    assert done.is_set() and len(answers) == len(registrations)
    assert {n: r.status_code for n, r in answers.items() if r.status_code != 201} == {}
    created = [r.json()["child_id"] for r in answers.values()]
    assert len(set(created)) == len(registrations)
    with system.rpc() as rpc:
        published = registry_public_children(rpc)
        stats = rpc.registry.statistics()
    assert sorted(published) == sorted(created)  # exactly one file per registration
    assert stats["active"] + stats["closed"] == len(registrations)
    roster = roster_reaches(system, len(published))
    assert sorted(roster) == sorted(published)
    assert casework_events(system) == len(published)


def test_a_request_delivered_twice_to_two_registry_processes_opens_one_file(make_system):
    # What the broker does when the process that ran a request dies before its
    # reply: the same message (same command id) runs again, here at once on a
    # second replica. Before, each delivery opened its own file.
    system = make_system()
    system.start("registry", "registry")
    child = new_child(with_id=False)
    command = {"command_id": f"delivery-{uuid.uuid4()}"}
    with ClusterRpcProxy(system.config, context_data=command, timeout=30) as rpc:
        replies = [rpc.registry.register_child.call_async(child) for _ in range(4)]
        answers = [reply.result() for reply in replies]
        assert len({a["child_id"] for a in answers}) == 1
        assert registry_public_children(rpc) == [answers[0]["child_id"]]


def active_relay_pids(system) -> set[int]:
    from shared import pg

    with pg.connect(system.store) as conn:
        rows = conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE %s",
            (f"relay:{system.store.schema_for('registry')}:%",),
        ).fetchall()
    return {int(name.rsplit(":", 1)[1]) for (name,) in rows}


def test_two_relays_only_one_publishes_and_the_other_takes_over(make_system):
    system = make_system()
    system.start(*ALL)
    system.start("registry")  # a second replica, with its own relay
    broker.declare_queue(system.vhost, "tap")
    broker.bind(system.vhost, "registry.events", "tap")
    register_many(system.api, 10)
    roster_reaches(system, 10)
    wait_until(lambda: broker.queue(system.vhost, "tap").get("messages") == 10, message="10 on the tap")
    holders = active_relay_pids(system)
    assert len(holders) == 1
    [holder] = holders
    replica_pids = [p.pid for p in system.procs["registry"]]
    assert holder in replica_pids
    system.kill("registry", replica_pids.index(holder))
    wait_until(lambda: active_relay_pids(system) - {holder}, seconds=30, message="standby relay takes over")
    register_many(system.api, 5)
    roster = roster_reaches(system, 15)
    assert len(roster) == len(set(roster)) == 15
    # The management API refreshes counts every few seconds, hence the wait.
    wait_until(
        lambda: broker.queue(system.vhost, "tap").get("messages", 0) >= 15, message="the new relay's events on the tap"
    )


def test_a_consumer_that_cannot_reach_its_upstream_shows_in_health_until_it_recovers(make_system):
    system = make_system(CONSUMER_CATCHUP_INTERVAL="1", RPC_TIMEOUT="3")
    system.start(*ALL)
    system.stop("registry")

    def casework_feed():
        services = system.anonymous.get("/health").json()["services"]
        return services["casework"]["consumers"]["registry"]

    failing = wait_until(lambda: casework_feed()["failure"], seconds=60, message="feed failure reported")
    assert failing["error"] and failing["position"] == 0
    assert system.anonymous.get("/health").status_code == 503
    system.start("registry")
    wait_until(lambda: casework_feed()["failure"] is None, seconds=60, message="feed recovered")
    created = register_many(system.api, 1)
    assert roster_reaches(system, 1) == created
