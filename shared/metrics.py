"""Prometheus metrics (prometheus-client), served by each process on its own
port (METRICS_PORT; off unless set) at /metrics.

Counted as they happen: each entrypoint's latency (RPC, event handler, and the
gateway's HTTP requests by route), and each command's outcome. Read from the
store when scraped: the log's head, the relay's position and what it last
published, the sealer's position, each consumer's position and the highest
upstream position it has heard of (its lag in events), the age of the oldest
upstream event it has heard of and not applied (its lag in seconds), and parked
events per feed.

A consumer's lag behind what its source published is, in PromQL,
`clamp_min(max(childcare_relay_published{service="registry"}) -
max(childcare_consumer_position{service="casework", upstream="registry"}), 0)`
(a consumer's position also passes its source's private notifications, so the
difference alone may be negative); `childcare_consumer_lag_events` is what the
consumer itself knows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import eventlet
from eventlet import wsgi
from prometheus_client import CollectorRegistry, Counter, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from shared.config import ConfigError, metrics_address
from shared.feed_ledger import RELAY_FEED

if TYPE_CHECKING:
    from shared.nameko_deps import ServiceStore

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

# Seconds: from a few milliseconds (a read) to the RPC deadline.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

ENTRYPOINT_SECONDS = Histogram(
    "childcare_entrypoint_seconds",
    "Time a service took to handle one RPC or event (its worker), by method and outcome",
    ["service", "kind", "method", "outcome"],
    buckets=BUCKETS,
    registry=REGISTRY,
)
COMMANDS = Counter(
    "childcare_commands",
    "Commands a service ran, by outcome: done, refused (a rule or the request), error",
    ["service", "command", "outcome"],
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "childcare_http_request_seconds",
    "Time the gateway took to answer one HTTP request, by route (its template) and status class",
    ["method", "route", "status"],
    buckets=BUCKETS,
    registry=REGISTRY,
)


def entrypoint_kind(entrypoint: Any) -> str:
    name = type(entrypoint).__name__.lower()
    return "rpc" if "rpc" in name else "event" if "event" in name else "http" if "http" in name else name


def observe_worker(service: str, entrypoint: Any, seconds: float, failed: Exception | None) -> None:
    from shared.errors import ServiceError

    outcome = "ok" if failed is None else "refused" if isinstance(failed, ServiceError) else "error"
    kind = entrypoint_kind(entrypoint)
    if kind == "http":
        return  # the gateway counts its requests by route (HTTP_SECONDS)
    method = getattr(entrypoint, "method_name", "?")
    ENTRYPOINT_SECONDS.labels(service, kind, method, outcome).observe(seconds)


def count_command(service: str, command: str, failed: Exception | None) -> None:
    from shared.errors import ServiceError

    outcome = "done" if failed is None else "refused" if isinstance(failed, ServiceError) else "error"
    COMMANDS.labels(service, command, outcome).inc()


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_SECONDS.labels(method, route, f"{status // 100}xx").observe(seconds)


class FeedCollector(Collector):
    """What the store says when scraped: where the log, its relay, its sealer
    and its consumers stand, and what is parked."""

    def __init__(self, store: ServiceStore):
        self.store = store

    def collect(self) -> Iterator[Metric]:
        store = self.store
        app = store.app
        if app is None:
            return
        service = app.name
        gauges = {
            name: GaugeMetricFamily(f"childcare_{name}", text, labels=labels)
            for name, text, labels in (
                ("log_head", "The service's notification log: its last position", ["service"]),
                ("relay_position", "How far the relay has scanned the log", ["service"]),
                ("relay_published", "Position of the last public event the relay published", ["service"]),
                ("relay_lag_events", "Log positions the relay has yet to scan (head - position)", ["service"]),
                ("relay_active", "1 if this process's relay holds the lock", ["service"]),
                ("sealer_position", "Position of the last sealed event", ["service"]),
                ("consumer_position", "Last upstream position this consumer applied", ["service", "upstream"]),
                (
                    "consumer_source_head",
                    "Highest upstream position this consumer has heard of",
                    ["service", "upstream"],
                ),
                ("consumer_lag_events", "Upstream positions heard of and not yet applied", ["service", "upstream"]),
                (
                    "consumer_lag_seconds",
                    "Age of the oldest upstream event heard of and not yet applied (0: caught up)",
                    ["service", "upstream"],
                ),
                ("parked_events", "Events parked (open) on a feed; feed relay is outgoing", ["service", "feed"]),
            )
        }
        try:
            head = app.head_position()
            gauges["log_head"].add_metric([service], head)
            relay = store.relay
            if relay is not None:
                position = relay.position
                gauges["relay_position"].add_metric([service], position)
                gauges["relay_published"].add_metric([service], relay.published)
                gauges["relay_lag_events"].add_metric([service], max(head - position, 0))
                gauges["relay_active"].add_metric([service], 1 if relay.is_active() else 0)
            gauges["sealer_position"].add_metric([service], store.sealer.position)
            feeds = [RELAY_FEED] if relay is not None else []
            for feed in store.feeds():
                consumer = feed.consumer
                if consumer is None:
                    continue
                feeds.append(feed.upstream)
                position = consumer.position
                gauges["consumer_position"].add_metric([service, feed.upstream], position)
                gauges["consumer_source_head"].add_metric([service, feed.upstream], consumer.source_head)
                gauges["consumer_lag_events"].add_metric(
                    [service, feed.upstream], max(consumer.source_head - position, 0)
                )
                lag_seconds = consumer.lag_seconds()
                if lag_seconds is not None:
                    gauges["consumer_lag_seconds"].add_metric([service, feed.upstream], lag_seconds)
            for name in feeds:
                gauges["parked_events"].add_metric([service, name], len(store.ledger.open_events(name)))
        except Exception as error:  # noqa: BLE001 - a scrape reports what it could read
            log.warning("metrics: the store of %s could not be read: %s", service, error)
        yield from gauges.values()


class MetricsServer:
    """Serves REGISTRY at http://METRICS_HOST:METRICS_PORT/metrics (any path)
    in a green thread; nothing when METRICS_PORT is unset."""

    def __init__(self) -> None:
        self._thread: Any = None
        self._collector: FeedCollector | None = None

    def start(self, store: ServiceStore) -> tuple[str, int] | None:
        address = metrics_address()
        if address is None:
            return None
        try:
            sock = eventlet.listen(address, reuse_port=False)  # a second process must not share it
        except OSError as error:
            raise ConfigError(
                f"METRICS_PORT {address[1]} on {address[0]} cannot be served ({error.strerror}): "
                "give each process on this machine its own port"
            ) from None
        self._collector = FeedCollector(store)
        REGISTRY.register(self._collector)
        self._thread = eventlet.spawn(wsgi.server, sock, make_wsgi_app(REGISTRY), log_output=False)
        bound: tuple[str, int] = sock.getsockname()[:2]
        log.info("metrics on http://%s:%d/metrics", *bound)
        return bound

    def stop(self) -> None:
        if self._collector is not None:
            REGISTRY.unregister(self._collector)
            self._collector = None
        if self._thread is not None:
            self._thread.kill()
            self._thread = None


def timed(clock: Callable[[], float] = time.perf_counter) -> Callable[[], float]:
    """A stopwatch: call the result for the seconds since."""
    started = clock()
    return lambda: clock() - started
