"""When a contract's written work falls due, for the reminders (GET /me/tasks):
each quarter's written report (按季度以书面形式报送, 卫沙民社函〔2025〕11号
§五.(三).4) a configurable number of days after the quarter ends (default
10), the mid-term evaluation (§五.(三).4, §六.(三)) at the middle of the
service period, and the effectiveness evaluation after completion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.grants.domain.contracts import quarters_between
from services.grants.domain.report_schedule import due_on as report_due_on

EFFECTIVENESS_DUE_DAYS = 30
# A report that is submitted or accepted stands; a returned one is due again.
STANDING_REPORTS = frozenset({"submitted", "accepted"})


def contract_dues(contract: dict[str, Any], due_days: int) -> list[dict[str, Any]]:
    """What a contract (as get_contract answers it) still owes, each with its
    due date: quarterly reports not standing, and the evaluation its state
    waits for. Only a contract in service owes reports; an ended one nothing."""
    dues: list[dict[str, Any]] = []
    status = contract["status"]
    if status in ("active", "suspended"):
        standing = {(r["year"], r["quarter"]) for r in contract["quarterly_reports"] if r["status"] in STANDING_REPORTS}
        for year, quarter in quarters_between(contract["period_start"], contract["period_end"]):
            if (year, quarter) not in standing:
                dues.append(
                    {
                        "what": "quarterly_report",
                        "period": f"{year}-Q{quarter}",
                        "due_on": report_due_on(year, quarter, due_days),
                    }
                )
    if status == "active" and not contract["mid_term_passed"]:
        start, end = contract["period_start"], contract["period_end"]
        dues.append({"what": "mid_term_evaluation", "period": None, "due_on": start + (end - start) / 2})
    if status == "completed" and not contract["effectiveness_passed"] and contract["completion"]:
        completed_on = contract["completion"]["completed_on"]
        dues.append(
            {
                "what": "effectiveness_evaluation",
                "period": None,
                "due_on": completed_on + timedelta(days=EFFECTIVENESS_DUE_DAYS),
            }
        )
    return dues
