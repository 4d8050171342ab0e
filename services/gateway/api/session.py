"""Browser sign-in (web/session.py): a session cookie instead of a token the
page would have to keep, the CSRF token that goes with it, and sign-out.
Bearer tokens (POST /auth/token) stay for every other client."""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.gateway import schemas as s
from services.gateway.api.accounts import user_view
from services.gateway.api.signin import signed_in
from services.gateway.web import session
from services.gateway.web.routes import route
from services.gateway.web.worker import json_response

TAG = "auth"


class SessionRoutes:
    @route(
        "POST",
        "/auth/session",
        idempotent_post=False,
        tag=TAG,
        summary="Sign in from a browser: an HttpOnly session cookie and its CSRF token",
        request=s.TokenRequest,
        response=s.SessionSchema,
        errors=(400, 401, 403, 429),
    )
    def open_session(self, request):
        # No cookie yet to protect, but a page elsewhere must not sign the browser in as someone else.
        session.require_same_origin(request)
        user, token = signed_in(self, request)
        body = {
            **user_view(user),
            "csrf_token": session.csrf_token(self.auth.token_secret, token),
            "expires_in": self.auth.token_ttl_seconds,
        }
        return session.keep(json_response(body), token, self.auth.token_ttl_seconds, self._secure(request))

    @route(
        "GET",
        "/auth/session",
        tag=TAG,
        summary="The signed-in user and the session's CSRF token",
        response=s.SessionSchema,
    )
    def current_session(self, request):
        token = request.cookies.get(session.COOKIE) if "Authorization" not in request.headers else None
        body = {
            **user_view(self.store.user_named(self.caller.username)),
            "csrf_token": session.csrf_token(self.auth.token_secret, token) if token else None,
        }
        response = json_response(body)
        response.headers["Cache-Control"] = "no-store"
        return response

    @route(
        "DELETE",
        "/auth/session",
        tag=TAG,
        summary="Sign out: the browser forgets the session cookie",
        status=204,
        errors=(403,),
    )
    def close_session(self, request):
        session.require_same_origin(request)
        return session.forget(Response(status=204), self._secure(request))

    def _secure(self, request) -> bool:
        return self.auth.production or session.is_https(request)
