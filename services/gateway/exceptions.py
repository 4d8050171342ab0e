"""Errors of the gateway's own rules."""
from shared.errors import Conflict, RuleViolation


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
