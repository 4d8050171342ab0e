"""Re-computes a service's hash chain from the stored events and compares it
with the seals, reporting the first position where they part and why.

- altered: an event's bytes changed since it was sealed;
- reordered/replaced: the event at a position is not the one sealed there;
- deleted: a sealed event is gone;
- inserted: an event sits inside the sealed range but was never sealed;
- rolled back: against a saved anchor, the log no longer reaches the anchored
  position, or its chain there differs (both events and seals were rewound);
- forged: an event without a good MAC (shared/event_mac.py), sealed or not;
- a stored value of the wrong type (a rewritten row) is "altered" at its position.
Events after the last seal are reported as unsealed, not as tampering. A break
names its record (`record`: aggregate id and version) as well as its position.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from eventsourcing.persistence import Notification

from shared.audit.chain import GENESIS, encode_topic, pack_i, pack_q, sha256
from shared.audit.log import LogReader, LogRow, RawRow, _as_raw
from shared.audit.seals import Seal, SealStore
from shared.event_mac import LogSignatures
from shared.eventstore import ServiceApplication

BATCH = 10000
# Progress is reported in steps of this many events (a call per event costs on a long log).
PROGRESS_EVERY = 1000


@dataclass
class Verification:
    ok: bool = True
    checked: int = 0
    sealed_position: int = 0
    head: str = GENESIS.hex()
    unsealed: int = 0
    broken_at: int | None = None
    reason: str | None = None
    anchor: dict[str, Any] | None = field(default=None)
    # The record at the break: {"aggregate_id": ..., "version": ...} when known.
    record: dict[str, Any] | None = None
    # Whether event MACs were checked (EVENT_MAC_KEY given), and how many
    # events predate signing (covered by their seals only).
    macs_checked: bool = False
    unsigned_before_signing: int = 0

    def fail(self, position: int, reason: str, record: dict[str, Any] | None = None) -> Verification:
        self.ok, self.broken_at, self.reason, self.record = False, position, reason, record
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def stored_notifications(app: ServiceApplication, batch: int = BATCH, after: int = 0) -> Iterator[Notification]:
    position = after
    while True:
        rows = app.recorder.select_notifications(start=position, limit=batch, inclusive_of_start=False)
        yield from rows
        if len(rows) < batch:
            return
        position = rows[-1].id


def log_rows(app: ServiceApplication) -> Iterator[RawRow]:
    """The application's event table as verify reads it (see shared/audit/log.py),
    the next page read while this one is checked."""
    return LogReader(app).raw_rows(ahead=True)


def as_rows(notifications: Iterable[Notification | LogRow | RawRow]) -> Iterator[RawRow]:
    items = iter(notifications)
    first = next(items, None)
    if first is None:
        return iter(())
    if isinstance(first, tuple):  # raw rows (`log_rows`): taken as they come, no check per row
        return itertools.chain((first,), cast(Iterator[RawRow], items))
    return (_as_raw_row(item) for item in itertools.chain((first,), items))


def _as_raw_row(item: Notification | LogRow | RawRow) -> RawRow:
    if isinstance(item, tuple):
        return item
    if isinstance(item, LogRow):
        return _as_raw(item)
    return (item.id, str(item.originator_id), item.originator_version, item.topic, bytes(item.state), None)


class _SealsUnreadable(Exception):
    pass


def _next_seal(sealed: Iterator[Seal]) -> Seal | None:
    try:
        return next(sealed, None)
    except (TypeError, ValueError) as error:  # a seal row rewritten with values of the wrong type
        raise _SealsUnreadable(str(error)) from None


def verify(
    notifications: Iterable[Notification | LogRow | RawRow],
    seals: Iterable[Seal],
    anchor: dict[str, Any] | None = None,
    progress: Callable[[int], None] = lambda n: None,
    signatures: LogSignatures | None = None,
) -> Verification:
    """Check the chain (and, given `signatures` with a key, every event's MAC)."""
    result = Verification()
    signatures = signatures or LogSignatures(b"")
    result.macs_checked = signatures.checked
    try:
        return _verify(result, as_rows(notifications), iter(seals), anchor, progress, signatures)
    except _SealsUnreadable as error:
        return result.fail(result.sealed_position + 1, f"altered: a seal has values of the wrong type ({error})")
    finally:
        result.unsigned_before_signing = signatures.unsigned_before_signing


def _verify(
    result: Verification,
    events: Iterator[RawRow],
    sealed: Iterator[Seal],
    anchor: dict[str, Any] | None,
    progress: Callable[[int], None],
    signatures: LogSignatures,
) -> Verification:
    # One pass over plain tuples: the id/version/topic encoded once per row for
    # both the MAC and the link; a record dict is made only for a break.
    # (chain.py's record_prefix and link_prefixed, inlined: a call costs on a long log)
    topics: dict[str, bytes] = {}
    judge = signatures.problem_prefixed if signatures.checked else None
    row, seal = next(events, None), _next_seal(sealed)
    head = GENESIS
    anchored = anchor["position"] if anchor else None
    # An anchor of an empty log (position 0) holds the genesis hash.
    hashes_at_anchor: str | None = GENESIS.hex() if anchored == 0 else None
    unreported = 0
    try:
        while row is not None or seal is not None:
            if row is not None:
                position, originator_id, version, topic, state, problem = row
                if problem is None:
                    topic_field = topics.get(topic)
                    if topic_field is None:
                        topic_field = topics[topic] = encode_topic(topic)
                    oid = originator_id.encode()
                    prefix = b"".join((pack_i(len(oid)), oid, pack_q(version), topic_field))
                    if judge is not None:
                        problem = judge(position, prefix, state)
                if problem is not None:
                    return result.fail(position, problem, {"aggregate_id": originator_id, "version": version})
            if seal is None:  # past the last seal: not yet sealed
                result.unsealed += 1
                row = next(events, None)
                continue
            sealed_at, sealed_id, sealed_version, chain_hash = seal
            if row is None or position > sealed_at:
                record = {"aggregate_id": sealed_id, "version": sealed_version}
                return result.fail(sealed_at, "deleted: a sealed event is missing", record)
            if position < sealed_at:
                record = {"aggregate_id": originator_id, "version": version}
                return result.fail(position, "inserted: an event inside the sealed range was never sealed", record)
            if originator_id != sealed_id or version != sealed_version:
                record = {"aggregate_id": sealed_id, "version": sealed_version}
                return result.fail(
                    position, "reordered or replaced: this is not the event sealed at this position", record
                )
            head = sha256(b"".join((head, pack_q(position), prefix, pack_i(len(state)), state))).digest()
            if head != chain_hash:
                record = {"aggregate_id": originator_id, "version": version}
                return result.fail(position, "altered: the stored event differs from what was sealed", record)
            result.checked += 1
            result.sealed_position = position
            if position == anchored:
                hashes_at_anchor = head.hex()
            unreported += 1
            if unreported == PROGRESS_EVERY:
                progress(unreported)
                unreported = 0
            row, seal = next(events, None), _next_seal(sealed)
    finally:
        if unreported:
            progress(unreported)
    result.head = head.hex()
    if anchor:
        return _check_anchor(result, anchor, hashes_at_anchor)
    return result


def _check_anchor(result: Verification, anchor: dict[str, Any], head_at_anchor: str | None) -> Verification:
    result.anchor = {"position": anchor["position"], "head": anchor["head"]}
    if result.sealed_position < anchor["position"]:
        return result.fail(
            result.sealed_position + 1,
            f"rolled back: the log ends at {result.sealed_position}, before the anchored position {anchor['position']}",
        )
    if head_at_anchor != anchor["head"]:
        return result.fail(anchor["position"], "rolled back or rewritten: the chain differs from the anchor")
    return result


def verify_log(
    app: ServiceApplication,
    seals: SealStore,
    anchor: dict[str, Any] | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> Verification:
    """Verify an application's whole log against its seals, checking MACs
    when the application holds EVENT_MAC_KEY."""
    signatures = LogSignatures(app.mac_key, seals.signing_since())
    # Events and seals each read a page ahead while the chain is re-computed.
    return verify(log_rows(app), seals.iterate(ahead=True), anchor, progress, signatures)
