"""The quarterly report use case: fold the log up to a position, then read."""
from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from services.casework.exceptions import refuse
from services.casework.reports import SERVICE_LINES, QuarterlyFold, jsonable

BATCH = 1000


class ReportQueries:
    def _init_reports(self) -> None:
        # The fold of the whole log so far, advanced on demand; a report as of
        # an earlier position is folded afresh from the start.
        self._report_fold = QuarterlyFold()
        self._report_lock = threading.Lock()

    def quarterly_report(self, contract_id: UUID, year: int, quarter: int, *,
                         as_of_position: int | None = None,
                         expected_lines: list[str] | None = None) -> dict[str, Any]:
        head = self.head_position()
        if as_of_position is not None and as_of_position > head:
            raise refuse("as_of_position", f"is beyond the end of casework's log ({head})")
        position = head if as_of_position is None else as_of_position
        expected = tuple(expected_lines) if expected_lines else SERVICE_LINES
        with self._report_lock:
            if self._report_fold.position <= position:
                fold = self._report_fold
            else:
                fold = QuarterlyFold()
            self.fold_log(fold, position)
            return jsonable(fold.report(contract_id, year, quarter, expected))

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
        fold.position = max(fold.position, position)
        return fold
