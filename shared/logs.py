"""Log lines: plain text for development (the default), or one JSON object per
line for operators (LOG_FORMAT=json): time, level, service, correlation id,
actor, logger and message, and the traceback as one field.

The correlation id and actor are the unit of work's (shared/context.py): the
gateway takes the id from the request's X-Request-Id (or makes one) and nameko's
call context carries it to every service the request reaches, so one id finds
a request's lines across all the services' logs. Work the system does by itself
(relays, sealers, catch-up) has no correlation id and the actor "system".

A refusal (a request the caller got wrong, or a rule said no to: an error the
entrypoint declares expected) is one INFO line without a traceback, which
`Refusals` makes of nameko's "(expected) error" warning; an unexpected error
stays an ERROR with its traceback.

config.yml's LOGGING builds its formatter with `make_formatter` and puts
`Refusals` on nameko's container logger.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from nameko.web.handlers import HttpRequestHandler

from shared.config import log_format
from shared.context import current_meta

PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_service = ""


def set_service(name: str) -> None:
    """The service this process runs (its ServiceStore names it at setup)."""
    global _service
    _service = name


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        meta = current_meta()
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": _service or None,
            "correlation_id": meta.correlation_id or None,
            "actor": meta.actor_id,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


# What nameko's container logs when an entrypoint raises one of its expected exceptions.
EXPECTED_ERROR = "(expected) error handling worker %s: %s"


class Refusals(logging.Filter):
    """Turns nameko's warning-with-traceback for an expected exception into
    one INFO line: `refused <service>.<method>: <ErrorClass>`. Only the class:
    the message may quote what the caller sent (a child's name, an id number),
    and the caller has it in the answer. A command's refusal is already its
    `command <name>: <ErrorClass>` line (shared/service_base.py), and an HTTP
    request's is its access line (the status says it), so those are dropped
    rather than said twice."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != EXPECTED_ERROR or not isinstance(record.args, tuple) or len(record.args) != 2:
            return True
        worker_ctx, error = record.args
        entrypoint = getattr(worker_ctx, "entrypoint", None)
        method_name = getattr(entrypoint, "method_name", "?")
        method = getattr(type(getattr(worker_ctx, "service", None)), method_name, None)
        if getattr(method, COMMAND_MARK, False) or isinstance(entrypoint, HttpRequestHandler):
            return False
        service = getattr(getattr(worker_ctx, "container", None), "service_name", "?")
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.msg, record.args = "refused %s.%s: %s", (service, method_name, type(error).__name__)
        record.exc_info, record.exc_text = None, None
        return True


# Marks a `@service_base.command` method (shared/service_base.py uses this name).
COMMAND_MARK = "runs_once_per_command_id"


def make_formatter() -> logging.Formatter:
    """LOG_FORMAT: plain (development) or json."""
    return JsonFormatter() if log_format() == "json" else logging.Formatter(PLAIN)
