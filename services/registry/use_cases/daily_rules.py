"""The time-driven rules, run daily: left-behind status ends at 16, and the
file closes (aged out) at 18."""

from __future__ import annotations

import logging
from uuid import UUID

from services.registry.domain.child import Child
from services.registry.exceptions import ChildNotFound
from services.registry.use_cases.base import RegistryBase
from shared.errors import ConcurrentChange

log = logging.getLogger(__name__)


class DailyRuleUseCases(RegistryBase):
    def run_daily(self) -> dict[str, int]:
        """Apply the time-driven rules for the clock's today. Idempotent; a file
        changed concurrently is left for the next run."""
        today = self.clock()
        counts = {"left_behind_ended": 0, "aged_out": 0}
        for key in self.children.due_for_time_rules(today):
            child = self.load(Child, UUID(key), ChildNotFound)
            child.pass_time(today)
            pending = child.collect_events()
            if not pending:
                continue
            try:
                self.save_or_conflict(*pending, record=key)
            except ConcurrentChange:
                log.info("child %s changed during the daily job; next run will see it", key)
                continue
            for domain_event in pending:
                if isinstance(domain_event, Child.LeftBehindEnded):
                    counts["left_behind_ended"] += 1
                elif isinstance(domain_event, Child.AgedOut):
                    counts["aged_out"] += 1
        return counts
