"""Which gateway routes run in the read pool (services/gateway/web/read_pool.py),
and its size setting."""

import pytest

import services.gateway.service  # noqa: F401 - registers every route in ROUTES
from services.gateway.web.read_pool import is_read
from services.gateway.web.routes import ROUTES
from shared.config import ConfigError, load_settings


@pytest.mark.parametrize("method", ["GET", "HEAD", "GET,HEAD", "get"])
def test_reads_take_the_read_pool(method):
    assert is_read(method)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "GET,POST"])
def test_anything_that_may_write_takes_the_command_pool(method):
    assert not is_read(method)


def test_every_get_route_and_no_other_is_a_read():
    assert {r.method for r in ROUTES if is_read(r.method)} == {"GET"}
    assert any(r.method == "POST" for r in ROUTES) and not any(is_read(r.method) for r in ROUTES if r.method != "GET")


def test_read_workers_default_and_setting(monkeypatch):
    monkeypatch.delenv("READ_WORKERS", raising=False)
    assert load_settings().read_workers == 10
    monkeypatch.setenv("READ_WORKERS", "25")
    assert load_settings().read_workers == 25


@pytest.mark.parametrize("value", ["0", "-3", "ten"])
def test_a_read_pool_that_could_not_run_is_refused(monkeypatch, value):
    monkeypatch.setenv("READ_WORKERS", value)
    with pytest.raises(ConfigError, match="READ_WORKERS"):
        load_settings()
