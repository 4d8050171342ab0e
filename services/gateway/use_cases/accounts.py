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
# Accounts kept for signed-in callers; far more than a district has, so the
# bound only stops a flood of valid tokens for unknown ids from growing it.
MAX_CACHED_ACCOUNTS = 10_000


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

    def signed_in_user(self, user_id: UUID) -> User | None:
        """The account a token names, as of its latest event, for checking a
        caller on every request. Rebuilding an account from its events (and
        checking their MACs) on each request costs more than the request, so
        the account is kept by (id, version of its latest event), and each
        request first asks the store for that version: one indexed row. Any
        event of the account (disabled, new password, new role or scope),
        written by any gateway process or by the admin CLI, changes the
        version, so the next request reads the account afresh and a disabled
        user or an old password is refused at once."""
        latest = self.recorder.select_events(user_id, desc=True, limit=1)
        if not latest:
            return None
        version = latest[0].originator_version
        cached = self._signed_in.get(user_id)
        if cached is not None and cached.version == version:
            return cached
        user = self.user(user_id)
        if user is None or user.version != version:
            return user  # changed again meanwhile: answer it, keep nothing
        if len(self._signed_in) >= MAX_CACHED_ACCOUNTS:
            self._signed_in.clear()
        self._signed_in[user_id] = user
        return user

    @property
    def _signed_in(self) -> dict[UUID, User]:
        try:
            return self.__dict__["_signed_in_accounts"]  # type: ignore[no-any-return]
        except KeyError:
            return self.__dict__.setdefault("_signed_in_accounts", {})  # type: ignore[no-any-return]

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
