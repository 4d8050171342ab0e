"""When each quarterly written report is due and which are late (卫沙民社函〔2025〕11号
§五.(三).4: 获选项目团队按季度以书面形式报送项目实施情况). A quarter's report is due
`due_days` after the quarter ends (configurable, REPORT_DUE_DAYS, default 10).
It is late when its first submission came after the due date, or when none has
come and the due date has passed. Computed as of a day from the contract's
reports, so the same question about the same day always has the same answer
(the mid-term check asks it as of the evaluation day)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

DEFAULT_REPORT_DUE_DAYS = 10
MAX_REPORT_DUE_DAYS = 90


def quarter_end(year: int, quarter: int) -> date:
    return date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)


def due_on(year: int, quarter: int, due_days: int) -> date:
    return quarter_end(year, quarter) + timedelta(days=due_days)


def schedule(
    quarters: list[tuple[int, int]], reports: list[dict[str, Any]], as_of: date, due_days: int
) -> list[dict[str, Any]]:
    """One row per quarter of the period that has begun by `as_of`: its due
    date, its first submission (by `as_of`), its latest report's status
    (missing if none) and whether it is late."""
    rows = []
    for year, quarter in quarters:
        if date(year, 3 * quarter - 2, 1) > as_of:
            break
        due = due_on(year, quarter, due_days)
        known = sorted(
            (r for r in reports if (r["year"], r["quarter"]) == (year, quarter) and r["submitted_on"] <= as_of),
            key=lambda r: r["submitted_on"],
        )
        first = known[0]["submitted_on"] if known else None
        rows.append(
            {
                "period": f"{year}-Q{quarter}",
                "year": year,
                "quarter": quarter,
                "due_on": due,
                "first_submitted_on": first,
                "status": known[-1]["status"] if known else "missing",
                "late": first > due if first is not None else as_of > due,
            }
        )
    return rows


def late_periods(rows: list[dict[str, Any]]) -> list[str]:
    return [row["period"] for row in rows if row["late"]]
