"""Log lines: plain text for development (the default), or one JSON object per
line for operators (LOG_FORMAT=json): time, level, service, correlation id,
actor, logger and message, and the traceback as one field.

The correlation id and actor are the unit of work's (shared/context.py): the
gateway takes the id from the request's X-Request-Id (or makes one) and nameko's
call context carries it to every service the request reaches, so one id finds
a request's lines across all the services' logs. Work the system does by itself
(relays, sealers, catch-up) has no correlation id and the actor "system".

config.yml's LOGGING builds its formatter with `make_formatter`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

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


def make_formatter() -> logging.Formatter:
    """LOG_FORMAT: plain (development) or json."""
    return JsonFormatter() if log_format() == "json" else logging.Formatter(PLAIN)
