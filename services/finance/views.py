"""Read models projected from finance's own log: the journal (for trial
balances and per-contract ledger figures), open recoveries, and the index of
funded contracts and appropriations."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from services.finance.domain import Appropriation, ContractFunding, JournalEntry, Recovery
from services.finance.domain.recovery import OPEN, SETTLED, age_in_days, status_for
from shared.projection import Projection, handles


class LedgerView(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.entries: list[dict[str, Any]] = []

    @handles(JournalEntry.Posted)
    def posted(self, e: Any) -> None:
        self.entries.append(
            {
                "sequence": len(self.entries) + 1,
                "entry_id": e.originator_id,
                "entry_date": e.entry_date,
                "kind": e.kind,
                "memo": e.memo,
                "lines": e.lines,
                "reverses": e.reverses,
                "reason": e.reason,
                "source_id": e.source_id,
                "source_version": e.source_version,
                "posted_at": e.timestamp,
            }
        )

    def totals(self, as_of: date | None = None) -> dict[tuple[str, str], list[int]]:
        """(fund, account) -> [debits, credits] for entries dated on or before `as_of`."""
        self.refresh()
        totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for entry in self.entries:
            if as_of is not None and entry["entry_date"] > as_of:
                continue
            for ln in entry["lines"]:
                pair = totals[(ln["fund"], ln["account"])]
                pair[0] += ln["debit_fen"]
                pair[1] += ln["credit_fen"]
        return totals

    def balances_by_contract(self) -> dict[str, dict[tuple[str, str], int]]:
        """contract id -> (fund, account) -> debit minus credit."""
        self.refresh()
        found: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        for entry in self.entries:
            for ln in entry["lines"]:
                if ln["contract_id"]:
                    found[ln["contract_id"]][(ln["fund"], ln["account"])] += ln["debit_fen"] - ln["credit_fen"]
        return found

    def journal(self, *, after: int, limit: int, since: date | None, until: date | None) -> list[dict[str, Any]]:
        """Entries in the order they were posted, optionally by entry date."""
        self.refresh()
        rows = (
            e
            for e in self.entries[after:]
            if (since is None or e["entry_date"] >= since) and (until is None or e["entry_date"] <= until)
        )
        found = []
        for row in rows:
            found.append(row)
            if len(found) == limit:
                break
        return found

    def count(self, as_of: date | None = None) -> int:
        self.refresh()
        return sum(1 for e in self.entries if as_of is None or e["entry_date"] <= as_of)


class RecoveryView(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    @handles(Recovery.Raised)
    def raised(self, e: Any) -> None:
        self.rows[str(e.originator_id)] = {
            "recovery_id": e.originator_id,
            "contract_id": e.contract_id,
            "organization_id": e.organization_id,
            "amount_fen": e.amount_fen,
            "collected_fen": 0,
            "written_off_fen": 0,
            "outstanding_fen": e.amount_fen,
            "raised_on": e.raised_on,
            "reason": e.reason,
            "basis": e.basis,
        }

    @handles(Recovery.Collected)
    def collected(self, e: Any) -> None:
        row = self.rows[str(e.originator_id)]
        row["collected_fen"] += e.amount_fen
        row["outstanding_fen"] -= e.amount_fen

    @handles(Recovery.WrittenOff)
    def written_off(self, e: Any) -> None:
        row = self.rows[str(e.originator_id)]
        row["written_off_fen"] += e.amount_fen
        row["outstanding_fen"] -= e.amount_fen

    def list(self, *, status: str, limit: int, after: str | None, today: date) -> list[dict[str, Any]]:
        self.refresh()
        keys = sorted(self.rows)
        if after is not None:
            keys = [k for k in keys if k > after]
        rows = [
            {
                **self.rows[k],
                "status": status_for(self.rows[k]["outstanding_fen"]),
                "age_days": age_in_days(self.rows[k]["raised_on"], today),
            }
            for k in keys
        ]
        if status in (OPEN, SETTLED):
            rows = [r for r in rows if r["status"] == status]
        return rows[:limit]


class FundingIndex(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.contracts: list[Any] = []
        self.appropriations: list[Any] = []

    @handles(ContractFunding.Obligated)
    def obligated(self, e: Any) -> None:
        self.contracts.append(e.originator_id)

    @handles(Appropriation.Appropriated)
    def appropriated(self, e: Any) -> None:
        self.appropriations.append(e.originator_id)

    def contract_ids(self) -> list[Any]:
        self.refresh()
        return list(self.contracts)

    def appropriation_ids(self) -> list[Any]:
        self.refresh()
        return list(self.appropriations)
