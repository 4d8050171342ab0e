"""The quarterly report use case: fold the log up to a position, then read.

The fold of the whole log is kept in memory and advanced on demand (and in
the background by the service), with a copy kept every CHECKPOINT_EVERY
notifications, so a report as of an earlier position folds only from the
nearest checkpoint before it rather than from the start."""

from __future__ import annotations

import pickle
import time
from typing import Any
from uuid import UUID

from services.casework.domain.reports import QuarterlyFold
from services.casework.use_cases.base import CaseworkBase
from shared.errors import refuse
from shared.jsonable import jsonable
from shared.report_reference import content_hash

BATCH = 1000
CHECKPOINT_EVERY = 50_000


class ReportUseCases(CaseworkBase):
    def quarterly_report(
        self,
        contract_id: UUID,
        year: int,
        quarter: int,
        *,
        as_of_position: int | None = None,
        expected_lines: list[str] | None = None,
    ) -> dict[str, Any]:
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
        """Bring the kept fold up to the head of the log; returns its position."""
        with self._report_lock:
            return self._advance(self.head_position()).position

    def _advance(self, position: int) -> QuarterlyFold:
        fold = self._report_fold
        while fold.position < position:
            step = min(position, (fold.position // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY)
            self.fold_log(fold, step)
            if step % CHECKPOINT_EVERY == 0 and step // CHECKPOINT_EVERY > len(self._checkpoints):
                self._checkpoints.append(pickle.dumps(fold, protocol=pickle.HIGHEST_PROTOCOL))
        return fold

    def _fold_before(self, position: int) -> QuarterlyFold:
        index = min(position // CHECKPOINT_EVERY, len(self._checkpoints))
        return pickle.loads(self._checkpoints[index - 1]) if index else QuarterlyFold(self.contact_cadence)

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
