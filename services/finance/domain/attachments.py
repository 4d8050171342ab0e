"""Files attached to a tranche's payment: the scanned payment voucher (付款凭证)
that proves it, or another supporting scan.

The bytes live outside the event log (shared/attachments.py); finance's event
that records an attachment carries their SHA-256, size, content type and kind,
so finance's audit chain covers the file and `audit verify finance` checks it.

One aggregate per tranche, its id derived from the tranche's: the contract's
money (ContractFunding), its journal and its public events are untouched, so
nothing about attachments leaves finance. A file proves a payment, so it is
attached to a paid tranche only; a payment reversed later keeps the scans
attached while it stood (they are part of its record). The same bytes attached
again as the same kind are the same attachment (shared/attached_files.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from shared.attached_files import AttachedFiles

TRANCHE_ATTACHMENTS_NAMESPACE = uuid.UUID("9e41c7a2-3b6d-4f08-8d15-b7c2e0a9f563")


class TrancheAttachments(Aggregate, AttachedFiles):
    @staticmethod
    def create_id(tranche_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(TRANCHE_ATTACHMENTS_NAMESPACE, str(tranche_id))

    class Opened(Aggregate.Created):
        tranche_id: uuid.UUID
        contract_id: uuid.UUID

    @event(Opened)
    def __init__(self, tranche_id: uuid.UUID, contract_id: uuid.UUID):
        self.tranche_id = tranche_id
        self.contract_id = contract_id
        self.items: list[dict[str, Any]] = []

    @classmethod
    def open_for(cls, tranche_id: uuid.UUID, contract_id: uuid.UUID) -> TrancheAttachments:
        return cls(tranche_id=tranche_id, contract_id=contract_id)

    class Attached(Aggregate.Event):
        attachment_id: uuid.UUID
        sha256: str
        size: int
        content_type: str
        kind: str
        attached_on: date

    @event(Attached)
    def _attached(
        self, attachment_id: uuid.UUID, sha256: str, size: int, content_type: str, kind: str, attached_on: date
    ) -> None:
        self._add_item(attachment_id, sha256, size, content_type, kind, attached_on)
