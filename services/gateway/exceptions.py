"""Errors of the gateway's own rules."""

from datetime import datetime

from services.gateway.domain.errors import InvalidAccountDetails
from shared.errors import Conflict, NotFound, RuleViolation

__all__ = [
    "AccountExists",
    "AccountNotFound",
    "IdempotencyKeyReused",
    "IdempotentRequestInProgress",
    "InvalidAccountDetails",
    "LockedOut",
    "SignInRefused",
]


class IdempotencyKeyReused(RuleViolation):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotentRequestInProgress(Conflict):
    code = "IDEMPOTENT_REQUEST_IN_PROGRESS"

    def __str__(self) -> str:
        return "a request with this Idempotency-Key is still being processed; retry shortly"


class AccountExists(Conflict):
    code = "ACCOUNT_EXISTS"

    def __init__(self, username: str):
        super().__init__(username)
        self.username = username

    def __str__(self) -> str:
        return f"an account named {self.username!r} already exists"


class AccountNotFound(NotFound):
    what = "account"


# Sign-in refusals: the sign-in route answers them itself (401, 429).


class SignInRefused(Exception):
    """Wrong username or password (deliberately not saying which)."""


class LockedOut(Exception):
    def __init__(self, until: datetime):
        super().__init__(until)
        self.until = until
