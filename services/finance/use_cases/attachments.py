"""Files attached to a tranche's payment (a scanned payment voucher). The
gateway stores the bytes (shared/attachments.py) and sends their SHA-256,
size, content type and kind; finance records them only once the stored file
is there and matches (shared.attachments.check_stored_file), and only on a
paid tranche of the contract named in the path (another contract's tranche is
not found, so a provider allowed one contract learns nothing of another's)."""

from __future__ import annotations

import uuid
from typing import Any

from services.finance.domain import TrancheAttachments, TrancheRef
from services.finance.domain.funding import PAID
from services.finance.exceptions import AttachmentNotFound, PaymentRefused, TrancheNotFound
from services.finance.use_cases.base import FinanceBase
from shared.attachments import check_stored_file


class TrancheAttachmentUseCases(FinanceBase):
    def attach_to_tranche(
        self, contract_id: uuid.UUID, tranche_id: uuid.UUID, *, sha256: str, size: int, content_type: str, kind: str
    ) -> dict[str, Any]:
        today = self.clock()
        ref = self._tranche_of(contract_id, tranche_id)
        check_stored_file(sha256, size, content_type)
        record_id = TrancheAttachments.create_id(tranche_id)

        def attempt() -> tuple[dict[str, Any], list[TrancheAttachments]]:
            tranche = self._funding(contract_id).tranche(ref.number)
            if tranche["status"] != PAID:
                raise PaymentRefused(
                    {
                        "tranche": [
                            f"tranche {ref.number} is {tranche['status']}: a voucher is attached to a paid tranche"
                        ]
                    }
                )
            attachments = self.find(TrancheAttachments, record_id) or TrancheAttachments.open_for(
                tranche_id, contract_id
            )
            item = attachments.attach(sha256=sha256, size=size, content_type=content_type, kind=kind, today=today)
            return _answer(contract_id, tranche_id, item), [attachments]

        return self.retrying(record_id, attempt)

    def list_tranche_attachments(self, contract_id: uuid.UUID, tranche_id: uuid.UUID) -> dict[str, Any]:
        self._tranche_of(contract_id, tranche_id)
        attachments = self.find(TrancheAttachments, TrancheAttachments.create_id(tranche_id))
        items = [] if attachments is None else attachments.items
        return {
            "contract_id": contract_id,
            "tranche_id": tranche_id,
            "items": [_answer(contract_id, tranche_id, item) for item in items],
        }

    def get_tranche_attachment(
        self, contract_id: uuid.UUID, tranche_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> dict[str, Any]:
        self._tranche_of(contract_id, tranche_id)
        attachments = self.find(TrancheAttachments, TrancheAttachments.create_id(tranche_id))
        item = None if attachments is None else attachments.find(attachment_id)
        if item is None:
            raise AttachmentNotFound(attachment_id)
        return _answer(contract_id, tranche_id, item)

    def _tranche_of(self, contract_id: uuid.UUID, tranche_id: uuid.UUID) -> TrancheRef:
        """The tranche, if it is one of this contract's (not found otherwise)."""
        ref = self.load(TrancheRef, tranche_id, TrancheNotFound)
        if ref.contract_id != contract_id:
            raise TrancheNotFound(tranche_id)
        return ref


def _answer(contract_id: uuid.UUID, tranche_id: uuid.UUID, item: dict[str, Any]) -> dict[str, Any]:
    return {"contract_id": contract_id, "tranche_id": tranche_id, **item}
