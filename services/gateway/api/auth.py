"""Sign-in and accounts (DESIGN.md §5, auth row): tokens for users whose
passwords check out, and the bureau administrator's account management."""
from __future__ import annotations

import math
from datetime import datetime, timezone

from services.gateway import schemas as s
from services.gateway import tokens
from services.gateway.exceptions import LockedOut, SignInRefused
from services.gateway.base import json_response
from services.gateway.errors import TooManyAttempts, Unauthenticated
from services.gateway.requests import loaded_body, query
from services.gateway.routes import route

TAG = "auth"


def user_view(user) -> dict:
    return s.UserSchema().dump({
        "user_id": user.id, "username": user.username, "display_name": user.display_name,
        "role": user.role, "scope": user.scope, "active": user.active,
    })


class AuthRoutes:
    def _body(self, request, schema) -> dict:
        return loaded_body(request, schema, self.settings.max_body_bytes)

    @route("POST", "/auth/token", idempotent_post=False, tag=TAG,
           summary="Sign in: a bearer token for a username and password (repeated failures lock the name out)",
           request=s.TokenRequest, response=s.TokenSchema, errors=(400, 401, 429))
    def issue_token(self, request):
        body = self._body(request, s.TokenRequest())
        now = datetime.now(timezone.utc)
        try:
            user = self.store.sign_in(
                body["username"], body["password"], request.remote_addr or "", now,
                self.auth.failed_logins_before_lockout, self.auth.lockout_seconds, self.auth.lockout_max_seconds)
        except LockedOut as locked:
            wait = max(1, math.ceil((locked.until - now).total_seconds()))
            raise TooManyAttempts(f"too many failed sign-ins for this name; try again in {wait} s", wait) from None
        except SignInRefused:
            raise Unauthenticated("wrong username or password") from None
        token = tokens.issue(self.auth.token_secret, self.auth.token_ttl_seconds, str(user.id),
                             user.username, user.credentials_version)
        return json_response({"access_token": token, "token_type": "Bearer",
                              "expires_in": self.auth.token_ttl_seconds, "role": user.role},
                             headers={"Cache-Control": "no-store"})

    @route("GET", "/auth/me", tag=TAG, summary="The signed-in user: role and scope", response=s.UserSchema)
    def who_am_i(self, request):
        return json_response(user_view(self.store.user_named(self.caller.username)))

    @route("POST", "/users", tag=TAG, summary="Open an account (bureau administrators)",
           request=s.NewUserRequest, response=s.UserSchema, status=201, errors=(409, 422))
    def create_user(self, request):
        body = self._body(request, s.NewUserRequest())
        user = self.store.register_user(body["username"], body["display_name"], body["role"],
                                        body["scope"], body["password"])
        return json_response(user_view(user), 201, {"Location": f"/users/{user.username}"})

    @route("GET", "/users", tag=TAG, summary="Accounts, in the order they were opened",
           query=s.PageQuery, response=s.UserPage, errors=(400,))
    def list_users(self, request):
        params = query(request, s.PageQuery())
        after = int(params["cursor"]) if (params["cursor"] or "").isdigit() else 0
        users, next_cursor = self.store.list_users(after, params["limit"])
        return json_response({"items": [user_view(u) for u in users],
                              "next_cursor": str(next_cursor) if next_cursor else None})

    @route("POST", "/users/{username}/disable", tag=TAG, summary="Disable an account (its tokens stop working)",
           request=s.DisableRequest, response=s.UserSchema, errors=(404, 422))
    def disable_user(self, request, username):
        body = self._body(request, s.DisableRequest())
        return json_response(user_view(self.store.disable_user(username, body["reason"])))

    @route("POST", "/users/{username}/password", tag=TAG,
           summary="Set a new password (the account's older tokens stop working)",
           request=s.PasswordRequest, response=s.UserSchema, errors=(404, 422))
    def reset_password(self, request, username):
        body = self._body(request, s.PasswordRequest())
        return json_response(user_view(self.store.reset_password(username, body["password"])))

    @route("GET", "/audit/access-log", tag="audit",
           summary="Who read which child's file or history, when, through which route",
           query=s.AccessLogQuery, response=s.AccessLogPage, errors=(400,))
    def access_log(self, request):
        params = query(request, s.AccessLogQuery())
        rows, next_cursor = self.store.access_log(
            params["cursor"] or 0, params["limit"],
            str(params["child_id"]) if params["child_id"] else None, params["actor"])
        return json_response(s.AccessLogPage().dump(
            {"items": rows, "next_cursor": str(next_cursor) if next_cursor else None}))
