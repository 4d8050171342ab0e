"""Idempotency-Key on POST: a retried request (same key, same body) gets the
first answer back and changes nothing; the same key with another body is 422.

The key (with the caller) names the command the request carries to the
services (shared/commands.py), so every attempt under one key is one command.
An answer (2xx or 4xx) is replayed from here. After a timeout or a fault
(504/5xx) the first attempt may still take effect upstream, so the retry is
sent again as the same command: the owning service runs it at most once and
answers with its recorded outcome (the same new id, or the same refusal)."""
from __future__ import annotations

import hashlib
import re
from functools import wraps
from typing import Callable

from werkzeug.wrappers import Response

from services.gateway.domain import ABANDONED, COMPLETED, UNCERTAIN, IdempotentRequest
from services.gateway.web import uploads
from services.gateway.web.http_errors import GatewayError, response_for
from services.gateway.web.inputs import raw_body
from services.gateway.web.json_text import CONTENT_TYPE

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"
_KEY = re.compile(KEY_PATTERN)


class InvalidIdempotencyKey(GatewayError):
    code = "INVALID_HEADER"


def command_id_for(caller: str, key: str) -> str:
    """The command id every attempt under this caller's key carries."""
    return str(IdempotentRequest.create_id(caller, key))


def outcome_of(status: int) -> str:
    if status < 500:
        return COMPLETED
    return ABANDONED if status == 503 else UNCERTAIN


def replay(first: dict) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if first.get("location"):
        headers["Location"] = first["location"]
    return Response(first["body"], status=first["status"], content_type=CONTENT_TYPE, headers=headers)


def idempotent(handler: Callable) -> Callable:
    @wraps(handler)
    def run(self, request, **path_values):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(self, request, **path_values)
        if not _KEY.match(key):
            raise InvalidIdempotencyKey(
                f"{HEADER} must be 1-200 visible ASCII characters", {HEADER: ["invalid format"]})
        caller = self.caller_id()
        self.issue_command(command_id_for(caller, key))
        # An attachment's bytes may be larger than any JSON body (web/uploads.py).
        limit = uploads.max_bytes() if uploads.is_attachment(request.environ) else self.settings.max_body_bytes
        body = raw_body(request, limit)
        fingerprint = hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()
        first = self.store.begin(caller, key, fingerprint, request.method, request.path)
        if first is not None:
            return replay(first)
        try:
            response = handler(self, request, **path_values)
        except Exception as error:  # noqa: BLE001 - the answer is recorded whatever it is
            response = response_for(error)
        outcome = outcome_of(response.status_code)
        self.store.finish(
            caller, key, outcome, status=response.status_code, body=response.get_data(as_text=True),
            location=response.headers.get("Location"), reason=f"first attempt answered {response.status_code}",
        )
        return response

    return run
