"""The quarterly report use case: fold the log up to a position, then read.

The fold of the whole log is kept in memory and advanced on demand (and in
the background by the service), with a copy kept every CHECKPOINT_EVERY
notifications, so a report as of an earlier position folds only from the
nearest checkpoint before it rather than from the start. The copies are also
written to casework's store (report_checkpoints.py), with a MAC checked before
use, so a process that starts folds only from the nearest stored copy."""

from __future__ import annotations

import pickle
import time
from datetime import date
from typing import Any
from uuid import UUID

from services.casework.domain.reports import QuarterlyFold
from services.casework.use_cases.base import CaseworkBase
from shared.errors import refuse
from shared.jsonable import jsonable
from shared.report_reference import content_hash

BATCH = 1000
CHECKPOINT_EVERY = 50_000
# The warmer stores a copy at the head once the fold is this far past the last stored one.
LATEST_EVERY = 10_000
# A fold this far behind the requested position first looks for a stored copy.
LOOK_IN_STORE_AFTER = 1000


class ReportUseCases(CaseworkBase):
    def quarterly_report(
        self,
        contract_id: UUID,
        year: int,
        quarter: int,
        *,
        as_of: date | None = None,
        as_of_position: int | None = None,
        expected_lines: list[str] | None = None,
    ) -> dict[str, Any]:
        if as_of is not None:  # the last position recorded by the date's end (shared/past_registers.py)
            as_of_position, _day = self.past.point(as_of, None)
        head = self.head_position()
        if as_of_position is not None and as_of_position > head:
            refuse("as_of_position", f"is beyond the end of casework's log ({head})")
        position = head if as_of_position is None else as_of_position
        expected = tuple(expected_lines) if expected_lines else None
        with self._report_lock:
            if self._report_fold.position <= position:
                fold = self._advance(position)
            else:
                fold = self.fold_log(self._fold_before(position), position)
            report: dict[str, Any] = jsonable(fold.report(contract_id, year, quarter, expected))
        report["content_hash"] = content_hash(report)
        return report

    def check_report_reference(
        self, contract_id: UUID, year: int, quarter: int, *, as_of_position: int, content_hash: str
    ) -> dict[str, Any]:
        """A written report's reference to the generated report (卫沙民社函〔2025〕11号
        §五.(三).4): refused unless the contract's report for the quarter,
        regenerated at that position, has that hash."""
        head = self.head_position()
        if as_of_position > head:
            refuse("generated_report", f"as_of_position {as_of_position} is beyond the end of casework's log ({head})")
        report = self.quarterly_report(contract_id, year, quarter, as_of_position=as_of_position)
        if report["content_hash"] != content_hash:
            refuse(
                "generated_report",
                f"content_hash does not match the {year}-Q{quarter} report regenerated at position {as_of_position}",
            )
        return {"as_of_position": as_of_position, "content_hash": content_hash}

    def warm_reports(self) -> int:
        """Bring the kept fold up to the head of the log; returns its position.
        When it has moved LATEST_EVERY past the last copy in the store, a copy
        at the head is stored too (replacing the previous such copy), so a
        restart folds at most that much more than the head."""
        with self._report_lock:
            fold = self._advance(self.head_position())
            if fold.position - max(self._stored_checkpoints, default=0) >= LATEST_EVERY:
                state = pickle.dumps(fold, protocol=pickle.HIGHEST_PROTOCOL)
                self.report_checkpoints.replace_latest(fold.position, state, CHECKPOINT_EVERY)
                self._stored_checkpoints = {p for p in self._stored_checkpoints if p % CHECKPOINT_EVERY == 0}
                self._stored_checkpoints.add(fold.position)
            return fold.position

    def _advance(self, position: int) -> QuarterlyFold:
        if position - self._report_fold.position >= LOOK_IN_STORE_AFTER:
            self._load_stored(position)
        fold = self._report_fold
        while fold.position < position:
            step = min(position, (fold.position // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY)
            self.fold_log(fold, step)
            if step % CHECKPOINT_EVERY == 0 and step not in self._checkpoints:
                self._keep_checkpoint(fold)
        return fold

    def _keep_checkpoint(self, fold: QuarterlyFold) -> None:
        state = pickle.dumps(fold, protocol=pickle.HIGHEST_PROTOCOL)
        self._checkpoints[fold.position] = state
        if fold.position not in self._stored_checkpoints:
            self.report_checkpoints.write(fold.position, state)
            self._stored_checkpoints.add(fold.position)

    def _load_stored(self, position: int) -> None:
        """Start the kept fold from the nearest good copy in the store, when it
        is ahead of what this process has folded (first after a start)."""
        found = self.report_checkpoints.nearest(after=self._report_fold.position, at_most=position)
        if found is not None:
            position, state = found
            self._checkpoints[position] = state
            self._stored_checkpoints.add(position)
            self._report_fold = pickle.loads(state)

    def _fold_before(self, position: int) -> QuarterlyFold:
        """A fresh fold from the nearest copy at or before `position`: kept in
        memory, else stored, else from zero."""
        kept = max((p for p in self._checkpoints if p <= position), default=0)
        found = self.report_checkpoints.nearest(after=kept, at_most=position)
        if found is not None:
            kept, state = found
            self._checkpoints[kept] = state
            self._stored_checkpoints.add(kept)
        return pickle.loads(self._checkpoints[kept]) if kept else QuarterlyFold(self.contact_cadence)

    def fold_log(self, fold: QuarterlyFold, position: int) -> QuarterlyFold:
        """Apply notifications after the fold's position up to `position`."""
        while fold.position < position:
            batch = self.recorder.select_notifications(
                start=fold.position, limit=BATCH, stop=position, inclusive_of_start=False
            )
            if not batch:
                break
            for notification in batch:
                fold.apply(self.mapper.to_domain_event(notification), notification.id)
            time.sleep(0)  # under eventlet this lets other requests run between batches
        fold.position = max(fold.position, position)
        return fold
