"""Accounts (DESIGN.md §5, auth row): the bureau administrator opens, lists and
disables them and sets new passwords."""

from __future__ import annotations

from services.gateway import schemas as s
from services.gateway.web.routes import route
from services.gateway.web.worker import json_response

TAG = "auth"


def user_view(user, schema: type[s.UserSchema] = s.UserSchema) -> dict:
    return schema().dump(
        {
            "user_id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "scope": user.scope,
            "active": user.active,
        }
    )


class AccountRoutes:
    @route(
        "POST",
        "/users",
        tag=TAG,
        summary="Open an account (bureau administrators)",
        request=s.NewUserRequest,
        response=s.CreatedUser,
        status=201,
        location="/users/{username}",
        errors=(409, 422),
    )
    def create_user(self, request):
        body = self.loaded_body(request)
        user = self.store.register_user(
            body["username"], body["display_name"], body["role"], body["scope"], body["password"]
        )
        return self.reply(user_view(user, s.CreatedUser))

    @route("GET", "/users/{username}", tag=TAG, summary="An account", response=s.UserSchema, errors=(404,))
    def get_user(self, request, username):
        return json_response(user_view(self.store.user_named(username)))

    @route(
        "GET",
        "/users",
        tag=TAG,
        summary="Accounts, in the order they were opened",
        query=s.UserQuery,
        response=s.UserPage,
        errors=(400,),
    )
    def list_users(self, request):
        params = self.loaded_query(request)
        after = int(params["cursor"] or 0)
        users, next_cursor = self.store.list_users(after, params["limit"])
        return json_response(
            {"items": [user_view(u) for u in users], "next_cursor": str(next_cursor) if next_cursor else None}
        )

    @route(
        "POST",
        "/users/{username}/disable",
        tag=TAG,
        summary="Disable an account (its tokens stop working)",
        request=s.DisableRequest,
        response=s.UserSchema,
        errors=(404, 422),
    )
    def disable_user(self, request, username):
        body = self.loaded_body(request)
        return json_response(user_view(self.store.disable_user(username, body["reason"])))

    @route(
        "POST",
        "/users/{username}/password",
        tag=TAG,
        summary="Set a new password (the account's older tokens stop working)",
        request=s.PasswordRequest,
        response=s.UserSchema,
        errors=(404, 422),
    )
    def reset_password(self, request, username):
        body = self.loaded_body(request)
        return json_response(user_view(self.store.reset_password(username, body["password"])))
