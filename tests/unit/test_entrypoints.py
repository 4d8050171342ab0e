"""Every service declares its queues through shared/entrypoints.py, so
RABBITMQ_QUORUM_QUEUES makes all of them quorum queues or none (a queue
declared both ways would stop the second declarer with PRECONDITION_FAILED)."""

import importlib

import pytest
from kombu.entity import Queue
from nameko.events import EventHandler as NamekoEventHandler
from nameko.rpc import Rpc as NamekoRpc

from shared.config import SERVICES, ConfigError, quorum_queues
from shared.entrypoints import EventHandler, Rpc, typed
from shared.service_base import EventSourcedService


def service_class(service: str) -> type:
    module = importlib.import_module(f"services.{service}.service")
    return next(
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, EventSourcedService) and v.name == service
    )


@pytest.mark.parametrize("service", SERVICES)
def test_every_queue_declaring_entrypoint_is_ours(service):
    cls = service_class(service)
    entrypoints = [e for name in dir(cls) for e in getattr(getattr(cls, name), "nameko_entrypoints", ())]
    rpcs = [e for e in entrypoints if isinstance(e, NamekoRpc)]
    handlers = [e for e in entrypoints if isinstance(e, NamekoEventHandler)]
    assert rpcs, service
    assert all(type(e) is Rpc for e in rpcs), service
    assert all(type(e) is EventHandler for e in handlers), service


@pytest.mark.parametrize(
    ("value", "expected"), [("", False), ("false", False), ("0", False), ("true", True), ("YES", True)]
)
def test_the_flag_reads_plain_words(monkeypatch, value, expected):
    monkeypatch.setenv("RABBITMQ_QUORUM_QUEUES", value)
    assert quorum_queues() is expected


def test_an_unclear_flag_is_refused(monkeypatch):
    monkeypatch.setenv("RABBITMQ_QUORUM_QUEUES", "quorum")
    with pytest.raises(ConfigError, match="RABBITMQ_QUORUM_QUEUES"):
        quorum_queues()


def test_typed_adds_the_queue_type_only_when_on(monkeypatch):
    monkeypatch.setenv("RABBITMQ_QUORUM_QUEUES", "true")
    queue = Queue("rpc-registry", durable=True, queue_arguments={"x-expires": 1})
    typed(queue)
    assert queue.queue_arguments == {"x-expires": 1, "x-queue-type": "quorum"}
    monkeypatch.setenv("RABBITMQ_QUORUM_QUEUES", "false")
    classic = Queue("rpc-grants", durable=True)
    typed(classic)
    assert not classic.queue_arguments
