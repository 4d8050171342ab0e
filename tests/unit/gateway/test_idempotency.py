"""The gateway's Idempotency-Key records, on every store kind."""

import pytest

from services.gateway.domain import ABANDONED, COMPLETED, UNCERTAIN
from services.gateway.exceptions import (
    IdempotencyKeyReused,
    IdempotentOutcomeUnknown,
    IdempotentRequestInProgress,
)
from services.gateway.web.idempotency import outcome_of

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


def test_a_first_attempt_that_may_still_take_effect_blocks_the_key(gateway):
    gateway.begin(*POST)
    gateway.finish("anonymous", "key-1", UNCERTAIN, reason="timed out")
    with pytest.raises(IdempotentOutcomeUnknown):
        gateway.begin(*POST)


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
