"""The double-entry journal: its accounts, the balance rule (debits equal
credits within each fund) and the entry, which is never changed; a correction
is a new entry that reverses an earlier one. What each event posts is in
postings.py."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.finance.domain.errors import UnbalancedEntry
from services.finance.domain.money import FUNDS

_ENTRIES = uuid.UUID("9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4")

# account -> (kind, normal side). Budgetary accounts track the control chain;
# the others track cash, liabilities, spending and claims.
ACCOUNTS = {
    "appropriations": ("budgetary", "credit"),
    "budget_uncommitted": ("budgetary", "debit"),
    "budget_committed": ("budgetary", "debit"),
    "budget_obligated": ("budgetary", "debit"),
    "budget_expended": ("budgetary", "debit"),
    "fiscal_cash": ("asset", "debit"),
    "fund_balance": ("net_assets", "credit"),
    "grant_expense": ("expense", "debit"),
    "tranches_payable": ("liability", "credit"),
    "provider_cash": ("asset", "debit"),
    "provider_funds_received": ("net_assets", "credit"),
    "provider_spending": ("expense", "debit"),
    "recovery_receivable": ("asset", "debit"),
    "grant_expense_recovered": ("revenue", "credit"),
    "recovery_written_off": ("expense", "debit"),
    "donation_cash": ("asset", "debit"),
    "restricted_donations": ("net_assets", "credit"),
}


def entry_id_for(originator_id: uuid.UUID, originator_version: int) -> uuid.UUID:
    return uuid.uuid5(_ENTRIES, f"{originator_id}/{originator_version}")


def line(account: str, fund: str, contract_id: Any, debit: int = 0, credit: int = 0) -> dict[str, Any]:
    return {
        "account": account,
        "fund": fund,
        "contract_id": str(contract_id) if contract_id else None,
        "debit_fen": debit,
        "credit_fen": credit,
    }


def pair(
    debit_account: str, credit_account: str, amount: int, fund: str = "fiscal", contract_id: Any = None
) -> list[dict[str, Any]]:
    return [
        line(debit_account, fund, contract_id, debit=amount),
        line(credit_account, fund, contract_id, credit=amount),
    ]


def swapped(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**ln, "debit_fen": ln["credit_fen"], "credit_fen": ln["debit_fen"]} for ln in lines]


def problems_with(lines: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(lines) < 2:
        problems.append("an entry needs at least two lines")
    for ln in lines:
        if ln["account"] not in ACCOUNTS:
            problems.append(f"unknown account {ln['account']!r}")
        if ln["fund"] not in FUNDS:
            problems.append(f"unknown fund {ln['fund']!r}")
        amounts = (ln["debit_fen"], ln["credit_fen"])
        if any(not isinstance(a, int) or isinstance(a, bool) or a < 0 for a in amounts) or (amounts[0] > 0) == (
            amounts[1] > 0
        ):
            problems.append(
                f"line {ln['account']}: exactly one of debit and credit must be a positive whole number of fen"
            )
    for fund in FUNDS:
        debits = sum(ln["debit_fen"] for ln in lines if ln["fund"] == fund)
        credits = sum(ln["credit_fen"] for ln in lines if ln["fund"] == fund)
        if debits != credits:
            problems.append(f"{fund} debits {debits} fen differ from credits {credits} fen")
    return problems


class JournalEntry(Aggregate):
    @staticmethod
    def create_id(entry_id: uuid.UUID) -> uuid.UUID:
        return entry_id

    @event("Posted")
    def __init__(
        self,
        entry_id: uuid.UUID,
        entry_date: date,
        kind: str,
        memo: str,
        lines: list[dict[str, Any]],
        source_id: uuid.UUID,
        source_version: int,
        reverses: uuid.UUID | None,
        reason: str | None,
    ):
        self.entry_date = entry_date
        self.kind = kind
        self.memo = memo
        self.lines = [dict(ln) for ln in lines]
        self.source_id = source_id
        self.source_version = source_version
        self.reverses = reverses
        self.reason = reason

    @classmethod
    def post(cls, **fields: Any) -> JournalEntry:
        problems = problems_with(fields["lines"])
        if fields.get("reverses") is not None and not (fields.get("reason") or "").strip():
            problems.append("a reversal needs a reason")
        if problems:
            raise UnbalancedEntry({"lines": problems})
        return cls(**fields)
