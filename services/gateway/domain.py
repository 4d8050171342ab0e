"""What the gateway itself remembers. Standard library and eventsourcing.domain only."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from eventsourcing.domain import Aggregate, event

_IDEMPOTENCY = uuid.UUID("5f3b9a7e-1c2d-4e8f-9a0b-6c7d8e9f0a1b")

STARTED, COMPLETED, UNCERTAIN, ABANDONED = "started", "completed", "uncertain", "abandoned"


class IdempotentRequest(Aggregate):
    """One client's POST under one Idempotency-Key: what it asked (a fingerprint
    of method, path and body) and, once known, the answer it got."""

    @staticmethod
    def create_id(caller: str, key: str) -> uuid.UUID:
        return uuid.uuid5(_IDEMPOTENCY, f"{caller}\n{key}")

    @event("Started")
    def __init__(self, caller: str, key: str, fingerprint: str, method: str, path: str):
        self.caller = caller
        self.key = key
        self.fingerprint = fingerprint
        self.method = method
        self.path = path
        self.state = STARTED
        self.response: dict | None = None

    @event("Completed")
    def complete(self, status: int, body: str, location: str | None) -> None:
        self.state = COMPLETED
        self.response = {"status": status, "body": body, "location": location}

    @event("Uncertain")
    def mark_uncertain(self, reason: str) -> None:
        """The service may still act on the first attempt (it did not answer in time)."""
        self.state = UNCERTAIN

    @event("Abandoned")
    def abandon(self, reason: str) -> None:
        """The first attempt certainly had no effect; a retry may run it again."""
        self.state = ABANDONED

    @event("Restarted")
    def restart(self) -> None:
        self.state = STARTED


# -- people who sign in -------------------------------------------------------------

_USERS = uuid.UUID("0d6c1c4e-7b1a-4f0e-8d55-2a4f1c9e7b30")
_ATTEMPTS = uuid.UUID("a3e1f0c2-5d4b-4c8a-9e7f-1b2c3d4e5f60")

BUREAU_ADMIN, FINANCE_OFFICER, REVIEWER = "bureau_admin", "finance_officer", "reviewer"
PROVIDER_STAFF, CHILD_DIRECTOR, AUDITOR = "provider_staff", "child_director", "auditor"
ROLES = (BUREAU_ADMIN, FINANCE_OFFICER, REVIEWER, PROVIDER_STAFF, CHILD_DIRECTOR, AUDITOR)

# What each scoped role is confined to; other roles carry no scope.
SCOPE_FIELDS = {
    PROVIDER_STAFF: ("organization_id",),
    CHILD_DIRECTOR: ("town", "village"),
    REVIEWER: ("panel_member_ids",),
}


class InvalidAccount(ValueError):
    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items()))
        self.fields = fields


def check_role_and_scope(role: str, scope: dict) -> None:
    if role not in ROLES:
        raise InvalidAccount({"role": [f"must be one of {', '.join(ROLES)}"]})
    needed = SCOPE_FIELDS.get(role, ())
    problems = {f"scope.{name}": [f"required for {role}"] for name in needed if not scope.get(name)}
    problems.update({f"scope.{name}": [f"not used by {role}"] for name in scope if name not in needed})
    if problems:
        raise InvalidAccount(problems)


class User(Aggregate):
    """A person who signs in: one role, and for scoped roles what it reaches.
    `credentials_version` goes up with each password change, which voids the
    tokens issued before it."""

    @staticmethod
    def create_id(username: str) -> uuid.UUID:
        return uuid.uuid5(_USERS, username.lower())

    @classmethod
    def register(cls, username: str, display_name: str, role: str, scope: dict, password_hash: str) -> "User":
        check_role_and_scope(role, scope)
        return cls(username, display_name, role, scope, password_hash)

    @event("Registered")
    def __init__(self, username: str, display_name: str, role: str, scope: dict, password_hash: str):
        self.username = username
        self.display_name = display_name
        self.role = role
        self.scope = scope
        self.password_hash = password_hash
        self.credentials_version = 1
        self.active = True

    def change_password(self, password_hash: str) -> None:
        self._password_changed(password_hash=password_hash)

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.credentials_version += 1

    @event("Disabled")
    def disable(self, reason: str) -> None:
        self.active = False


class LoginAttempts(Aggregate):
    """Sign-in attempts under one username (known or not). Each attempt is
    counted before its password is checked, so guesses sent in parallel cannot
    slip past the count; a success resets it. Failures in a row beyond the free
    ones lock the name out, for twice as long with each further failure.
    Attempts refused during a lock-out are recorded but do not extend it."""

    @staticmethod
    def create_id(username: str) -> uuid.UUID:
        return uuid.uuid5(_ATTEMPTS, username.lower())

    @event("Opened")
    def __init__(self, username: str):
        self.username = username
        self.failures_in_a_row = 0
        self.last_failure_at: datetime | None = None

    @event("Attempted")
    def attempt(self, at: datetime, remote_address: str) -> None:
        self.failures_in_a_row += 1
        self.last_failure_at = at

    @event("Refused")
    def refuse(self, at: datetime, remote_address: str, reason: str) -> None:
        """Why an attempt failed (it was already counted, unless locked out)."""

    @event("Succeeded")
    def succeed(self, at: datetime, remote_address: str) -> None:
        self.failures_in_a_row = 0

    def locked_until(self, free_failures: int, base_seconds: int, max_seconds: int) -> datetime | None:
        over = self.failures_in_a_row - free_failures
        if over < 0 or self.last_failure_at is None:
            return None
        return self.last_failure_at + timedelta(seconds=min(base_seconds * 2 ** over, max_seconds))


# -- who looked at a child's file -------------------------------------------------------

class ChildFileRead(Aggregate):
    """One read of a child's file or history: who, when, which child, which route."""

    @event("Recorded")
    def __init__(self, actor: str, role: str, child_id: str, route: str, path: str, status: int, at: datetime):
        self.actor = actor
        self.role = role
        self.child_id = child_id
        self.route = route
        self.path = path
        self.status = status
        self.at = at
