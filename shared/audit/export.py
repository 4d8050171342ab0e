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
offline: export from an encrypted store (CIPHER_KEY), or unmasked.

The command line writes a whole export in one pass (`rows`); the gateway
streams one to an auditor's browser in pages (`page`, over RPC), masked for the
caller's role exactly as its JSON answers are (`Masking`); both write the same
lines (`jsonl_line`)."""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from eventsourcing.persistence import MapperDeserialisationError, Notification

from shared import event_mac
from shared.audit.chain import GENESIS
from shared.audit.replay import describe
from shared.audit.seals import SealStore
from shared.audit.verify import stored_notifications
from shared.eventstore import ServiceApplication
from shared.masking import LAST_FOUR, mask

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


@dataclass(frozen=True)
class Masking:
    """What a masked export hides (shared.masking's switches): by default as
    auditors see it; the gateway passes the caller's role's own."""

    id_numbers: bool = True
    health: bool = True
    id_style: str = LAST_FOUR

    def apply(self, value: Any) -> Any:
        return mask(value, id_numbers=self.id_numbers, health=self.health, id_style=self.id_style)


AS_AUDITORS_SEE = Masking()


def rows(
    app: ServiceApplication,
    seals: SealStore,
    *,
    after: int = 0,
    upto: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    unmasked: bool = False,
    masking: Masking = AS_AUDITORS_SEE,
    progress: Callable[[int], None] = lambda n: None,
) -> Iterator[dict[str, Any]]:
    """The exported rows, masked unless `unmasked` (see the module's docstring)."""
    yield from _rows(
        app,
        seals,
        stored_notifications(app, after=after),
        after,
        upto,
        since,
        until,
        None if unmasked else masking,
        progress,
    )


def page(
    app: ServiceApplication,
    seals: SealStore,
    *,
    after: int = 0,
    upto: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int,
    masking: Masking = AS_AUDITORS_SEE,
) -> tuple[list[dict[str, Any]], int | None]:
    """The rows among the next `limit` events of the log after `after` (up to
    `upto`, within since/until), and the position to continue from (None at the
    end): an export sent in pieces, each piece as `rows` would give it."""
    found = app.recorder.select_notifications(start=after, limit=limit, stop=upto, inclusive_of_start=False)
    exported = list(_rows(app, seals, found, after, upto, since, until, masking, seal_batch=limit))
    more = len(found) == limit and (upto is None or found[-1].id < upto)
    return exported, found[-1].id if more else None


def _rows(
    app: ServiceApplication,
    seals: SealStore,
    notifications: Iterable[Notification],
    after: int,
    upto: int | None,
    since: datetime | None,
    until: datetime | None,
    masking: Masking | None,
    progress: Callable[[int], None] = lambda n: None,
    seal_batch: int = 10000,
) -> Iterator[dict[str, Any]]:
    # Each row's previous hash is the chain hash of the last sealed event before it.
    before = seals.last_upto(after) if after else None
    previous = before.chain_hash if before is not None else GENESIS
    sealed_iter = iter(seals.iterate(seal_batch, after=after))
    seal = next(sealed_iter, None)
    for notification in notifications:
        while seal is not None and seal.notification_id < notification.id:
            seal = next(sealed_iter, None)
        sealed = seal.chain_hash if seal is not None and seal.notification_id == notification.id else None
        in_range = notification.id > after and (upto is None or notification.id <= upto)
        if in_range:
            row = _row(app, notification, previous, sealed, masking)
            moment = datetime.fromisoformat(row["at"]) if row["at"] else None
            if moment is None or ((not since or moment >= since) and (not until or moment <= until)):
                yield row
        if sealed is not None:
            previous = sealed
        progress(1)
        if upto is not None and notification.id >= upto:
            return


def _row(
    app: ServiceApplication, notification: Notification, previous: bytes, sealed: bytes | None, masking: Masking | None
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    try:
        described = describe(app, notification, notification.id)
        row.update(masking.apply(described) if masking is not None else described)
        row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
    except MapperDeserialisationError:
        pass  # encrypted and no key: the row still verifies, its content stays sealed
    stored = bytes(notification.state)
    withheld = masking is not None and _reveals_what_masking_hides(app, stored, masking)
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


def _reveals_what_masking_hides(app: ServiceApplication, stored: bytes, masking: Masking) -> bool:
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
    hides: bool = masking.apply(plain) != plain
    return hides


def is_withheld(row: dict[str, Any]) -> bool:
    """A row of a masked export whose stored bytes were left out."""
    return not row["state_b64"]


def jsonl_line(item: dict[str, Any]) -> str:
    """One row of a JSONL export, with its newline."""
    return json.dumps(item, ensure_ascii=False) + "\n"


def write_jsonl(out: IO[str], items: Iterable[dict[str, Any]]) -> int:
    count = 0
    for item in items:
        out.write(jsonl_line(item))
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
