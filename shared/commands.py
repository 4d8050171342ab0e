"""Commands run once per command id, whatever happens to the request.

Every command a service is asked to do carries an id in the call context (the
gateway makes it from the client's Idempotency-Key, or a new one per request).
The service records the id with the command's outcome — the answer it gave, or
the refusal — in the same transaction as the command's events. A second run
with that id (a client's retry after a 504, or nameko redelivering a request
whose first process died before replying) finds the outcome and gives the same
answer again without new events. The same id with another payload is refused
(CommandIdReused, 409), and nothing is done.

The outcome is found by command name and id, so one id may cover the several
RPCs of one HTTP request; the fingerprint is the command's arguments."""

from __future__ import annotations

import contextvars
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic, resolve_topic

from shared.errors import CommandIdReused, ConcurrentChange, Conflict, InvalidInput, NotFound, ServiceError
from shared.eventstore import ATTEMPTS, ServiceApplication
from shared.jsonable import jsonable

# The call-context key that carries the command id from caller to service.
CONTEXT_KEY = "command_id"
MAX_ID_LENGTH = 200
_OUTCOMES = uuid.UUID("0c6f1d2e-8a4b-4f7e-9d3c-2b1a0e9f8d7c")

_command_id: contextvars.ContextVar[str] = contextvars.ContextVar("command_id", default="")


def current_command_id() -> str:
    """The id of the command this worker runs ("" when the caller sent none)."""
    return _command_id.get()


def carry_command_id(command_id: object) -> contextvars.Token[str]:
    """For this greenlet: the id the caller sent (anything but text is no id)."""
    value = command_id[:MAX_ID_LENGTH] if isinstance(command_id, str) else ""
    return _command_id.set(value)


def forget_command_id(token: contextvars.Token[str]) -> None:
    _command_id.reset(token)


@dataclass(frozen=True)
class Command:
    name: str
    id: str
    fingerprint: str

    @classmethod
    def of(cls, name: str, command_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Command:
        payload = json.dumps([name, jsonable(args), jsonable(kwargs)], sort_keys=True, separators=(",", ":"))
        return cls(name, command_id, hashlib.sha256(payload.encode()).hexdigest())


class CommandOutcome(Aggregate):
    """What one command (by name and id) answered, or how it was refused."""

    @staticmethod
    def create_id(command: str, command_id: str) -> uuid.UUID:
        return uuid.uuid5(_OUTCOMES, f"{command}\n{command_id}")

    @event("Recorded")
    def __init__(
        self,
        command: str,
        command_id: str,
        fingerprint: str,
        answer: Any = None,
        refusal: dict[str, Any] | None = None,
    ):
        self.command = command
        self.command_id = command_id
        self.fingerprint = fingerprint
        self.answer = answer
        self.refusal = refusal

    def replay(self, fingerprint: str) -> Any:
        """The first answer again, or the first refusal raised again."""
        if fingerprint != self.fingerprint:
            raise CommandIdReused(self.command, self.command_id)
        if self.refusal is not None:
            raise rebuilt(self.refusal)
        return self.answer


def described(refusal: ServiceError) -> dict[str, Any]:
    """A refusal as stored: its class and the arguments that rebuild it."""
    return {"error": get_topic(type(refusal)), "args": jsonable(list(refusal.args)), "message": str(refusal)}


def rebuilt(refusal: dict[str, Any]) -> ServiceError:
    try:
        error_class = resolve_topic(refusal["error"])
        if isinstance(error_class, type) and issubclass(error_class, ServiceError):
            error: ServiceError = error_class(*refusal["args"])
            return error
    except Exception:  # noqa: BLE001 - a class renamed since: still refuse, with the first message
        pass
    return Conflict(refusal["message"])


def is_recorded_refusal(error: Exception) -> bool:
    """A decision against the command on the state it met (a rule, a conflict)
    is its outcome, replayed like an answer. Not recorded, so a rerun decides
    again: a lost race (the retry runs on the new state), a fault (nothing was
    decided), a request of the wrong shape (the payload alone decides it) and a
    record not found (nothing to act on). None of these had an effect, and bad
    requests write nothing."""
    if not isinstance(error, ServiceError) or isinstance(error, (ConcurrentChange, NotFound)):
        return False
    return type(error) is not InvalidInput


def run_once(app: ServiceApplication, command: Command, run: Callable[[], Any]) -> Any:
    """Run the command unless its outcome is recorded; record the outcome in the
    transaction that records the command's events. If another run of the same
    command (or of a rival command) commits first, this run's work is dropped
    and the command looks again."""
    outcome_id = CommandOutcome.create_id(command.name, command.id)
    for _ in range(ATTEMPTS):
        done = app.find(CommandOutcome, outcome_id)
        if done is not None:
            return done.replay(command.fingerprint)
        refusal: ServiceError | None = None
        with app.staged() as staged:
            try:
                answer = jsonable(run())
            except ServiceError as error:
                if not is_recorded_refusal(error):
                    raise
                refusal = error
        try:
            if refusal is None:
                app.commit(staged, CommandOutcome(command.name, command.id, command.fingerprint, answer=answer))
                return answer
            # Whatever the refused command staged is dropped: never a partial write.
            app.save(CommandOutcome(command.name, command.id, command.fingerprint, refusal=described(refusal)))
        except IntegrityError:
            continue
        raise refusal
    raise ConcurrentChange(command.name)
