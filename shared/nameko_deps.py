"""nameko wiring for the shared plumbing: the store (with its relay), consumer
feeds, and the actor/correlation context that travels with every call."""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import eventlet
from nameko.amqp.publish import Publisher
from nameko.extensions import DependencyProvider
from nameko.standalone.events import get_event_exchange

from shared import commands, logs, metrics
from shared import relay as relay_module
from shared.audit.sealer import Sealer
from shared.audit.seals import SealStore
from shared.batch_publish import BatchPublisher
from shared.config import load_event_key_settings, load_settings, refuse_default_broker_user
from shared.consumer import Consumer
from shared.context import CallMeta, _current, set_current_meta
from shared.eventstore import ServiceApplication, open_application
from shared.feed_ledger import FeedLedger, ledger_of
from shared.locks import LockLost, relay_lock
from shared.rpc_proxies import ClusterRpcProxy
from shared.signing import Signer, Verifier, signer_for, verifier_for

if TYPE_CHECKING:
    from nameko.containers import WorkerContext

log = logging.getLogger(__name__)

CONTEXT_KEYS = ("actor_id", "actor_role", "correlation_id", "causation_id")
# How long the sealer lets new saves gather before a pass (at most RELAY_INTERVAL).
SEALER_SETTLE_SECONDS = 0.25
# A relay that lost its lock waits this many relay intervals before trying
# again: a standby (trying every interval) takes over first.
STAND_BACK_INTERVALS = 5


def meta_from_context(context_data: dict[str, Any]) -> CallMeta:
    return CallMeta.from_mapping({k: context_data.get(k) for k in CONTEXT_KEYS})


class ServiceStore(DependencyProvider):  # type: ignore[misc]  # nameko ships no types: its base is Any
    """Opens the service's Application at container setup (never at import),
    stamps each worker's events with the caller's identity, and runs the relay
    that publishes the service's public events."""

    def __init__(self, app_class: type[ServiceApplication]):
        self.app_class = app_class
        self.app: ServiceApplication | None = None
        self.relay: relay_module.Relay | None = None
        self.signer: Signer | None = None
        self.lock: relay_module.Lock | None = None
        self._wake = threading.Event()
        self._wake_sealer = threading.Event()
        self._stopping = False
        self._tokens: dict[WorkerContext, contextvars.Token[CallMeta]] = {}
        self._started: dict[WorkerContext, Callable[[], float]] = {}
        self.metrics = metrics.MetricsServer()
        self._command_tokens: dict[WorkerContext, contextvars.Token[str]] = {}

    def setup(self) -> None:
        logs.set_service(self.app_class.name)
        settings = load_settings()
        self.settings = settings
        refuse_default_broker_user(self.container.config.get("AMQP_URI", ""))
        # Before the store opens: a publisher without its signing key refuses to start.
        signer = signer_for(self.app_class.name, load_event_key_settings()) if self.app_class.public_events else None
        self.signer = signer
        self.app = open_application(self.app_class, settings.store)
        self.ledger: FeedLedger = ledger_of(self.app)
        self.app.plumbing = self  # lets service-level RPCs (health) see relay and feeds
        # One process per service follows its log (relay + sealer); the rest stand by.
        self.lock = relay_lock(settings.store, self.app.name, stand_back=STAND_BACK_INTERVALS * settings.relay_interval)
        self.seals = SealStore(self.app, settings.store)
        self.sealer = Sealer(self.app, self.seals, fence=self.lock.fenced)
        self.app.add_save_listener(self._wake.set)
        self.app.add_save_listener(self._wake_sealer.set)
        if self.app.public_events is not None and signer is not None:
            exchange = get_event_exchange(self.app.name, self.container.config)
            publisher = Publisher(self.container.config["AMQP_URI"], declare=[exchange], use_confirms=True)
            # Batches go out on one channel with one wait for the broker's confirms.
            self.batch_publisher = BatchPublisher(self.container.config["AMQP_URI"], exchange)

            def publish(message: dict[str, Any], routing_key: str) -> None:
                publisher.publish(message, exchange=exchange, routing_key=routing_key)

            self.relay = relay_module.Relay(
                self.app,
                self.app.public_events,
                publish,
                self.lock,
                signer=signer,
                ledger=self.ledger,
                batch=settings.relay_batch,
                publish_batch=self.batch_publisher.publish,
            )

    def start(self) -> None:
        self.metrics.start(self)
        # Two loops under the one lock: a relay stuck on the broker must not
        # hold up sealing (nor the other way round).
        if self.relay is not None:
            relay = self.relay
            # The loop has taken (or confirmed) the lock just before each pass.
            self.container.spawn_managed_thread(
                lambda: self._follow_log("relay", lambda: relay.run_once(acquired=True), self._wake)
            )
        # The sealer is off the request path and nothing waits on it: after a
        # wake it lets the saves of a short while gather and seals them in one
        # pass, instead of one pass (four queries) per save.
        settle = min(SEALER_SETTLE_SECONDS, self.settings.relay_interval)
        self.container.spawn_managed_thread(lambda: self._follow_log("sealer", self._seal, self._wake_sealer, settle))

    def _seal(self) -> int:
        sealed = self.sealer.run_once()
        refused = self.sealer.refused
        if refused is not None and refused != self._reported_refusal:
            log.error("sealer for %s refuses the event at %s: %s", self.app_name, refused["position"], refused)
        self._reported_refusal = refused
        return sealed

    @property
    def app_name(self) -> str:
        return self.app.name if self.app is not None else self.app_class.__name__

    _reported_refusal: dict[str, Any] | None = None

    def _follow_log(self, job: str, run_once: Callable[[], int], wake: threading.Event, settle: float = 0.0) -> None:
        assert self.app is not None and self.lock is not None, "started before set up"
        interval = self.settings.relay_interval
        while not self._stopping:
            try:
                progressed = run_once() if self.lock.acquire() else 0
            except LockLost:
                if self._stopping:
                    return  # stop() released it
                # Its session was cut while this process lives: another replica may
                # hold the lock now. Nothing of the batch was recorded; stand by a while.
                log.warning("%s for %s lost its lock (its database session ended); standing by", job, self.app.name)
                progressed = 0
                eventlet.sleep(interval)
            except Exception:  # noqa: BLE001 - keep following; the log is the source of truth
                if self._stopping:
                    return
                log.exception("%s for %s failed; retrying", job, self.app.name)
                progressed = 0
                eventlet.sleep(interval)
            if not progressed:
                wake.wait(timeout=interval)
                wake.clear()
            if settle and not self._stopping:
                eventlet.sleep(settle)

    batch_publisher: BatchPublisher | None = None

    def stop(self) -> None:
        self._stopping = True
        self.metrics.stop()
        self._wake.set()
        self._wake_sealer.set()
        if self.batch_publisher is not None:
            self.batch_publisher.close()
        if self.lock is not None:
            self.lock.release()
        if self.app is not None:
            self.app.close()

    def worker_setup(self, worker_ctx: WorkerContext) -> None:
        self._started[worker_ctx] = metrics.timed()
        self._tokens[worker_ctx] = _current.set(meta_from_context(worker_ctx.context_data))
        self._command_tokens[worker_ctx] = commands.carry_command_id(worker_ctx.context_data.get(commands.CONTEXT_KEY))

    def worker_result(self, worker_ctx: WorkerContext, result: Any = None, exc_info: Any = None) -> None:
        elapsed = self._started.pop(worker_ctx, None)
        if elapsed is not None:
            failed = exc_info[1] if exc_info else None
            metrics.observe_worker(self.app_name, worker_ctx.entrypoint, elapsed(), failed)

    def worker_teardown(self, worker_ctx: WorkerContext) -> None:
        token = self._tokens.pop(worker_ctx, None)
        command_token = self._command_tokens.pop(worker_ctx, None)
        try:
            if token is not None:
                _current.reset(token)
            if command_token is not None:
                commands.forget_command_id(command_token)
        except ValueError:
            pass  # set in another context; the greenlet ends anyway

    def get_dependency(self, worker_ctx: WorkerContext) -> ServiceApplication:
        assert self.app is not None, "a worker before set up"
        return self.app

    def feeds(self) -> list[ConsumerFeed]:
        return [d for d in self.container.dependencies if isinstance(d, ConsumerFeed)]


# Events a feed takes in per transaction, and per hold of its lock: a pull page,
# or a run of pushed events.
FEED_PAGE = 200
# Pushed events kept for the feed's applier; past that, they are left to the pull.
PUSHED_LIMIT = 2000
QUEUED = "queued"


class ConsumerFeed(DependencyProvider):  # type: ignore[misc]  # nameko ships no types: its base is Any
    """Consumes one upstream service's public events exactly once.

    `handler_name` names the Application method that turns an envelope into
    effects. One green thread per feed takes the events in: the pushed ones
    (`receive` only hands them over, so a burst never holds the service's
    worker slots, which reads need), a run of those that follow on from the
    feed's position in one transaction; and, at start and periodically or when
    a pushed event shows a gap, a page pulled from the upstream. It lets other
    work in between pages, so a long catch-up delays nothing else.
    """

    def __init__(self, upstream: str, handler_name: str):
        self.upstream = upstream
        self.handler_name = handler_name
        self.consumer: Consumer | None = None
        self.verifier: Verifier | None = None
        self._lock = threading.Lock()
        self._rpc: ClusterRpcProxy | None = None
        self._stopping = False
        self._pending: deque[Any] = deque()
        self._overflowed = False
        self._wake = threading.Event()
        # The last failure to take in this upstream's events, until one succeeds.
        # A feed that keeps failing at one event is stuck there: health says so.
        self.failure: dict[str, Any] | None = None

    def setup(self) -> None:
        # Without the upstream's public key a production consumer refuses to start.
        self.verifier = verifier_for(self.upstream, load_event_key_settings())

    def start(self) -> None:
        store = next(d for d in self.container.dependencies if isinstance(d, ServiceStore))
        app = store.app
        assert app is not None and self.verifier is not None, "the store and feed are set up before feeds start"
        self._rpc_timeout = store.settings.rpc_timeout
        self.catch_up_interval = store.settings.consumer_catch_up_interval
        self.consumer = Consumer(
            app,
            self.upstream,
            getattr(app, self.handler_name),
            self._pull,
            self.verifier,
            ledger_of(app),
            pull_limit=FEED_PAGE,
        )
        self.container.spawn_managed_thread(self._take_in)

    def _pull(self, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        if self._rpc is None:
            self._rpc = ClusterRpcProxy(
                self.container.config, caller=self.container.service_name, timeout=self._rpc_timeout
            )
            self._proxy = self._rpc.start()
        try:
            result = getattr(self._proxy, self.upstream).notifications(after, limit)
        except Exception:
            self._close_rpc()
            raise
        return result["envelopes"], result["last"]

    def _close_rpc(self) -> None:
        if self._rpc is not None:
            try:
                self._rpc.stop()
            except Exception:  # noqa: BLE001 - best effort on a broken proxy
                pass
            self._rpc = None

    def _take_in(self) -> None:
        assert self.consumer is not None, "taken in before started"
        due = 0.0  # catch up at once on start
        retries_due = 0.0
        while not self._stopping:
            busy = took_in = False
            try:
                with self._lock:
                    now = time.monotonic()
                    if now >= retries_due:  # parked events an operator asked to retry
                        retried = self.consumer.retry_due()
                        retries_due = now + self.catch_up_interval
                        if retried:
                            log.info("retried %d parked %s events", retried, self.upstream)
                    if self._pending and not self._overflowed:
                        busy = took_in = True
                        self._take_pushed()
                        # While pushes flow, one lost on the way shows as a gap on the
                        # next: the periodic pull waits until they pause.
                        due = max(due, now + self.catch_up_interval)
                    elif self._overflowed or now >= due:
                        self._overflowed = False
                        page, busy = self.consumer.catch_up_once()
                        took_in = True
                        if page:
                            log.info("caught up %d %s events", page, self.upstream)
                        if not busy:
                            due = time.monotonic() + self.catch_up_interval
                if took_in:  # a pass that only looked for retries says nothing of the upstream
                    self.failure = None
            except Exception as error:  # noqa: BLE001 - upstream may be down; retry later
                if self._stopping:
                    return
                self._failed(error)
                log.warning("taking in %s events failed: %s", self.upstream, error)
                busy = False
                due = time.monotonic() + self.catch_up_interval
            if busy:
                eventlet.sleep(0)  # reads and other feeds go between pages
            else:
                self._wake.wait(timeout=max(min(due, retries_due) - time.monotonic(), 0.0))
                self._wake.clear()

    def _take_pushed(self) -> None:
        """Apply the pushed events that follow on, in one run; if one shows a gap,
        pull one page towards it and offer it again."""
        assert self.consumer is not None, "taken in before started"
        batch = [self._pending.popleft() for _ in range(min(len(self._pending), FEED_PAGE))]
        _, rest = self.consumer.take_pushed(batch)
        if not rest:
            return
        before = self.consumer.position
        self.consumer.catch_up_once(until=rest[0]["notification_id"] - 1)
        if self.consumer.position == before:
            # The upstream has nothing to fill the gap with: take it as it is.
            self.consumer.take(rest.pop(0))
        self._pending.extendleft(reversed(rest))

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._close_rpc()

    def receive(self, message: Any) -> str:
        """Hand a pushed event to the feed and return at once. One lost here
        (the process dies first) is pulled from the upstream at the next start."""
        assert self.consumer is not None, "received before started"
        if len(self._pending) >= PUSHED_LIMIT:
            self._overflowed = True  # the feed pulls what it cannot keep
        else:
            self._pending.append(message)
        self._wake.set()
        return QUEUED

    def _failed(self, error: Exception) -> None:
        assert self.consumer is not None, "failed before started"
        self.failure = {
            "error": f"{type(error).__name__}: {error}"[:500],
            "at": datetime.now(UTC).isoformat(),
            "position": self.consumer.position,
        }

    def get_dependency(self, worker_ctx: WorkerContext) -> ConsumerFeed:
        return self


class CallerIdentity(DependencyProvider):  # type: ignore[misc]  # nameko ships no types: its base is Any
    """Gateway side: puts the authenticated actor and a correlation id into the
    call context so every downstream RPC carries them."""

    def get_dependency(self, worker_ctx: WorkerContext) -> Callable[[CallMeta], None]:
        def act_as(meta: CallMeta) -> None:
            # `context_data` is a copy; `data` is what outgoing calls carry.
            worker_ctx.data.update({k: v for k, v in meta.as_dict().items() if v})
            set_current_meta(meta)  # and what the gateway's own store stamps

        return act_as


class CommandIdentity(DependencyProvider):  # type: ignore[misc]  # nameko ships no types: its base is Any
    """Caller side: the id every command this worker sends carries, so the
    service that owns the command runs it once (shared/commands.py)."""

    def get_dependency(self, worker_ctx: WorkerContext) -> Callable[[str], None]:
        def issue(command_id: str) -> None:
            worker_ctx.data[commands.CONTEXT_KEY] = command_id
            commands.carry_command_id(command_id)  # and the caller's own commands

        return issue
