"""Consumers and signed envelopes for tests, with the development keys every
service derives when none are configured (shared/signing.py)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

from shared.config import EventKeySettings
from shared.consumer import Consumer
from shared.feed_ledger import ledger_of
from shared.locks import LockLost
from shared.relay import Relay, envelopes_after
from shared.signing import Signer, signer_for, verifier_for

DEV_KEYS = EventKeySettings(production=False, signing_key="", verify_keys={})


def dev_signer(source: str) -> Signer:
    return signer_for(source, DEV_KEYS)


def sign_as_source(message: dict) -> dict:
    """The envelope as its source's relay would send it."""
    return dev_signer(message["source"]).sign(message)


def dev_consumer(app, upstream: str, handle, pull, **options) -> Consumer:
    return Consumer(app, upstream, handle, pull, verifier_for(upstream, DEV_KEYS), ledger_of(app), **options)


class HeldLock:
    """The relay's lock, held (or not) without a database."""

    def __init__(self, held: bool = True):
        self.held = held

    def acquire(self) -> bool:
        return self.held

    def release(self) -> None:
        pass

    def holding(self) -> bool:
        return self.held

    def verify(self) -> None:
        if not self.held:
            raise LockLost("held lock")

    def fenced(self):
        self.verify()
        return nullcontext()

    def replicas(self) -> list[dict]:
        return [{"process": "here", "holds_lock": self.held, "answering": True}]


def child(n: int) -> dict:
    """A registration the registry accepts, the n-th of a feed."""
    return dict(
        name=f"孩子{n}",
        gender="female",
        date_of_birth=date(2015, 1, 1),
        id_number=None,
        town="滨河镇",
        village="新北村",
        categories=["distressed"],
        distress_reasons=["disability"],
    )


def published(registry) -> list[dict]:
    sent: list[dict] = []
    relay = Relay(
        registry,
        registry.public_events,
        lambda m, routing_key: sent.append(m),
        HeldLock(),
        dev_signer("registry"),
        ledger_of(registry),
    )
    while relay.run_once():
        pass
    return sent


class Upstream:
    """The registry's pull RPC, counting the pulls (and refusing them when told)."""

    def __init__(self, registry):
        self.registry = registry
        self.pulls: list[int] = []
        self.refuse = False

    def __call__(self, after: int, limit: int):
        if self.refuse:
            raise AssertionError(f"pulled after {after}: a pushed event that follows on needs no pull")
        self.pulls.append(after)
        return envelopes_after(
            self.registry,
            self.registry.public_events,
            after,
            limit,
            None,
            dev_signer("registry"),
            ledger_of(self.registry),
        )
