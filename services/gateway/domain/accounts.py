"""People who sign in."""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.gateway.domain.roles import check_role_and_scope

_USERS = uuid.UUID("0d6c1c4e-7b1a-4f0e-8d55-2a4f1c9e7b30")


class User(Aggregate):
    """A person who signs in: one role, and for scoped roles what it reaches.
    `credentials_version` goes up with each password change, which voids the
    tokens issued before it."""

    @staticmethod
    def create_id(username: str) -> uuid.UUID:
        return uuid.uuid5(_USERS, username.lower())

    @classmethod
    def register(cls, username: str, display_name: str, role: str, scope: dict[str, Any], password_hash: str) -> User:
        check_role_and_scope(role, scope)
        return cls(username, display_name, role, scope, password_hash)

    @event("Registered")
    def __init__(self, username: str, display_name: str, role: str, scope: dict[str, Any], password_hash: str):
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
