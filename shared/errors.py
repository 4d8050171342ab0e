"""Errors any service may raise across RPC, by kind. The gateway maps each kind
to an HTTP status; a service's own errors subclass one of these.

Constructor arguments are kept as `args` so nameko rebuilds the same exception
on the caller's side (the gateway registers every subclass for that)."""
from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    code = "ERROR"

    def details(self) -> dict[str, Any]:
        """Extra fields for the error body (e.g. the id of a conflicting record)."""
        return {}


class InvalidInput(ServiceError):
    """The request's shape is wrong; `fields` maps each field to its reasons."""

    code = "VALIDATION_ERROR"

    def __init__(self, fields: dict):
        super().__init__(fields)
        self.fields = fields

    def __str__(self) -> str:
        return "invalid input: " + "; ".join(
            f"{name}: {reasons}" for name, reasons in self.fields.items()
        )


class RuleViolation(InvalidInput):
    """Well-formed, but a business rule refuses it; `fields` says which and why."""

    code = "RULE_VIOLATION"

    def __str__(self) -> str:
        return "refused: " + "; ".join(
            f"{name}: {reasons}" for name, reasons in self.fields.items()
        )


class NotFound(ServiceError):
    """Subclasses name the kind of record in `what`."""

    code = "NOT_FOUND"
    what = "record"

    def __init__(self, identifier: Any):
        super().__init__(str(identifier))
        self.identifier = str(identifier)

    def __str__(self) -> str:
        return f"no {self.what} with id {self.identifier}"


class Conflict(ServiceError):
    """The request contradicts the current state (a duplicate, a stale version)."""

    code = "CONFLICT"
