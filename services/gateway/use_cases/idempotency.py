"""Retried POSTs (Idempotency-Key): run the first, replay its answer to the rest;
after a timeout, run it again as the same command (the service runs it once)."""

from __future__ import annotations

from typing import Any

from services.gateway.domain import COMPLETED, STARTED, UNCERTAIN, IdempotentRequest
from services.gateway.exceptions import IdempotencyKeyReused, IdempotentRequestInProgress
from services.gateway.use_cases.base import GatewayBase
from shared.errors import ConcurrentChange


class IdempotencyUseCases(GatewayBase):
    def begin(self, caller: str, key: str, fingerprint: str, method: str, path: str) -> dict[str, Any] | None:
        """None: go ahead and run the request. A dict: the first answer, to replay."""
        record = self.find(IdempotentRequest, IdempotentRequest.create_id(caller, key))
        if record is None:
            self._started(IdempotentRequest(caller, key, fingerprint, method, path))
            return None
        if record.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                {
                    "Idempotency-Key": [
                        f"already used for a different request ({record.method} {record.path} with another body)"
                    ]
                }
            )
        if record.state == COMPLETED:
            return record.response
        if record.state == STARTED:
            raise IdempotentRequestInProgress()
        # ABANDONED: the first attempt had no effect. UNCERTAIN: it may have; the
        # retry carries the same command id, so the service answers with what it did.
        record.restart()
        self._started(record)
        return None

    def _started(self, record: IdempotentRequest) -> None:
        try:
            self.save_or_conflict(record)
        except ConcurrentChange:  # a concurrent retry got there first
            raise IdempotentRequestInProgress() from None

    def finish(
        self,
        caller: str,
        key: str,
        outcome: str,
        status: int = 0,
        body: str = "",
        location: str | None = None,
        reason: str = "",
    ) -> None:
        record: IdempotentRequest = self.repository.get(IdempotentRequest.create_id(caller, key))
        if outcome == COMPLETED:
            record.complete(status, body, location)
        elif outcome == UNCERTAIN:
            record.mark_uncertain(reason)
        else:
            record.abandon(reason)
        self.save(record)
