"""The route table: each route's method, path, schemas and summary, declared
once and used both to register the nameko entrypoint and to build OpenAPI."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from marshmallow import Schema

from services.gateway.auth import guarded
from services.gateway.errors import GatewayError
from shared.errors import ServiceError
from services.gateway.http import http
from services.gateway.idempotency import idempotent


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI style: /children/{child_id}
    summary: str
    tag: str
    request: type[Schema] | None = None
    response: type[Schema] | None = None
    query: type[Schema] | None = None
    status: int = 200
    errors: tuple[int, ...] = field(default=())


ROUTES: list[Route] = []


def werkzeug_path(path: str) -> str:
    return re.sub(r"\{(\w+)\}", r"<\1>", path)


def route(method: str, path: str, idempotent_post: bool = True, **spec) -> Callable:
    """Registers a route: the access policy (services/gateway/policy.py) guards
    it, and a POST honours Idempotency-Key unless `idempotent_post` is False."""
    def decorate(handler: Callable) -> Callable:
        ROUTES.append(Route(method=method, path=path, **spec))
        if method == "POST" and idempotent_post:
            handler = idempotent(handler)
        handler = guarded(method, path, handler)
        # Bad requests are expected: nameko logs them as warnings, not errors.
        return http(method, werkzeug_path(path), expected_exceptions=(GatewayError, ServiceError))(handler)

    return decorate
