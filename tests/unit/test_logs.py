"""LOG_FORMAT=json: one JSON object per line with the unit of work's
correlation id and actor; plain text by default; anything else refused."""

import json
import logging
import sys

import pytest

from shared import logs
from shared.config import ConfigError
from shared.context import CallMeta, acting_as


def record(message: str = "command %s: done", *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("shared.service_base", logging.INFO, __file__, 1, message, args, exc_info)


def test_a_json_line_carries_the_request_s_correlation_id_and_actor(monkeypatch):
    monkeypatch.setattr(logs, "_service", "registry")
    with acting_as(CallMeta(actor_id="u-7", actor_role="director", correlation_id="req-42")):
        line = logs.JsonFormatter().format(record("command %s: done", "register_child"))
    entry = json.loads(line)
    assert entry["service"] == "registry" and entry["level"] == "INFO"
    assert entry["correlation_id"] == "req-42" and entry["actor"] == "u-7"
    assert entry["message"] == "command register_child: done"
    assert entry["time"].endswith("+00:00")


def test_work_of_the_system_has_no_correlation_id():
    entry = json.loads(logs.JsonFormatter().format(record("relay published %d", 3)))
    assert entry["correlation_id"] is None and entry["actor"] == "system"


def test_a_traceback_stays_inside_its_one_line():
    try:
        raise ValueError("儿童 not found\nsecond line")
    except ValueError:
        line = logs.JsonFormatter().format(record("failed", exc_info=sys.exc_info()))
    assert "\n" not in line
    entry = json.loads(line)
    assert "ValueError" in entry["exception"] and "儿童" in entry["exception"]


def test_plain_is_the_default_and_json_is_asked_for(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert not isinstance(logs.make_formatter(), logs.JsonFormatter)
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert isinstance(logs.make_formatter(), logs.JsonFormatter)
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        logs.make_formatter()


class _Service:
    name = "registry"

    def get_child(self): ...

    def register_child(self): ...

    setattr(register_child, logs.COMMAND_MARK, True)


def _expected(method_name: str, error: Exception) -> logging.LogRecord:
    class Entrypoint:
        pass

    class Container:
        service_name = "registry"

    class WorkerCtx:
        service = _Service()
        container = Container()
        entrypoint = Entrypoint()

    WorkerCtx.entrypoint.method_name = method_name
    try:
        raise error
    except Exception:
        exc_info = sys.exc_info()
    return logging.LogRecord(
        "nameko.containers", logging.WARNING, __file__, 1, logs.EXPECTED_ERROR, (WorkerCtx(), error), exc_info
    )


def test_an_expected_exception_is_one_info_line_without_its_traceback_or_its_message():
    line = _expected("get_child", LookupError("child 张三 not found"))
    assert logs.Refusals().filter(line)
    assert line.levelname == "INFO" and line.exc_info is None
    assert line.getMessage() == "refused registry.get_child: LookupError"


def test_a_command_s_refusal_is_its_own_command_line_so_nameko_s_is_dropped():
    assert not logs.Refusals().filter(_expected("register_child", LookupError("x")))


def test_other_lines_pass_as_they_are():
    line = logging.LogRecord(
        "nameko.containers", logging.ERROR, __file__, 1, "error handling worker %s: %s", (1, 2), None
    )
    assert logs.Refusals().filter(line) and line.levelname == "ERROR"
