"""The hardship-relief money set aside for a call, and what is committed
against it."""

from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

HARDSHIP_RELIEF = "hardship_relief"  # 困难群众救助补助资金, 卫沙民社函〔2025〕11号 §六.(一)
SOURCE_NAMES = {HARDSHIP_RELIEF: "困难群众救助补助资金"}
_APPROPRIATIONS = uuid.UUID("0c7e4b52-2d3a-4f61-9e0b-8a5d1c6f7e34")


class Appropriation(Aggregate):
    """The hardship-relief money set aside for one call, and what is committed against it."""

    @staticmethod
    def create_id(call_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(_APPROPRIATIONS, str(call_id))

    @event("Appropriated")
    def __init__(self, call_id: uuid.UUID, amount_fen: int, source: str, appropriated_on: date, announced: bool):
        self.call_id = call_id
        self.amount_fen = amount_fen
        self.source = source
        self.appropriated_on = appropriated_on
        self.announced = announced
        self.commitments: dict[str, int] = {}
        self.released: dict[str, int] = {}

    @property
    def committed_fen(self) -> int:
        return sum(self.commitments.values())

    def commit(self, application_id: uuid.UUID, amount_fen: int, committed_on: date) -> bool:
        """False when this application is already committed, or was and has been
        released (a repeated determination)."""
        if str(application_id) in self.commitments or str(application_id) in self.released:
            return False
        self._committed(application_id=application_id, amount_fen=amount_fen, committed_on=committed_on)
        return True

    @event("Committed")
    def _committed(self, application_id: uuid.UUID, amount_fen: int, committed_on: date) -> None:
        self.commitments[str(application_id)] = amount_fen

    def release(self, application_id: uuid.UUID, reason: str, released_on: date) -> bool:
        """Give back what was committed to a voided determination; False if
        nothing is committed to it (unknown, or already released)."""
        amount = self.commitments.get(str(application_id))
        if amount is None:
            return False
        self._released(application_id=application_id, amount_fen=amount, reason=reason, released_on=released_on)
        return True

    @event("CommitmentReleased")
    def _released(self, application_id: uuid.UUID, amount_fen: int, reason: str, released_on: date) -> None:
        self.released[str(application_id)] = self.commitments.pop(str(application_id))
