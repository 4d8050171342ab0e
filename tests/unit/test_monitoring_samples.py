"""The sample Grafana dashboard and Prometheus alerts (deploy/grafana,
deploy/prometheus) use only series that shared/metrics.py exports, with labels
those series have, and the dashboard shows every series the services export:
they cannot drift apart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from shared import metrics

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "childcare.json"
PROMETHEUS = ROOT / "deploy" / "prometheus" / "prometheus.yml"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
# prometheus-client's own process series (ProcessCollector), and Prometheus's target labels.
PROCESS_SERIES = {"process_resident_memory_bytes", "process_cpu_seconds_total"}
TARGET_LABELS = {"job", "instance"}
PROMQL_WORDS = {"by", "on", "group_right", "group_left", "without", "ignoring", "or", "and", "unless", "vector"}


def feed_families() -> list:
    """The store-read gauges: FeedCollector yields each family even when the store cannot be read."""

    def unreadable() -> int:
        raise RuntimeError("no store here")

    store = SimpleNamespace(app=SimpleNamespace(name="registry", head_position=unreadable))
    return list(metrics.FeedCollector(store).collect())  # type: ignore[arg-type]


def exported() -> dict[str, set[str]]:
    """Every series name the services export, with its labels."""
    series: dict[str, set[str]] = {}
    for collector in (metrics.ENTRYPOINT_SECONDS, metrics.COMMANDS, metrics.HTTP_SECONDS):
        labels = set(collector._labelnames)
        name = collector._name
        if isinstance(collector, metrics.Histogram):
            series[f"{name}_bucket"] = labels | {"le"}
            series[f"{name}_count"] = series[f"{name}_sum"] = labels
        else:
            series[f"{name}_total"] = labels
    for family in feed_families():
        series[family.name] = set(family._labelnames)
    for name in PROCESS_SERIES:
        series[name] = set()
    return series


def dashboard_expressions() -> list[str]:
    board = json.loads(DASHBOARD.read_text())
    panels = board["panels"] + [p for row in board["panels"] for p in row.get("panels", [])]
    exprs = [target["expr"] for panel in panels for target in panel.get("targets", [])]
    exprs += [v["definition"] for v in board["templating"]["list"] if v.get("definition")]
    return exprs


def alert_expressions() -> list[str]:
    rules = yaml.safe_load(ALERTS.read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def series_used(expr: str) -> set[str]:
    return set(re.findall(r"\b((?:childcare|process)_[a-z_]+)\b", expr))


def selectors(expr: str) -> list[tuple[str, set[str]]]:
    """(series, label names matched in its braces) for each `series{...}` in an expression."""
    return [
        (name, set(re.findall(r"([a-z_]+)\s*(?:=~|!~|!=|=)", body)))
        for name, body in re.findall(r"\b((?:childcare|process)_[a-z_]+)\{([^}]*)\}", expr)
    ]


def grouping_labels(expr: str) -> set[str]:
    return {label.strip() for group in re.findall(r"\b(?:by|on)\s*\(([^)]*)\)", expr) for label in group.split(",")}


def test_the_registry_is_read_in_full():
    # Guards the helpers above: a family missed here would make the drift test vacuous.
    names = exported()
    assert "childcare_consumer_lag_seconds" in names and "childcare_commands_total" in names
    assert "childcare_entrypoint_seconds_bucket" in names and names["childcare_parked_events"] == {"service", "feed"}


@pytest.mark.parametrize("source", ["dashboard", "alerts"])
def test_every_series_used_is_exported_with_the_labels_used(source):
    exprs = dashboard_expressions() if source == "dashboard" else alert_expressions()
    names = exported()
    assert exprs
    for expr in exprs:
        unknown = series_used(expr) - set(names)
        assert not unknown, f"{source} uses series shared/metrics.py does not export: {unknown} in {expr}"
        for name, labels in selectors(expr):
            assert labels <= names[name] | TARGET_LABELS, f"{name} has no label {labels - names[name]}: {expr}"
        every_label = set().union(*(names[n] for n in series_used(expr))) | TARGET_LABELS | {"le", ""}
        assert grouping_labels(expr) <= every_label, f"grouped by a label no series has: {expr}"


def test_the_dashboard_shows_every_series_the_services_export():
    used = set().union(*(series_used(expr) for expr in dashboard_expressions()))
    # a histogram is shown through its buckets and counts; its sum adds nothing here
    missing = {name for name in exported() if not name.endswith("_sum")} - used
    assert not missing, f"series the dashboard does not show: {sorted(missing)}"


def test_the_dashboard_is_importable_grafana_json():
    board = json.loads(DASHBOARD.read_text())
    assert board["uid"] and board["title"] and board["schemaVersion"] >= 30
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
            assert [t["refId"] for t in panel["targets"]] == [chr(65 + i) for i in range(len(panel["targets"]))]


def test_the_scrape_config_covers_every_service_on_the_metrics_port_compose_sets():
    config = yaml.safe_load(PROMETHEUS.read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    port = int(re.search(r":-(\d+)", compose["x-service-environment"]["METRICS_PORT"]).group(1))
    services = sorted(p.parent.name for p in (ROOT / "services").glob("*/service.py"))
    scraped = {}
    for job in config["scrape_configs"]:
        for sd in job["dns_sd_configs"]:
            assert sd["type"] == "A" and sd["port"] == port  # every replica, on METRICS_PORT
            for name in sd["names"]:
                scraped[name] = job["job_name"]
    assert sorted(scraped) == services
    assert all(
        job.startswith("childcare") for job in scraped.values()
    )  # the dashboard's process panels: job=~"childcare.*"
    assert config["rule_files"] == [ALERTS.name]
