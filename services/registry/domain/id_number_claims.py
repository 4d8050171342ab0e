"""Resident ID numbers are unique across files: one claim per number.

A claim's id is derived from its number with a key (HMAC-SHA256): an unkeyed
hash of an 18-digit number with a known region and a birth date shown beside it
would give the number back by trying the thousand order codes. Claims made
before the key are found by their old id (`legacy_id`), so a child registered
then still blocks a second file with the same number."""

from __future__ import annotations

import hashlib
import hmac
import uuid

from eventsourcing.domain import Aggregate, event

ID_NUMBER_NAMESPACE = uuid.UUID("3b0e8f5c-5a36-4d1b-8d7e-0b5b8d2f1c44")


class IdNumberClaim(Aggregate):
    """One per ID number; saving two claims for one number fails atomically,
    which is what makes ID numbers unique across concurrent registrations.
    A correction away from a number releases it."""

    @staticmethod
    def keyed_id(id_number: str, key: bytes) -> uuid.UUID:
        """The id of the claim on this number (pass it as `id=` when claiming)."""
        if not key:
            raise ValueError("a claim id needs a key")
        digest = hmac.new(key, b"id-number-claim:" + id_number.encode(), hashlib.sha256).digest()
        return uuid.UUID(bytes=digest[:16], version=4)

    @classmethod
    def claim(cls, claim_id: uuid.UUID, id_number: str, child_id: uuid.UUID) -> IdNumberClaim:
        """A new claim under `claim_id` (see `keyed_id`)."""
        return cls._create(cls.Claimed, id=claim_id, id_number=id_number, child_id=child_id)

    @staticmethod
    def legacy_id(id_number: str) -> uuid.UUID:
        """The unkeyed id claims had before: only to find those old claims."""
        return uuid.uuid5(ID_NUMBER_NAMESPACE, id_number)

    class Claimed(Aggregate.Created):
        id_number: str
        child_id: uuid.UUID

    @event(Claimed)
    def __init__(self, id_number: str, child_id: uuid.UUID):
        self.child_id: uuid.UUID | None = child_id

    @event("Released")
    def release(self) -> None:
        self.child_id = None

    @event("Reclaimed")
    def reclaim(self, child_id: uuid.UUID) -> None:
        self.child_id = child_id
