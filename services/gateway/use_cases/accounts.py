"""Accounts: opening, finding, listing, disabling, and setting a new password."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from services.gateway import passwords
from services.gateway.domain import InvalidAccountDetails, User, check_role_and_scope
from services.gateway.exceptions import AccountExists, AccountNotFound
from services.gateway.use_cases.base import GatewayBase, stored_topics
from shared.errors import ConcurrentChange

USER_REGISTERED = stored_topics(User.Registered)  # type: ignore[attr-defined]  # made by @event


def acceptable(password: str) -> str:
    problems = passwords.password_problems(password)
    if problems:
        raise InvalidAccountDetails({"password": problems})
    return password


class AccountUseCases(GatewayBase):
    def register_user(self, username: str, display_name: str, role: str, scope: dict[str, Any], password: str) -> User:
        acceptable(password)
        check_role_and_scope(role, scope)  # before the costly hash
        user = User.register(username, display_name, role, scope, passwords.hash_password(password))
        try:
            self.save_or_conflict(user)
        except ConcurrentChange:
            raise AccountExists(username) from None
        return user

    def user(self, user_id: UUID) -> User | None:
        return self.find(User, user_id)

    def user_named(self, username: str) -> User:
        user = self.user(User.create_id(username))
        if user is None:
            raise AccountNotFound(username)
        return user

    def list_users(self, after: int, limit: int) -> tuple[list[User], int | None]:
        """Accounts in the order they were opened; the second value is the
        cursor of the next page, if any."""
        found = self.recorder.select_notifications(after + 1, limit + 1, topics=USER_REGISTERED)
        more = len(found) > limit
        found = found[:limit]
        # the recorder is typed for str ids too; this application's are UUIDs
        users: list[User] = [self.repository.get(cast(UUID, n.originator_id)) for n in found]
        return users, (found[-1].id if more and found else None)

    def disable_user(self, username: str, reason: str) -> User:
        user = self.user_named(username)
        if user.active:
            user.disable(reason)
            self.save(user)
        return user

    def reset_password(self, username: str, password: str) -> User:
        acceptable(password)
        user = self.user_named(username)
        user.change_password(passwords.hash_password(password))
        self.save(user)
        return user
