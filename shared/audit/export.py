"""Export a period of a service's log for working papers: JSONL, or CSV that
Excel opens with Chinese intact (UTF-8 with BOM). Each row carries the stored
bytes and the chain hashes, so tools/verify_export.py can check it offline.

Exports are masked unless asked otherwise (`unmasked=True`, the bureau's own
legal copy): ID numbers keep their first 6 and last 4 characters and
mental-health details are null in every readable column (shared.masking, as the
gateway does for roles that do not need them). Masking changes the exported
representation only, never the log or the chain. Stored bytes that are
encrypted reveal nothing and are always exported; stored bytes that are plain
JSON holding something masking hides are withheld from a masked export
(`state_b64` empty), since base64 would reveal them. Such rows cannot be checked
offline: export from an encrypted store (CIPHER_KEY), or unmasked."""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from eventsourcing.persistence import MapperDeserialisationError, Notification

from shared import event_mac
from shared.audit.chain import GENESIS
from shared.audit.replay import describe
from shared.audit.seals import SealStore
from shared.audit.verify import stored_notifications
from shared.eventstore import ServiceApplication
from shared.masking import mask

COLUMNS = (
    "position",
    "aggregate_id",
    "version",
    "topic",
    "event",
    "at",
    "actor_id",
    "actor_role",
    "correlation_id",
    "causation_id",
    "data",
    "state_b64",
    "previous_hash",
    "chain_hash",
)


def rows(
    app: ServiceApplication,
    seals: SealStore,
    *,
    after: int = 0,
    upto: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    unmasked: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> Iterator[dict[str, Any]]:
    """The exported rows, masked unless `unmasked` (see the module's docstring)."""
    sealed_iter = iter(seals.iterate())
    seal = next(sealed_iter, None)
    previous = GENESIS
    for notification in stored_notifications(app):
        while seal is not None and seal.notification_id < notification.id:
            seal = next(sealed_iter, None)
        sealed = seal.chain_hash if seal is not None and seal.notification_id == notification.id else None
        in_range = notification.id > after and (upto is None or notification.id <= upto)
        if in_range:
            row = _row(app, notification, previous, sealed, masked=not unmasked)
            moment = datetime.fromisoformat(row["at"]) if row["at"] else None
            if moment is None or ((not since or moment >= since) and (not until or moment <= until)):
                yield row
        if sealed is not None:
            previous = sealed
        progress(1)
        if upto is not None and notification.id >= upto:
            return


def _row(
    app: ServiceApplication, notification: Notification, previous: bytes, sealed: bytes | None, masked: bool
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    try:
        described = describe(app, notification, notification.id)
        row.update(mask(described, id_numbers=True, health=True) if masked else described)
        row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
    except MapperDeserialisationError:
        pass  # encrypted and no key: the row still verifies, its content stays sealed
    stored = bytes(notification.state)
    withheld = masked and _reveals_what_masking_hides(app, stored)
    row.update(
        position=notification.id,
        aggregate_id=str(notification.originator_id),
        version=notification.originator_version,
        topic=notification.topic,
        state_b64="" if withheld else base64.b64encode(stored).decode(),
        previous_hash=previous.hex(),
        chain_hash=sealed.hex() if sealed else "",
    )
    return {k: row[k] for k in COLUMNS}


def _reveals_what_masking_hides(app: ServiceApplication, stored: bytes) -> bool:
    """Whether these stored bytes are readable as they are (not encrypted)
    and hold an ID number, mental-health details or another masked value."""
    if app.mapper.cipher is not None:
        return False  # ciphertext
    stored = event_mac.body(stored)
    try:
        if app.mapper.compressor is not None:
            stored = app.mapper.compressor.decompress(stored)
        plain = json.loads(stored)
    except Exception:  # noqa: BLE001 - unreadable here: encrypted under a key this process does not hold
        return False
    hides: bool = mask(plain, id_numbers=True, health=True) != plain
    return hides


def is_withheld(row: dict[str, Any]) -> bool:
    """A row of a masked export whose stored bytes were left out."""
    return not row["state_b64"]


def write_jsonl(out: IO[str], items: Iterable[dict[str, Any]]) -> int:
    count = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(out: IO[str], items: Iterable[dict[str, Any]]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for item in items:
        writer.writerow(item)
        count += 1
    return count
