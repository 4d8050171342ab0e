"""Read models projected from finance's own log: the journal (for trial
balances and per-contract ledger figures), open recoveries, and the index of
funded contracts and appropriations."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from services.finance.appropriation import Appropriation
from services.finance.domain import ContractFunding
from services.finance.journal import JournalEntry
from services.finance.recovery import Recovery
from shared.projection import Projection


class LedgerView(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def apply(self, domain_event: Any) -> None:
        if isinstance(domain_event, JournalEntry.Posted):
            self.entries.append({
                "sequence": len(self.entries) + 1, "entry_id": domain_event.originator_id,
                "entry_date": domain_event.entry_date, "kind": domain_event.kind, "memo": domain_event.memo,
                "lines": domain_event.lines, "reverses": domain_event.reverses, "reason": domain_event.reason,
                "source_id": domain_event.source_id, "source_version": domain_event.source_version,
                "posted_at": domain_event.timestamp,
            })

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
        rows = (e for e in self.entries[after:]
                if (since is None or e["entry_date"] >= since) and (until is None or e["entry_date"] <= until))
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

    def apply(self, e: Any) -> None:
        key = str(e.originator_id)
        if isinstance(e, Recovery.Raised):
            self.rows[key] = {
                "recovery_id": e.originator_id, "contract_id": e.contract_id,
                "organization_id": e.organization_id, "amount_fen": e.amount_fen,
                "collected_fen": 0, "written_off_fen": 0, "outstanding_fen": e.amount_fen,
                "raised_on": e.raised_on, "reason": e.reason, "basis": e.basis,
            }
        elif isinstance(e, Recovery.Collected):
            self.rows[key]["collected_fen"] += e.amount_fen
            self.rows[key]["outstanding_fen"] -= e.amount_fen
        elif isinstance(e, Recovery.WrittenOff):
            self.rows[key]["written_off_fen"] += e.amount_fen
            self.rows[key]["outstanding_fen"] -= e.amount_fen

    def list(self, *, status: str, limit: int, after: str | None, today: date) -> list[dict[str, Any]]:
        self.refresh()
        keys = sorted(self.rows)
        if after is not None:
            keys = [k for k in keys if k > after]
        rows = [self.rows[k] for k in keys]
        if status == "open":
            rows = [r for r in rows if r["outstanding_fen"] > 0]
        elif status == "settled":
            rows = [r for r in rows if r["outstanding_fen"] == 0]
        return [
            {**r, "status": "open" if r["outstanding_fen"] > 0 else "settled",
             "age_days": max((today - r["raised_on"]).days, 0)}
            for r in rows[:limit]
        ]


class FundingIndex(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.contracts: list[Any] = []
        self.appropriations: list[Any] = []

    def apply(self, e: Any) -> None:
        if isinstance(e, ContractFunding.Obligated):
            self.contracts.append(e.originator_id)
        elif isinstance(e, Appropriation.Appropriated):
            self.appropriations.append(e.originator_id)

    def contract_ids(self) -> list[Any]:
        self.refresh()
        return list(self.contracts)

    def appropriation_ids(self) -> list[Any]:
        self.refresh()
        return list(self.appropriations)
