"""Small aggregates that make lookups and uniqueness atomic: a voucher pays
once, and a tranche id finds its contract."""

from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

_VOUCHERS = uuid.UUID("d2b9f0a4-7c1e-4b3a-a6d5-5e8f9c0b1a47")


class VoucherClaim(Aggregate):
    """One per payment voucher: saving a second claim on a voucher fails atomically."""

    @staticmethod
    def create_id(voucher: str) -> uuid.UUID:
        return uuid.uuid5(_VOUCHERS, voucher)

    @event("Claimed")
    def __init__(self, voucher: str, tranche_id: uuid.UUID):
        self.tranche_id = tranche_id


class TrancheRef(Aggregate):
    """Finds a tranche's contract from the tranche id alone."""

    @staticmethod
    def create_id(tranche_id: uuid.UUID) -> uuid.UUID:
        return tranche_id

    @event("Registered")
    def __init__(self, tranche_id: uuid.UUID, contract_id: uuid.UUID, number: int):
        self.contract_id = contract_id
        self.number = number
