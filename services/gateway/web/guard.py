"""The guard every route passes through: who is calling (bearer token or the
browser's session cookie, web/session.py), may
their role use this route, does the record lie within their scope; then the
answer is masked for their role, and reads of a child's file are logged;
an offline submission refused on arrival is recorded (web/offline.py)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from functools import wraps
from typing import Callable

from services.gateway.policy import Access, access_for
from services.gateway.web import offline, session, tokens
from services.gateway.web.caller import Caller
from services.gateway.web.http_errors import Forbidden, Unauthenticated, response_for
from services.gateway.web.json_text import json_text
from shared.masking import mask, mask_id_numbers


def bearer_token(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("sign in first: send `Authorization: Bearer <token>` (see POST /auth/token)")
    return token.strip()


def presented_token(gw, request) -> str:
    """A bearer token (API clients), else the browser's session cookie (CSRF-checked)."""
    if "Authorization" in request.headers or not session.has_cookie(request):
        return bearer_token(request)
    return session.cookie_token(gw.auth.token_secret, request)


def authenticate(gw, request) -> Caller:
    token = presented_token(gw, request)
    try:
        claims = tokens.decode(gw.auth.token_secret, token)
        user = gw.store.signed_in_user(uuid.UUID(claims.user_id))
    except (tokens.InvalidToken, ValueError) as error:
        raise Unauthenticated(str(error)) from None
    if user is None or not user.active or user.credentials_version != claims.credentials_version:
        raise Unauthenticated("the token is no longer valid; sign in again")
    return Caller(str(user.id), user.username, user.role, dict(user.scope))


def redacted(response, caller: Caller, access: Access):
    """The answer without what the route's policy keeps from this caller (successful JSON answers)."""
    if access.redact is None or response.status_code >= 300 or response.mimetype != "application/json":
        return response
    response.set_data(json.dumps(access.redact(caller, json.loads(response.get_data()))))
    return response


def as_seen_by(caller: Caller, data):
    """JSON-shaped data as the caller's role may see it: what every JSON answer
    passes through, and what a register export (api/exports.py) is built from."""
    return mask(data, id_numbers=caller.masks_id_numbers, health=caller.masks_mental_health,
                id_style=caller.id_style)


def masked(response, caller: Caller):
    """The answer as the caller's role may see it. JSON always passes through
    masking: password hashes are hidden from every role, bureau administrators
    included, even when their role hides nothing else."""
    if response.mimetype == "application/json":
        response.set_data(json_text(as_seen_by(caller, json.loads(response.get_data()))))
    elif response.mimetype.startswith("text/") and caller.masks_id_numbers:
        response.set_data(mask_id_numbers(response.get_data(as_text=True), caller.id_style))
    return response


def children_read(access: Access, values: dict, response) -> list[str]:
    """Whose files this answer shows (or was asked for): the access log's entries."""
    child_id = access.child_read(values) if access.child_read else None
    found = [child_id] if child_id is not None else []
    if access.children_in_answer is not None and response.status_code == 200:
        # A register export (a workbook) says which rows it holds as `exported`.
        answer = getattr(response, "exported", None)
        if answer is None and response.mimetype == "application/json":
            answer = json.loads(response.get_data())
        if answer is not None:
            found += [c for c in access.children_in_answer(values, answer) if c not in found]
    return found


def guarded(method: str, path: str, handler: Callable) -> Callable:
    access = access_for(method, path)

    @wraps(handler)
    def run(self, request, **values):
        if access is None:
            raise Forbidden(f"{method} {path} has no access policy, so nobody may call it")
        if access.public:
            self.identify(request)
            return handler(self, request, **values)
        caller = authenticate(self, request)
        self.caller = caller
        self.identify(request)
        captured = None
        try:
            captured = offline.captured_at(request) if method == "POST" else None
            response = _permitted(self, access, caller, request, values, handler, method, path)
        except Exception as error:  # noqa: BLE001 - refusals and errors are masked like answers
            response = response_for(error)
        if captured is not None and offline.is_a_conflict(response):
            offline.record_conflict(self, caller, request, f"{method} {path}", captured, response)
        for child_id in children_read(access, values, response):
            self.store.record_child_read(caller.username, caller.role, child_id, f"{method} {path}",
                                         request.full_path.rstrip("?"), response.status_code,
                                         datetime.now(timezone.utc))
        return masked(redacted(response, caller, access), caller)

    return run


def _permitted(gw, access: Access, caller: Caller, request, values, handler, method, path):
    if caller.role not in access.roles:
        raise Forbidden(f"the {caller.role} role may not {method} {path}")
    scope = access.roles[caller.role]
    if scope is not None:
        scope(gw, caller, request, values)
    return handler(gw, request, **values)
