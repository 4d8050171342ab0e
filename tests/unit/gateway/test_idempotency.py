"""The gateway's Idempotency-Key records, on every store kind."""

import pytest

from services.gateway.domain import ABANDONED, COMPLETED, UNCERTAIN
from services.gateway.exceptions import IdempotencyKeyReused, IdempotentRequestInProgress
from services.gateway.web.idempotency import command_id_for, outcome_of

POST = ("anonymous", "key-1", "fp-a", "POST", "/children")


def test_first_request_runs_and_its_answer_is_replayed(gateway):
    assert gateway.begin(*POST) is None
    gateway.finish("anonymous", "key-1", COMPLETED, status=201, body='{"child_id": "x"}', location="/children/x")
    assert gateway.begin(*POST) == {"status": 201, "body": '{"child_id": "x"}', "location": "/children/x"}


def test_same_key_with_another_body_is_refused(gateway):
    gateway.begin(*POST)
    gateway.finish("anonymous", "key-1", COMPLETED, status=201, body="{}")
    with pytest.raises(IdempotencyKeyReused) as refused:
        gateway.begin("anonymous", "key-1", "fp-b", "POST", "/children")
    assert "Idempotency-Key" in refused.value.fields


def test_a_retry_while_the_first_is_running_is_told_to_wait(gateway):
    gateway.begin(*POST)
    with pytest.raises(IdempotentRequestInProgress):
        gateway.begin(*POST)


def test_a_first_attempt_that_timed_out_is_sent_again_as_the_same_command(gateway):
    # Before: refused for ever (409 IDEMPOTENT_OUTCOME_UNKNOWN). Now the retry runs,
    # carrying the key's command id: the service answers with what the first did.
    gateway.begin(*POST)
    gateway.finish("anonymous", "key-1", UNCERTAIN, reason="timed out")
    assert gateway.begin(*POST) is None
    with pytest.raises(IdempotentRequestInProgress):
        gateway.begin(*POST)
    gateway.finish("anonymous", "key-1", COMPLETED, status=201, body='{"child_id": "x"}')
    assert gateway.begin(*POST)["status"] == 201


def test_a_key_names_one_command_per_caller():
    assert command_id_for("user-a", "key-1") == command_id_for("user-a", "key-1")
    assert command_id_for("user-a", "key-1") != command_id_for("user-b", "key-1")
    assert command_id_for("user-a", "key-1") != command_id_for("user-a", "key-2")


def test_a_first_attempt_that_never_reached_the_service_may_run_again(gateway):
    gateway.begin(*POST)
    gateway.finish("anonymous", "key-1", ABANDONED, reason="registry not running")
    assert gateway.begin(*POST) is None
    with pytest.raises(IdempotentRequestInProgress):
        gateway.begin(*POST)


def test_keys_belong_to_their_caller(gateway):
    gateway.begin(*POST)
    assert gateway.begin("someone-else", "key-1", "fp-z", "POST", "/children") is None


@pytest.mark.parametrize(
    "status,outcome",
    [(201, COMPLETED), (422, COMPLETED), (409, COMPLETED), (503, ABANDONED), (504, UNCERTAIN), (500, UNCERTAIN)],
)
def test_what_a_first_answer_means_for_a_retry(status, outcome):
    assert outcome_of(status) == outcome
