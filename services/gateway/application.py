"""The gateway's own use cases: accounts and sign-in, the record of who read
which child's file, and replaying retried POSTs (Idempotency-Key)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from services.gateway import passwords
from services.gateway.domain import (
    ABANDONED, COMPLETED, STARTED, UNCERTAIN, ChildFileRead, IdempotentRequest, InvalidAccount,
    LoginAttempts, User, check_role_and_scope,
)
from services.gateway.exceptions import (
    AccountExists, AccountNotFound, IdempotencyKeyReused, IdempotentOutcomeUnknown,
    IdempotentRequestInProgress, InvalidAccountDetails,
)
from shared.eventstore import ServiceApplication

USER_REGISTERED = get_topic(User.Registered)
CHILD_FILE_READ = get_topic(ChildFileRead.Recorded)
MAX_ATTEMPT_RETRIES = 20


class SignInRefused(Exception):
    """Wrong username or password (deliberately not saying which)."""


class LockedOut(Exception):
    def __init__(self, until: datetime):
        super().__init__(until)
        self.until = until


class GatewayApplication(ServiceApplication):
    name = "gateway"
    # Every sign-in adds events to its name's LoginAttempts (and a busy account
    # lives for years): snapshots keep reading one cheap whatever its history.
    snapshotting_intervals = {LoginAttempts: 50, User: 50}

    # -- accounts -------------------------------------------------------------------

    def register_user(self, username: str, display_name: str, role: str, scope: dict, password: str) -> User:
        problems = passwords.password_problems(password)
        if problems:
            raise InvalidAccountDetails({"password": problems})
        try:
            check_role_and_scope(role, scope)
        except InvalidAccount as error:
            raise InvalidAccountDetails(error.fields) from None
        user = User.register(username, display_name, role, scope, passwords.hash_password(password))
        try:
            self.save(user)
        except IntegrityError:
            raise AccountExists(username) from None
        return user

    def user(self, user_id: UUID) -> User | None:
        try:
            return self.repository.get(user_id)
        except AggregateNotFoundError:
            return None

    def user_named(self, username: str) -> User:
        user = self.user(User.create_id(username))
        if user is None:
            raise AccountNotFound(username)
        return user

    def list_users(self, after: int, limit: int) -> tuple[list[User], int | None]:
        """Accounts in the order they were opened; the second value is the
        cursor of the next page, if any."""
        found = self.recorder.select_notifications(
            after + 1, limit + 1, topics=[USER_REGISTERED])
        more = len(found) > limit
        found = found[:limit]
        users = [self.repository.get(n.originator_id) for n in found]
        return users, (found[-1].id if more and found else None)

    def disable_user(self, username: str, reason: str) -> User:
        user = self.user_named(username)
        if user.active:
            user.disable(reason)
            self.save(user)
        return user

    def reset_password(self, username: str, password: str) -> User:
        problems = passwords.password_problems(password)
        if problems:
            raise InvalidAccountDetails({"password": problems})
        user = self.user_named(username)
        user.change_password(passwords.hash_password(password))
        self.save(user)
        return user

    # -- signing in -----------------------------------------------------------------

    def sign_in(self, username: str, password: str, remote_address: str, now: datetime,
                free_failures: int, lockout_seconds: int, lockout_max_seconds: int) -> User:
        """The user, if the name is not locked out and the password is right.
        Every attempt is recorded; see LoginAttempts for the counting."""
        def count(attempts: LoginAttempts) -> datetime | None:
            until = attempts.locked_until(free_failures, lockout_seconds, lockout_max_seconds)
            if until is not None and until > now:
                attempts.refuse(at=now, remote_address=remote_address, reason="locked out")
                return until
            attempts.attempt(at=now, remote_address=remote_address)
            return None

        locked_until = self._change_attempts(username, count, now)
        if locked_until is not None:
            raise LockedOut(locked_until)
        user = self.user(User.create_id(username))
        if not passwords.verify_password(user.password_hash if user else None, password) or not user.active:
            reason = "wrong password" if user and user.active else "unknown or disabled account"
            self._change_attempts(username, lambda a: a.refuse(
                at=now, remote_address=remote_address, reason=reason), now)
            raise SignInRefused()
        self._change_attempts(username, lambda a: a.succeed(at=now, remote_address=remote_address), now)
        return user

    def _change_attempts(self, username: str, change, now: datetime):
        """Apply `change` to the name's attempts and save, again on a fresh copy
        if a parallel attempt saved first. Under a flood of parallel attempts
        the name counts as locked out for a second."""
        for _ in range(MAX_ATTEMPT_RETRIES):
            try:
                attempts = self.repository.get(LoginAttempts.create_id(username))
            except AggregateNotFoundError:
                attempts = LoginAttempts(username)
            result = change(attempts)
            try:
                self.save(attempts)
            except IntegrityError:
                continue
            return result
        raise LockedOut(now + timedelta(seconds=1))

    # -- who read which child's file -------------------------------------------------

    def record_child_read(self, actor: str, role: str, child_id: str, route: str, path: str,
                          status: int, at: datetime) -> None:
        self.save(ChildFileRead(actor, role, child_id, route, path, status, at))

    def access_log(self, after: int, limit: int, child_id: str | None = None,
                   actor: str | None = None) -> tuple[list[dict[str, Any]], int | None]:
        """Reads in the order they happened, optionally for one child or one
        actor; the second value is the cursor of the next page, if any."""
        rows: list[dict[str, Any]] = []
        position = after
        batch = max(limit * 4, 100)
        while len(rows) <= limit:
            found = self.recorder.select_notifications(position + 1, batch, topics=[CHILD_FILE_READ])
            for notification in found:
                read = self.mapper.to_domain_event(notification)
                position = notification.id
                if (child_id and read.child_id != child_id) or (actor and read.actor != actor):
                    continue
                rows.append({"position": notification.id, "actor": read.actor, "role": read.role,
                             "child_id": read.child_id, "route": read.route, "path": read.path,
                             "status": read.status, "at": read.at})
                if len(rows) > limit:
                    break
            if len(found) < batch:
                break
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, (rows[-1]["position"] if more and rows else None)

    # -- Idempotency-Key --------------------------------------------------------------

    def begin(self, caller: str, key: str, fingerprint: str, method: str, path: str) -> dict[str, Any] | None:
        """None: go ahead and run the request. A dict: the first answer, to replay."""
        request_id = IdempotentRequest.create_id(caller, key)
        try:
            record: IdempotentRequest = self.repository.get(request_id)
        except AggregateNotFoundError:
            return self._save_or_in_progress(IdempotentRequest(caller, key, fingerprint, method, path))
        if record.fingerprint != fingerprint:
            raise IdempotencyKeyReused({"Idempotency-Key": [
                f"already used for a different request ({record.method} {record.path} with another body)"]})
        if record.state == COMPLETED:
            return record.response
        if record.state == UNCERTAIN:
            raise IdempotentOutcomeUnknown()
        if record.state == STARTED:
            raise IdempotentRequestInProgress()
        record.restart()  # ABANDONED: the first attempt had no effect
        return self._save_or_in_progress(record)

    def _save_or_in_progress(self, record: IdempotentRequest) -> None:
        try:
            self.save(record)
        except IntegrityError:  # a concurrent retry got there first
            raise IdempotentRequestInProgress() from None
        return None

    def finish(self, caller: str, key: str, outcome: str, status: int = 0, body: str = "",
               location: str | None = None, reason: str = "") -> None:
        record: IdempotentRequest = self.repository.get(IdempotentRequest.create_id(caller, key))
        if outcome == COMPLETED:
            record.complete(status, body, location)
        elif outcome == UNCERTAIN:
            record.mark_uncertain(reason)
        else:
            record.abandon(reason)
        self.save(record)


__all__ = ["GatewayApplication", "ABANDONED", "COMPLETED", "UNCERTAIN"]
