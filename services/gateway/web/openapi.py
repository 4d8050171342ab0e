"""OpenAPI 3 document built from the route table and the handlers' schemas."""
from __future__ import annotations

import functools
import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import INCLUDE, Schema, fields

from services.gateway.policy import access_for
from services.gateway.web.idempotency import KEY_PATTERN
from services.gateway.web.routes import FORM, ROUTES
from services.gateway.web.session import COOKIE as SESSION_COOKIE

ERROR_DESCRIPTIONS = {
    400: "invalid input", 401: "no valid bearer token", 403: "your role or scope does not allow it",
    404: "not found (or not within your scope)", 429: "too many failed sign-ins; see Retry-After", 409: "conflict", 413: "body too large",
    415: "body is not JSON", 422: "a rule refused the request",
    503: "a service is unavailable", 504: "a service did not answer in time",
}


class ErrorSchema(Schema):
    """Some errors add context, e.g. the id of the record a request conflicts with."""

    class Meta:
        unknown = INCLUDE

    error = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", required=True, metadata={"description": "field → reasons"})


@functools.lru_cache(maxsize=1)
def build_spec() -> dict[str, Any]:
    """Built once per process: the route table is fixed once the gateway is loaded."""
    spec = APISpec(
        title="Shapotou child-care services programme",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
    )
    spec.components.schema("Error", schema=ErrorSchema)
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "from POST /auth/token",
    })
    spec.components.security_scheme("browserSession", {
        "type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
        "description": "from POST /auth/session; unsafe methods also need the X-CSRF-Token header",
    })
    paths: dict[str, dict[str, Any]] = {}
    for r in ROUTES:
        paths.setdefault(r.path, {})[r.method.lower()] = _operation(r)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _operation(r) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": r.operation_id, "summary": r.summary, "tags": [r.tag], "responses": {},
    }
    access = access_for(r.method, r.path)
    public = access is not None and access.public
    operation["security"] = [] if public else [{"bearerAuth": []}, {"browserSession": []}]
    if not public:
        operation["x-roles"] = sorted(access.roles) if access else []
        operation["description"] = "Roles: " + (", ".join(
            f"{role} ({'within their scope' if rule else 'all'})" for role, rule in sorted(access.roles.items()))
            if access else "none (no access policy)")
    params = [
        {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{(\w+)\}", r.path)
    ]
    if r.query is not None:
        params.append({"in": "query", "schema": r.query})
    if r.method == "POST" and r.idempotent:  # uploads too (services/gateway/web/idempotency.py)
        params.append({
            "in": "header", "name": "Idempotency-Key", "required": False,
            "description": "retrying with the same key and body replays the first answer",
            "schema": {"type": "string", "pattern": KEY_PATTERN},
        })
    if params:
        operation["parameters"] = params
    if r.request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": r.request}},
        }
    if r.upload:
        binary = {"type": "string", "format": "binary"}
        operation["requestBody"] = {
            "required": True,
            "content": {
                t: {"schema": {"type": "object", "properties": {"file": binary}} if t == FORM else binary}
                for t in r.upload
            },
        }
    ok: dict[str, Any] = {"description": "created" if r.status == 201 else "success"}
    if r.response is not None:
        ok["content"] = {"application/json": {"schema": r.response}}
    if r.media_type is not None or r.media_types:
        types = (r.media_type,) if r.media_type is not None else r.media_types
        ok["content"] = {t: {"schema": {"type": "string", "format": "binary"}} for t in types}
    if r.location is not None:
        ok["headers"] = {"Location": {
            "description": f"where the new record can be read: {r.location}", "schema": {"type": "string"},
        }}
    operation["responses"][str(r.status)] = ok
    statuses = set(r.errors) | ({400, 413, 415} if r.request is not None or r.upload else set())
    if r.method == "POST":
        statuses |= {400, 409, 422}
    if not public:
        statuses |= {401, 403, 404}
    for status in sorted(statuses):
        operation["responses"][str(status)] = {
            "description": ERROR_DESCRIPTIONS.get(status, "error"),
            "content": {"application/json": {"schema": "Error"}},
        }
    return operation
