"""The gateway's own use cases: replaying retried POSTs (Idempotency-Key)."""
from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.gateway.domain import ABANDONED, COMPLETED, STARTED, UNCERTAIN, IdempotentRequest
from services.gateway.exceptions import (
    IdempotencyKeyReused, IdempotentOutcomeUnknown, IdempotentRequestInProgress,
)
from shared.eventstore import ServiceApplication


class GatewayApplication(ServiceApplication):
    name = "gateway"

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
