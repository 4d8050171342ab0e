"""Re-computes a service's hash chain from the stored events and compares it
with the seals, reporting the first position where they part and why.

- altered: an event's bytes changed since it was sealed;
- reordered/replaced: the event at a position is not the one sealed there;
- deleted: a sealed event is gone;
- inserted: an event sits inside the sealed range but was never sealed;
- rolled back: against a saved anchor, the log no longer reaches the anchored
  position, or its chain there differs (both events and seals were rewound).
Events after the last seal are reported as unsealed, not as tampering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from eventsourcing.persistence import Notification

from shared.audit.chain import GENESIS, link_notification
from shared.audit.seals import Seal
from shared.eventstore import ServiceApplication

BATCH = 10000


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

    def fail(self, position: int, reason: str) -> Verification:
        self.ok, self.broken_at, self.reason = False, position, reason
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def stored_notifications(app: ServiceApplication, batch: int = BATCH) -> Iterator[Notification]:
    position = 0
    while True:
        rows = app.recorder.select_notifications(start=position, limit=batch, inclusive_of_start=False)
        yield from rows
        if len(rows) < batch:
            return
        position = rows[-1].id


def verify(
    notifications: Iterable[Notification],
    seals: Iterable[Seal],
    anchor: dict[str, Any] | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> Verification:
    result = Verification()
    events, sealed = iter(notifications), iter(seals)
    event, seal = next(events, None), next(sealed, None)
    head = GENESIS
    hashes_at_anchor: str | None = None
    while event is not None or seal is not None:
        if seal is None:  # past the last seal: not yet sealed
            result.unsealed += 1
            event = next(events, None)
            continue
        if event is None or event.id > seal.notification_id:
            return result.fail(seal.notification_id, "deleted: a sealed event is missing")
        if event.id < seal.notification_id:
            return result.fail(event.id, "inserted: an event inside the sealed range was never sealed")
        if (str(event.originator_id), event.originator_version) != (seal.originator_id, seal.originator_version):
            return result.fail(event.id, "reordered or replaced: this is not the event sealed at this position")
        head = link_notification(head, event)
        if head != seal.chain_hash:
            return result.fail(event.id, "altered: the stored event differs from what was sealed")
        result.checked += 1
        result.sealed_position = event.id
        if anchor and event.id == anchor["position"]:
            hashes_at_anchor = head.hex()
        progress(1)
        event, seal = next(events, None), next(sealed, None)
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
