"""RPC entrypoints every event-sourced service offers: the pull side of its
public event feed, and its health; and `command`, which every RPC that
changes state wears so it runs once per command id."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from nameko.exceptions import IncorrectSignature

from shared import commands, logs, metrics
from shared.audit import service as audit_service
from shared.entrypoints import rpc
from shared.feed_ledger import RELAY_FEED, FeedLedger, health_of_feeds, needs_attention
from shared.locks import process_name
from shared.relay import Relay, envelopes_after

log = logging.getLogger(__name__)

MAX_PULL = 1000
F = TypeVar("F", bound=Callable[..., Any])
IS_COMMAND = logs.COMMAND_MARK


def command(method: F) -> F:
    """An RPC that changes state: with the caller's command id in the call
    context, its outcome (the answer, or the refusal) is recorded in the
    transaction that records its events, and a second call with that id gets
    the same outcome without running again (shared/commands.py). Put it under
    `@rpc`: the answer it replays is what the method returned.

        @rpc(expected_exceptions=...)
        @service_base.command
        def register_child(self, data): ...
    """
    signature = inspect.signature(method)

    @functools.wraps(method)
    def run_command(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            signature.bind(self, *args, **kwargs)
        except TypeError as error:  # nameko checks the wrapper's signature, which takes anything
            raise IncorrectSignature(str(error)) from None
        command_id = commands.current_command_id()
        try:
            if not command_id:  # a caller that sends no id (a script) gets at-least-once
                answer = method(self, *args, **kwargs)
            else:
                issued = commands.Command.of(method.__name__, command_id, args, kwargs)
                answer = commands.run_once(self.store, issued, lambda: method(self, *args, **kwargs))
        except Exception as error:
            # One line; a refusal is the caller's answer, not an error here (an
            # unexpected one is logged with its traceback by nameko).
            log.info("command %s: %s", method.__name__, type(error).__name__)
            metrics.count_command(self.store.name, method.__name__, error)
            raise
        log.info("command %s: done", method.__name__)
        metrics.count_command(self.store.name, method.__name__, None)
        return answer

    setattr(run_command, IS_COMMAND, True)
    return run_command  # type: ignore[return-value]  # same call signature as `method`


def is_command(method: Callable[..., Any]) -> bool:
    return bool(getattr(method, IS_COMMAND, False))


class EventSourcedService(audit_service.AuditEntrypoints):
    """Mixin for nameko services with a `store = ServiceStore(...)` dependency
    and optional `ConsumerFeed` dependencies."""

    @rpc  # type: ignore[untyped-decorator]  # nameko ships no types
    def notifications(self, after: int, limit: int = 500) -> dict[str, Any]:
        """Public envelopes after a notification id, for consumers filling gaps."""
        if not isinstance(after, int) or not isinstance(limit, int) or after < 0 or limit < 1:
            raise ValueError("after must be an integer >= 0 and limit an integer >= 1")
        app = self.store
        if app.public_events is None:
            return {"envelopes": [], "last": after}
        plumbing = app.plumbing
        envelopes, last = envelopes_after(
            app, app.public_events, after, min(limit, MAX_PULL), None, plumbing.signer, plumbing.ledger
        )
        return {"envelopes": envelopes, "last": last}

    @rpc  # type: ignore[untyped-decorator]  # nameko ships no types
    def health(self) -> dict[str, Any]:
        app = self.store
        provider = app.plumbing
        try:
            head, ok = app.head_position(), True
        except Exception:  # noqa: BLE001 - health reports the failure instead of raising
            head, ok = 0, False
        relay = provider.relay
        attention: list[str] = []
        feeds = provider.feeds()
        states = _feed_health(provider.ledger, [feed.upstream for feed in feeds] + [RELAY_FEED])
        consumers: dict[str, Any] = {}
        for feed in feeds:
            assert feed.consumer is not None, "feeds start before entrypoints"
            state = states[feed.upstream]
            if needs_attention(state):
                attention.append(f"feed {feed.upstream}: parked events or refused envelopes (scripts/feeds list)")
            consumers[feed.upstream] = {"position": feed.consumer.position, "failure": feed.failure, **state}
        outgoing = states[RELAY_FEED]
        if outgoing["parked"]:
            attention.append("relay: parked outgoing events (scripts/feeds list)")
        return {
            "service": app.name,
            "store": {"kind": provider.settings.store.kind, "ok": ok, "head": head},
            "sealer": {
                "position": provider.sealer.position,
                "checks_macs": provider.sealer.checks_macs,
                # The event the sealer will not seal (forged or unreadable), or None.
                "refused": provider.sealer.refused,
            },
            "relay": None
            if relay is None
            else {
                **_relay_replicas(relay),
                "position": relay.position,
                "published": relay.published,
                "lag": max(head - relay.position, 0),
                "parked": outgoing["parked"],
            },
            "consumers": consumers,
            "attention": attention,
        }


def _relay_replicas(relay: Relay) -> dict[str, Any]:
    """Which replica's relay holds the lock, and every replica's (holder and
    standbys), from the database: the same whichever replica answers
    (`answering` marks it), and asking tries no lock."""
    try:
        replicas = relay.lock.replicas()
    except Exception as error:  # noqa: BLE001 - health reports the failure instead of raising
        replicas = [
            {
                "process": process_name(),
                "holds_lock": relay.is_active(),
                "answering": True,
                "error": type(error).__name__,
            }
        ]
    holders = [r["process"] for r in replicas if r["holds_lock"]]
    return {
        "active": bool(holders),
        "holder": holders[0] if holders else None,
        "replicas": replicas,
    }


def _feed_health(ledger: FeedLedger, feeds: list[str]) -> dict[str, dict[str, Any]]:
    """The feeds' parked events and refusals; when the store cannot say, health says so."""
    try:
        return health_of_feeds(ledger, feeds)
    except Exception as error:  # noqa: BLE001 - health reports the failure instead of raising
        unknown = [
            {"notification_id": None, "status": "unknown", "error": f"feed records unreadable: {type(error).__name__}"}
        ]
        return {feed: {"parked": unknown, "refused": {}} for feed in feeds}
