"""Errors any service may raise across RPC, by kind. The gateway maps each kind
to an HTTP status; a service's own errors subclass one of these.

Constructor arguments are kept as `args` so nameko rebuilds the same exception
on the caller's side (the gateway registers every subclass for that)."""

from __future__ import annotations

from typing import Any, NoReturn


class ServiceError(Exception):
    code = "ERROR"

    def details(self) -> dict[str, Any]:
        """Extra fields for the error body (e.g. the id of a conflicting record)."""
        return {}


class InvalidInput(ServiceError):
    """The request's shape is wrong; `fields` maps each field to its reasons."""

    code = "VALIDATION_ERROR"

    def __init__(self, fields: dict[str, Any]):
        super().__init__(fields)
        self.fields = fields

    def __str__(self) -> str:
        return "invalid input: " + "; ".join(f"{name}: {reasons}" for name, reasons in self.fields.items())


class RuleViolation(InvalidInput):
    """Well-formed, but a business rule refuses it; `fields` says which and why."""

    code = "RULE_VIOLATION"

    def __str__(self) -> str:
        return "refused: " + "; ".join(f"{name}: {reasons}" for name, reasons in self.fields.items())


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


class ConcurrentChange(Conflict):
    """Another request changed the record first; nothing was saved.
    `record` names it: an id, or a kind of record ("call")."""

    code = "CONCURRENT_CHANGE"

    def __init__(self, record: Any):
        super().__init__(str(record))
        self.record = str(record)

    def __str__(self) -> str:
        return (
            f"{self.record} was changed by another request at the same moment; "
            "nothing was saved: read it again and retry"
        )

    def details(self) -> dict[str, Any]:
        return {"record": self.record}


def refuse(field: str, reason: str, error: type[RuleViolation] = RuleViolation) -> NoReturn:
    """Refuse under a business rule, naming the field and why. Always raises."""
    raise error({field: [reason]})


class CommandIdReused(Conflict):
    """A command id already recorded with another command or payload: the id
    names one command only, so nothing was done."""

    code = "COMMAND_ID_REUSED"

    def __init__(self, command: str, command_id: str):
        super().__init__(command, command_id)
        self.command = command
        self.command_id = command_id

    def __str__(self) -> str:
        return (
            f"command id {self.command_id} was already used for a different {self.command} request; "
            "nothing was done: send a new id for a new request"
        )

    def details(self) -> dict[str, Any]:
        return {"command": self.command, "command_id": self.command_id}
