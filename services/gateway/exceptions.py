"""Errors of the gateway's own rules."""
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation


class IdempotencyKeyReused(RuleViolation):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotentRequestInProgress(Conflict):
    code = "IDEMPOTENT_REQUEST_IN_PROGRESS"

    def __str__(self) -> str:
        return "a request with this Idempotency-Key is still being processed; retry shortly"


class IdempotentOutcomeUnknown(Conflict):
    code = "IDEMPOTENT_OUTCOME_UNKNOWN"

    def __str__(self) -> str:
        return ("the first request with this Idempotency-Key timed out and may still take effect; "
                "check the resource before sending it again under a new key")


class AccountExists(Conflict):
    code = "ACCOUNT_EXISTS"

    def __init__(self, username: str):
        super().__init__(username)
        self.username = username

    def __str__(self) -> str:
        return f"an account named {self.username!r} already exists"


class AccountNotFound(NotFound):
    what = "account"


class InvalidAccountDetails(InvalidInput):
    pass
