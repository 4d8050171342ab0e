"""The sealer follows a service's notification log in order and extends the
hash chain over each new stored event. One active sealer per service (it runs
under the same single-instance lock as the relay, in its own loop).

Before sealing an event it checks the event's MAC (shared/event_mac.py): an
event the service did not write is never sealed. The sealer stops there and
says why (`refused`, shown by health) until the row is dealt with; sealing past
it would hide it inside the chain."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from shared.audit.chain import GENESIS, Prefixes, link_prefixed
from shared.audit.log import LogReader
from shared.audit.seals import Seal, SealStore
from shared.event_mac import LogSignatures
from shared.eventstore import ServiceApplication


class Sealer:
    def __init__(
        self,
        app: ServiceApplication,
        seals: SealStore,
        batch: int = 1000,
        fence: Callable[[], AbstractContextManager[Any]] | None = None,
    ):
        self.app = app
        self.seals = seals
        self.batch = batch
        # The single-instance lock's fenced transaction (shared/locks.py): seals are
        # written only while this process holds the lock. None: the store's own.
        self.fence = fence or nullcontext
        self.log = LogReader(app)
        # The first event the sealer would not seal, and why; None while all is well.
        self.refused: dict[str, Any] | None = None

    @property
    def position(self) -> int:
        last = self.seals.last()
        return last.notification_id if last else 0

    @property
    def checks_macs(self) -> bool:
        return bool(self.app.mac_key)

    def run_once(self) -> int:
        """Seal the next batch up to the first event that fails its checks;
        returns how many events were sealed."""
        last = self.seals.last()
        after, head = (last.notification_id, last.chain_hash) if last else (0, GENESIS)
        signatures = LogSignatures(self.app.mac_key, self.seals.signing_since())
        new: list[Seal] = []
        refused = None
        # Rows as plain tuples, the id/version/topic encoded once for both the MAC and the link.
        prefixes = Prefixes()
        judge = signatures.problem_prefixed
        for position, originator_id, version, topic, state, problem in self.log.raw_rows(after, limit=self.batch):
            if problem is None:
                prefix = prefixes(originator_id, version, topic)
                problem = judge(position, prefix, state)
            if problem is not None:
                refused = {
                    "position": position,
                    "aggregate_id": originator_id,
                    "version": version if isinstance(version, int) else str(version),
                    "reason": problem,
                }
                break
            head = link_prefixed(head, position, prefix, state)
            new.append(Seal(position, originator_id, version, head))
        if new:
            with self.fence() as cursor:
                self.seals.append(new, cursor)
        self.refused = refused
        return len(new)
