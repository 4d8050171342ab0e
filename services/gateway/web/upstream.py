"""Bounded calls to the services: nameko's in-service RPC proxy waits forever,
so every call here has a deadline and maps failures to 503/504."""
from __future__ import annotations

from typing import Any, Callable

import eventlet
from nameko.exceptions import UnknownService

from services.gateway.web.http_errors import ServiceUnavailable, UpstreamTimeout


def bounded(call: Callable[[], Any], timeout: float, service: str) -> Any:
    try:
        with eventlet.Timeout(timeout):
            return call()
    except eventlet.Timeout:
        raise UpstreamTimeout(f"{service} did not answer within {timeout:g} s") from None
    except UnknownService:
        raise ServiceUnavailable(f"{service} is not running") from None
