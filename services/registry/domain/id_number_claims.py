"""Resident ID numbers are unique across files: one claim per number."""

from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

ID_NUMBER_NAMESPACE = uuid.UUID("3b0e8f5c-5a36-4d1b-8d7e-0b5b8d2f1c44")


class IdNumberClaim(Aggregate):
    """One per ID number; saving two claims for one number fails atomically,
    which is what makes ID numbers unique across concurrent registrations.
    A correction away from a number releases it."""

    @staticmethod
    def create_id(id_number: str) -> uuid.UUID:
        return uuid.uuid5(ID_NUMBER_NAMESPACE, id_number)

    @event("Claimed")
    def __init__(self, id_number: str, child_id: uuid.UUID):
        self.child_id: uuid.UUID | None = child_id

    @event("Released")
    def release(self) -> None:
        self.child_id = None

    @event("Reclaimed")
    def reclaim(self, child_id: uuid.UUID) -> None:
        self.child_id = child_id
