"""Signing in: the password checked, every attempt counted, names locked out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from services.gateway import passwords
from services.gateway.domain import LoginAttempts, User
from services.gateway.domain.sign_in import LOCKED_OUT
from services.gateway.exceptions import LockedOut, SignInRefused
from services.gateway.use_cases.base import GatewayBase
from shared.errors import ConcurrentChange

T = TypeVar("T")
# Parallel attempts under one name save one at a time; beyond this many
# collisions in a row the name counts as locked out for a second.
MAX_ATTEMPT_RETRIES = 20


class SignInUseCases(GatewayBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Refusals during a lock-out beyond its first, per name, not yet written
        # (see LoginAttempts); kept in this process until the name's next attempt.
        self.unrecorded_refusals: dict[str, int] = {}

    def sign_in(
        self,
        username: str,
        password: str,
        remote_address: str,
        now: datetime,
        free_failures: int,
        lockout_seconds: int,
        lockout_max_seconds: int,
    ) -> User:
        """The user, if the name is not locked out and the password is right.
        Every attempt is recorded; see LoginAttempts for the counting."""

        name = username.lower()
        unrecorded = self.unrecorded_refusals.get(name, 0)

        def count(attempts: LoginAttempts) -> tuple[datetime | None, bool]:
            """When the lock-out ends (None: not locked out), and whether this attempt was stored."""
            until = attempts.locked_until(free_failures, lockout_seconds, lockout_max_seconds)
            if until is not None and until > now:
                if attempts.lock_out_refusal_recorded:
                    return until, False
                attempts.refuse(at=now, remote_address=remote_address, reason=LOCKED_OUT)
                return until, True
            if unrecorded:
                attempts.count_refusals(count=unrecorded)
            attempts.attempt(at=now, remote_address=remote_address)
            return None, True

        locked_until, stored = self._change_attempts(username, count, now)
        if locked_until is not None:
            if not stored:
                self.unrecorded_refusals[name] = self.unrecorded_refusals.get(name, 0) + 1
            raise LockedOut(locked_until)
        if unrecorded:
            left = self.unrecorded_refusals.pop(name, 0) - unrecorded
            if left > 0:  # refused by parallel requests meanwhile
                self.unrecorded_refusals[name] = left
        user = self.find(User, User.create_id(username))
        # verified even for an unknown name, so that costs the same time (see passwords)
        verified = passwords.verify_password(user.password_hash if user else None, password)
        if user is None or not verified or not user.active:
            reason = "wrong password" if user and user.active else "unknown or disabled account"
            self._change_attempts(
                username, lambda a: a.refuse(at=now, remote_address=remote_address, reason=reason), now
            )
            raise SignInRefused()
        self._change_attempts(username, lambda a: a.succeed(at=now, remote_address=remote_address), now)
        return user

    def _change_attempts(self, username: str, change: Callable[[LoginAttempts], T], now: datetime) -> T:
        """Apply `change` to the name's attempts and save, again on a fresh copy
        if a parallel attempt saved first. Under a flood of parallel attempts
        the name counts as locked out for a second."""

        def attempt() -> tuple[T, list[LoginAttempts]]:
            attempts = self.find(LoginAttempts, LoginAttempts.create_id(username)) or LoginAttempts(username)
            return change(attempts), [attempts]

        try:
            return self.retrying(username, attempt, attempts=MAX_ATTEMPT_RETRIES)
        except ConcurrentChange:
            raise LockedOut(now + timedelta(seconds=1)) from None
