"""The sealer follows a service's notification log in order and extends the
hash chain over each new stored event. One active sealer per service (it runs
under the same single-instance lock as the relay)."""

from __future__ import annotations

from shared.audit.chain import GENESIS, link_notification
from shared.audit.seals import Seal, SealStore
from shared.eventstore import ServiceApplication


class Sealer:
    def __init__(self, app: ServiceApplication, seals: SealStore, batch: int = 1000):
        self.app = app
        self.seals = seals
        self.batch = batch

    @property
    def position(self) -> int:
        last = self.seals.last()
        return last.notification_id if last else 0

    def run_once(self) -> int:
        """Seal the next batch; returns how many events were sealed."""
        last = self.seals.last()
        position, head = (last.notification_id, last.chain_hash) if last else (0, GENESIS)
        notifications = self.app.recorder.select_notifications(
            start=position, limit=self.batch, inclusive_of_start=False
        )
        new: list[Seal] = []
        for notification in notifications:
            head = link_notification(head, notification)
            new.append(Seal(notification.id, str(notification.originator_id), notification.originator_version, head))
        if new:
            self.seals.append(new)
        return len(new)
