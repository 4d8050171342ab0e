"""The route table: each route's method, path, schemas, status and summary,
declared once and used to register the nameko entrypoint, to read and forward
the request (the worker reads the handled route's schemas) and to build OpenAPI.

A route that creates (201) declares where the new record can be read:
`location="/cases/{id}"`, formatted with the path values and the answer. The
answer names the new record as `id` (shared/answers.py). A 201 route without a
location is refused when the table is built."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import wraps
from typing import Callable

from marshmallow import Schema

from services.gateway.web.guard import guarded
from services.gateway.web.http_errors import GatewayError
from services.gateway.web.idempotency import idempotent
from services.gateway.web.server import http
from shared.errors import ServiceError


FORM = "multipart/form-data"


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI style: /children/{child_id}
    summary: str
    tag: str
    request: type[Schema] | None = None  # the JSON body
    response: type[Schema] | Schema | None = None
    query: type[Schema] | None = None  # the query string
    status: int = 200
    errors: tuple[int, ...] = field(default=())
    location: str | None = None  # a 201's Location: a GET route's path, filled from path values and answer
    operation_id: str | None = None  # OpenAPI operationId: the handler's name unless given
    # What a success answers when not JSON: a register export's workbook (api/exports.py).
    media_type: str | None = None
    # ...or one of several: an attachment's download answers with its own type (api/attachments.py).
    media_types: tuple[str, ...] = ()
    # A body that is a file of one of these types, sent raw, not JSON (a roster, an attachment);
    # with FORM among them, also as a form's field "file" (api/roster_import.py).
    upload: tuple[str, ...] = ()
    # Whether a POST honours Idempotency-Key (route(idempotent_post=...)), as the OpenAPI document says.
    idempotent: bool = True

    def __post_init__(self):
        if self.status == 201 and not self.location:
            raise ValueError(f"{self.method} {self.path} answers 201 but declares no location= for the new record")

    def location_of(self, path_values: dict, answer: dict) -> str | None:
        """The created record's Location: the declared path filled from the path values and the answer."""
        if self.location is None:
            return None
        return self.location.format(**{**path_values, **answer})


ROUTES: list[Route] = []


def werkzeug_path(path: str) -> str:
    return re.sub(r"\{(\w+)\}", r"<\1>", path)


def route(method: str, path: str, idempotent_post: bool = True, **spec) -> Callable:
    """Registers a route: the access policy (services/gateway/policy.py) guards
    it, and a POST honours Idempotency-Key unless `idempotent_post` is False.
    The handler finds its route (schemas, status) as `self.route`."""
    def decorate(handler: Callable) -> Callable:
        spec.setdefault("operation_id", handler.__name__)
        declared = Route(method=method, path=path, idempotent=idempotent_post, **spec)
        ROUTES.append(declared)

        @wraps(handler)
        def handle(self, request, **values):
            self.route = declared
            self.path_values = values
            return handler(self, request, **values)

        run = idempotent(handle) if method == "POST" and idempotent_post else handle
        # Bad requests are expected: nameko logs them as warnings, not errors.
        return http(method, werkzeug_path(path), expected_exceptions=(GatewayError, ServiceError))(
            guarded(method, path, run))

    return decorate
