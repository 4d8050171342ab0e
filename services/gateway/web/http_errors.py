"""How errors become HTTP responses: `{"error": CODE, "message": ..., "fields": {...}}`.
The gateway's own refusals at the edge are GatewayErrors with their status;
service errors (shared.errors kinds) are answered by kind."""
from __future__ import annotations

import logging

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from services.gateway.web.json_text import CONTENT_TYPE, json_text
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation, ServiceError

log = logging.getLogger(__name__)


class GatewayError(Exception):
    status = 400
    code = "BAD_REQUEST"
    headers: dict[str, str] = {}

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Unauthenticated(GatewayError):
    status, code = 401, "UNAUTHENTICATED"
    headers = {"WWW-Authenticate": 'Bearer realm="childcare"'}


class Forbidden(GatewayError):
    status, code = 403, "FORBIDDEN"


class OutOfScope(GatewayError):
    """Answered where the record's very existence is private to the caller."""

    status, code = 404, "NOT_FOUND"


class TooManyAttempts(GatewayError):
    status, code = 429, "TOO_MANY_ATTEMPTS"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class MalformedJson(GatewayError):
    code = "MALFORMED_JSON"


class UnsupportedMediaType(GatewayError):
    status, code = 415, "UNSUPPORTED_MEDIA_TYPE"


class PayloadTooLarge(GatewayError):
    status, code = 413, "PAYLOAD_TOO_LARGE"


class InvalidQuery(GatewayError):
    code = "INVALID_QUERY"


class ServiceUnavailable(GatewayError):
    status, code = 503, "SERVICE_UNAVAILABLE"


class UpstreamTimeout(GatewayError):
    status, code = 504, "UPSTREAM_TIMEOUT"


# Kinds of service error, most specific first.
STATUS_BY_KIND = ((RuleViolation, 422), (InvalidInput, 400), (NotFound, 404), (Conflict, 409))


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> str:
    return json_text({"error": code, "message": message, "fields": fields or {}, **extra})


def json_error(status: int, code: str, message: str, fields: dict | None = None, **extra) -> Response:
    return Response(error_body(code, message, fields, **extra), status=status, content_type=CONTENT_TYPE)


def response_for(exc: BaseException) -> Response:
    if isinstance(exc, GatewayError):
        response = json_error(exc.status, exc.code, exc.message, exc.fields)
        response.headers.update(exc.headers)
        return response
    if isinstance(exc, ServiceError):
        status = next((s for kind, s in STATUS_BY_KIND if isinstance(exc, kind)), 400)
        return json_error(status, exc.code, str(exc), getattr(exc, "fields", None), **exc.details())
    if isinstance(exc, HTTPException):
        return json_error(exc.code or 500, exc.name.upper().replace(" ", "_"), exc.description or exc.name)
    log.error("unexpected error in gateway", exc_info=exc)
    return json_error(500, "UNEXPECTED_ERROR", "an unexpected error occurred; it has been logged")
