"""Export a period of a service's log for working papers: JSONL, or CSV that
Excel opens with Chinese intact (UTF-8 with BOM). Each row carries the stored
bytes and the chain hashes, so tools/verify_export.py can check it offline."""
from __future__ import annotations

import base64
import csv
import json
from datetime import datetime
from typing import IO, Callable, Iterator

from eventsourcing.persistence import MapperDeserialisationError

from shared.audit.chain import GENESIS
from shared.audit.replay import describe
from shared.audit.verify import stored_notifications

COLUMNS = (
    "position", "aggregate_id", "version", "topic", "event", "at", "actor_id", "actor_role",
    "correlation_id", "causation_id", "data", "state_b64", "previous_hash", "chain_hash",
)


def rows(app, seals, *, after: int = 0, upto: int | None = None,
         since: datetime | None = None, until: datetime | None = None,
         progress: Callable[[int], None] = lambda n: None) -> Iterator[dict]:
    sealed_iter = iter(seals.iterate())
    seal = next(sealed_iter, None)
    previous = GENESIS
    for notification in stored_notifications(app):
        while seal is not None and seal.notification_id < notification.id:
            seal = next(sealed_iter, None)
        sealed = seal.chain_hash if seal is not None and seal.notification_id == notification.id else None
        in_range = notification.id > after and (upto is None or notification.id <= upto)
        if in_range:
            row = _row(app, notification, previous, sealed)
            moment = datetime.fromisoformat(row["at"]) if row["at"] else None
            if moment is None or ((not since or moment >= since) and (not until or moment <= until)):
                yield row
        if sealed is not None:
            previous = sealed
        progress(1)
        if upto is not None and notification.id >= upto:
            return


def _row(app, notification, previous: bytes, sealed: bytes | None) -> dict:
    row = dict.fromkeys(COLUMNS, "")
    try:
        row.update(describe(app, notification, notification.id))
        row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
    except MapperDeserialisationError:
        pass  # encrypted and no key: the row still verifies, its content stays sealed
    row.update(
        position=notification.id, aggregate_id=str(notification.originator_id),
        version=notification.originator_version, topic=notification.topic,
        state_b64=base64.b64encode(bytes(notification.state)).decode(),
        previous_hash=previous.hex(), chain_hash=sealed.hex() if sealed else "",
    )
    return {k: row[k] for k in COLUMNS}


def write_jsonl(out: IO[str], items) -> int:
    count = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(out: IO[str], items) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for item in items:
        writer.writerow(item)
        count += 1
    return count
