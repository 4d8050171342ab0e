"""Signing in (DESIGN.md §5, auth row): tokens for users whose passwords check
out, and who the signed-in user is."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from services.gateway import schemas as s
from services.gateway.api.accounts import user_view
from services.gateway.exceptions import LockedOut, SignInRefused
from services.gateway.web import tokens
from services.gateway.web.http_errors import TooManyAttempts, Unauthenticated
from services.gateway.web.routes import route
from services.gateway.web.worker import json_response

TAG = "auth"


class SignInRoutes:
    @route(
        "POST",
        "/auth/token",
        idempotent_post=False,
        tag=TAG,
        summary="Sign in: a bearer token for a username and password (repeated failures lock the name out)",
        request=s.TokenRequest,
        response=s.TokenSchema,
        errors=(400, 401, 429),
    )
    def issue_token(self, request):
        user, token = signed_in(self, request)
        return json_response(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.auth.token_ttl_seconds,
                "role": user.role,
            },
            headers={"Cache-Control": "no-store"},
        )

    @route("GET", "/auth/me", tag=TAG, summary="The signed-in user: role and scope", response=s.UserSchema)
    def who_am_i(self, request):
        return json_response(user_view(self.store.user_named(self.caller.username)))


def signed_in(gw, request):
    """The user whose name and password in the body check out, and a new token
    for them (a bearer token, or a browser session's cookie). Failed sign-ins
    are budgeted per client address before the store is touched."""
    address = request.remote_addr or ""
    wait = gw.failed_sign_ins.wait_for(address)
    if wait:
        raise TooManyAttempts(f"too many failed sign-ins from this address; try again in {wait} s", wait)
    body = gw.loaded_body(request)
    now = datetime.now(UTC)
    try:
        user = gw.store.sign_in(
            body["username"],
            body["password"],
            address,
            now,
            gw.auth.failed_logins_before_lockout,
            gw.auth.lockout_seconds,
            gw.auth.lockout_max_seconds,
        )
    except LockedOut as locked:
        gw.failed_sign_ins.spend(address)
        wait = max(1, math.ceil((locked.until - now).total_seconds()))
        raise TooManyAttempts(f"too many failed sign-ins for this name; try again in {wait} s", wait) from None
    except SignInRefused:
        gw.failed_sign_ins.spend(address)
        raise Unauthenticated("wrong username or password") from None
    token = tokens.issue(
        gw.auth.token_secret, gw.auth.token_ttl_seconds, str(user.id), user.username, user.credentials_version
    )
    return user, token
