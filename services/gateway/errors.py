"""How errors become HTTP responses: `{"error": CODE, "message": ..., "fields": {...}}`."""
from __future__ import annotations

import json
import logging

from nameko.exceptions import deserialize_to_instance
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from services.casework.exceptions import RosterChildNotFound
from services.registry.exceptions import ChildNotFound, DuplicateIdNumber, InvalidChild
from shared.errors import InvalidInput

log = logging.getLogger(__name__)


class GatewayError(Exception):
    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


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


# Remote errors we expect, most specific first: (class, status, code, fields attr).
REMOTE_ERRORS = (
    (InvalidChild, 422, "RULE_VIOLATION"),
    (InvalidInput, 400, "VALIDATION_ERROR"),
    (DuplicateIdNumber, 409, "DUPLICATE_ID_NUMBER"),
    (ChildNotFound, 404, "NOT_FOUND"),
    (RosterChildNotFound, 404, "NOT_FOUND"),
)

for _cls, *_ in REMOTE_ERRORS:
    # Rebuild these as themselves (not RemoteError) when they cross RPC.
    deserialize_to_instance(_cls)


# Raised for bad requests, not faults: logged without alarm.
EXPECTED = (GatewayError,) + tuple(cls for cls, *_ in REMOTE_ERRORS)


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> str:
    return json.dumps({"error": code, "message": message, "fields": fields or {}, **extra})


def json_error(status: int, code: str, message: str, fields: dict | None = None, **extra) -> Response:
    return Response(
        error_body(code, message, fields, **extra), status=status, mimetype="application/json"
    )


def response_for(exc: BaseException) -> Response:
    if isinstance(exc, GatewayError):
        return json_error(exc.status, exc.code, exc.message, exc.fields)
    for cls, status, code in REMOTE_ERRORS:
        if isinstance(exc, cls):
            extra = {}
            if isinstance(exc, DuplicateIdNumber):
                extra["existing_child_id"] = exc.existing_child_id
            return json_error(status, code, str(exc), getattr(exc, "fields", None), **extra)
    if isinstance(exc, HTTPException):
        return json_error(exc.code or 500, exc.name.upper().replace(" ", "_"), exc.description or exc.name)
    log.error("unexpected error in gateway", exc_info=exc)
    return json_error(500, "UNEXPECTED_ERROR", "an unexpected error occurred; it has been logged")
