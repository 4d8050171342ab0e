"""The one attach rule every record's attachments follow (shared/attached_files.py),
on each aggregate that keeps them: the same bytes as the same kind are the same
attachment; another kind, or other bytes, are another; each is recorded by the
aggregate's own `Attached` event (its stored topic is its own)."""

import uuid
from datetime import date

import pytest

from services.finance.domain import TrancheAttachments
from services.grants.domain import OrganizationAttachments
from services.registry.domain.attachments import ChildAttachments

SHA_A, SHA_B = "a" * 64, "b" * 64
OPENED = {
    ChildAttachments: lambda: ChildAttachments.open_for(uuid.uuid4()),
    TrancheAttachments: lambda: TrancheAttachments.open_for(uuid.uuid4(), uuid.uuid4()),
    OrganizationAttachments: lambda: OrganizationAttachments.open_for(uuid.uuid4()),
}


@pytest.mark.parametrize("kind", list(OPENED), ids=lambda k: k.__name__)
def test_the_same_bytes_as_the_same_kind_are_one_attachment(kind):
    record = OPENED[kind]()
    first = record.attach(sha256=SHA_A, size=10, content_type="application/pdf", kind="other", today=date(2026, 1, 5))
    again = record.attach(sha256=SHA_A, size=10, content_type="application/pdf", kind="other", today=date(2026, 1, 6))
    other_bytes = record.attach(sha256=SHA_B, size=9, content_type="image/png", kind="other", today=date(2026, 1, 6))
    assert again == first and other_bytes["attachment_id"] != first["attachment_id"]
    assert record.find(first["attachment_id"]) == first and record.find(uuid.uuid4()) is None
    events = record.collect_events()
    attached = [e for e in events if isinstance(e, kind.Attached)]
    assert [e.sha256 for e in attached] == [SHA_A, SHA_B]
    assert type(attached[0]).__qualname__ == f"{kind.__name__}.Attached"


def test_another_kind_of_the_same_bytes_is_another_attachment():
    record = OPENED[TrancheAttachments]()
    voucher = record.attach(
        sha256=SHA_A, size=10, content_type="application/pdf", kind="payment_voucher", today=date(2026, 1, 5)
    )
    other = record.attach(sha256=SHA_A, size=10, content_type="application/pdf", kind="other", today=date(2026, 1, 5))
    assert voucher["attachment_id"] != other["attachment_id"] and len(record.items) == 2
