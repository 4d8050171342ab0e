"""METRICS_PORT: off by default, a port number or refused, and a port another
process holds is one clear sentence, not a silent share."""

import socket

import pytest

from shared.config import ConfigError, metrics_address
from shared.launcher import own_metrics_port
from shared.metrics import MetricsServer


def test_no_metrics_unless_a_port_is_given(monkeypatch):
    monkeypatch.delenv("METRICS_PORT", raising=False)
    assert metrics_address() is None
    assert MetricsServer().start(store=None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("port", ["http", "0", "70000", "-1"])
def test_a_port_that_is_no_port_is_refused(monkeypatch, port):
    monkeypatch.setenv("METRICS_PORT", port)
    with pytest.raises(ConfigError, match="METRICS_PORT"):
        metrics_address()


def test_a_port_in_use_is_refused_in_one_sentence(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("METRICS_HOST", "127.0.0.1")
        monkeypatch.setenv("METRICS_PORT", str(taken.getsockname()[1]))
        with pytest.raises(ConfigError, match="cannot be served .* its own port"):
            MetricsServer().start(store=None)  # type: ignore[arg-type]


def test_a_second_process_on_the_same_port_is_refused_not_sharing_it(monkeypatch):
    # eventlet listens with SO_REUSEPORT unless told not to: two servers would share the port silently.
    import eventlet

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    first = eventlet.listen(("127.0.0.1", port))  # as another metrics server would, reuse_port and all
    try:
        monkeypatch.setenv("METRICS_HOST", "127.0.0.1")
        monkeypatch.setenv("METRICS_PORT", str(port))
        with pytest.raises(ConfigError, match="METRICS_PORT"):
            MetricsServer().start(store=None)  # type: ignore[arg-type]
    finally:
        first.close()


def test_the_processes_of_one_run_get_a_port_each():
    env = {"METRICS_PORT": "9100", "OTHER": "x"}
    assert [own_metrics_port(env, i)["METRICS_PORT"] for i in range(5)] == ["9100", "9101", "9102", "9103", "9104"]
    assert own_metrics_port({"OTHER": "x"}, 3) == {"OTHER": "x"}
