"""Prometheus metrics from the real processes, each on its own METRICS_PORT:
the series move as the system works. Registrations through the gateway (and
one refused) show in the registry's commands and RPC latency, its log head and
relay, casework's consumer position and lag, and the gateway's request latency."""

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support.children import new_child
from tests.support.processes import System, free_port, wait_until


def scrape(port: int) -> dict[tuple[str, tuple], float]:
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_the_series_move_as_children_are_registered(amqp_uri, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path)
    ports = {name: free_port() for name in ("registry", "casework", "gateway")}
    for name, port in ports.items():
        system.service_env[name] = {"METRICS_PORT": str(port), "METRICS_HOST": "127.0.0.1"}
    try:
        system.start("registry", "casework", "gateway")
        before = wait_until(
            lambda: (s := scrape(ports["registry"])) and value(s, "childcare_relay_active", service="registry") and s,
            message="the registry's relay active",
        )
        assert value(before, "childcare_log_head", service="registry") == 0
        assert (
            value(scrape(ports["casework"]), "childcare_consumer_position", service="casework", upstream="registry")
            == 0
        )
        child = new_child()
        for payload in (child, new_child(), child):  # the third is the first again: refused (409)
            system.api.post("/children", json=payload, timeout=30)

        rpc = dict(service="registry", kind="rpc", method="register_child")
        # A worker's time is taken once it has replied: wait for the third.
        registry = wait_until(
            lambda: (
                (s := scrape(ports["registry"]))
                and value(s, "childcare_entrypoint_seconds_count", **rpc, outcome="refused") == 1
                and value(s, "childcare_entrypoint_seconds_count", **rpc, outcome="ok") == 2
                and s
            ),
            message="the three calls timed",
        )
        done = dict(service="registry", command="register_child")
        assert value(registry, "childcare_commands_total", **done, outcome="done") == 2
        assert value(registry, "childcare_commands_total", **done, outcome="refused") == 1
        assert value(registry, "childcare_entrypoint_seconds_count", **rpc, outcome="ok") == 2
        assert value(registry, "childcare_entrypoint_seconds_count", **rpc, outcome="refused") == 1
        head = value(registry, "childcare_log_head", service="registry")
        assert head > 0
        registry = wait_until(
            lambda: (
                (s := scrape(ports["registry"]))
                and value(s, "childcare_relay_lag_events", service="registry") == 0
                and value(s, "childcare_relay_published", service="registry") > 0
                and s
            ),
            message="the relay at the head",
        )
        assert value(registry, "childcare_relay_position", service="registry") >= head
        assert value(registry, "childcare_parked_events", service="registry", feed="relay") == 0
        published = value(registry, "childcare_relay_published", service="registry")

        feed = dict(service="casework", upstream="registry")
        handled = dict(service="casework", kind="event", method="on_registry_event", outcome="ok")
        casework = wait_until(
            lambda: (
                (s := scrape(ports["casework"]))
                and value(s, "childcare_consumer_position", **feed) == published
                # each pushed event's handler, timed once it is done
                and value(s, "childcare_entrypoint_seconds_count", **handled) >= 2
                and s
            ),
            message="casework caught up with the registry",
        )
        assert value(casework, "childcare_consumer_source_head", **feed) == published
        assert value(casework, "childcare_consumer_lag_events", **feed) == 0
        assert value(casework, "childcare_consumer_lag_seconds", **feed) == 0
        assert value(casework, "childcare_parked_events", service="casework", feed="registry") == 0

        gateway = scrape(ports["gateway"])
        route = dict(method="POST", route="/children")
        assert value(gateway, "childcare_http_request_seconds_count", **route, status="2xx") == 2
        assert value(gateway, "childcare_http_request_seconds_count", **route, status="4xx") == 1
        # A path label is the route's template, never a record's id.
        assert not [k for k in gateway if k[0].startswith("childcare_http") and child["name"] in str(k)]
    finally:
        system.stop_all()
