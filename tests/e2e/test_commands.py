"""A 504 has a knowable outcome: a request that timed out while the registry was
down is still taken in once it is back, and the client's retry under the same
Idempotency-Key answers with that outcome — the same new file, not a 409
IDEMPOTENT_OUTCOME_UNKNOWN and not a second file."""

import uuid

import pytest

from tests.support.children import new_child
from tests.support.processes import System, wait_until


@pytest.fixture
def system(amqp_uri, pg_store, tmp_path):
    running = System(amqp_uri, pg_store, tmp_path, RPC_TIMEOUT="3")
    try:
        yield running
    finally:
        running.stop_all()


def files(system) -> int:
    with system.rpc() as rpc:
        stats = rpc.registry.statistics()
    return stats["active"] + stats["closed"]


def test_a_retry_after_a_registry_outage_answers_with_the_first_outcome(system):
    system.start("registry", "gateway")
    api = system.api
    system.stop("registry")
    child = new_child(with_id=True)
    key = {"Idempotency-Key": f"outage-{uuid.uuid4()}"}
    assert api.post("/children", json=child, headers=key).status_code == 504
    # Still down: the retry times out too, and is not refused for ever.
    assert api.post("/children", json=child, headers=key).status_code == 504

    system.start("registry")  # takes in both queued attempts: one command, one file
    wait_until(lambda: files(system) == 1, message="the queued registration taken in")
    retried = api.post("/children", json=child, headers=key)
    assert retried.status_code == 201, retried.text
    child_id = retried.json()["child_id"]
    assert retried.headers["Location"] == f"/children/{child_id}"
    assert api.get(f"/children/{child_id}").json()["name"] == child["name"]
    replayed = api.post("/children", json=child, headers=key)
    assert (replayed.status_code, replayed.json()) == (201, {"id": child_id, "child_id": child_id})
    assert files(system) == 1


def test_a_refusal_decided_during_the_timeout_is_the_answer_to_the_retry(system):
    system.start("registry", "gateway")
    api = system.api
    child = new_child(with_id=True)
    taken = api.post("/children", json=child)
    assert taken.status_code == 201
    system.stop("registry")
    key = {"Idempotency-Key": f"outage-{uuid.uuid4()}"}
    assert api.post("/children", json=child, headers=key).status_code == 504
    system.start("registry")
    # A Response of 4xx is falsy, hence the tuple.
    [retried] = wait_until(
        lambda: (r := api.post("/children", json=child, headers=key)).status_code != 504 and (r,),
        message="an answer to the retry",
    )
    assert retried.status_code == 409
    assert retried.json()["error"] == "DUPLICATE_ID_NUMBER"
    assert files(system) == 1
