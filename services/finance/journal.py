"""The double-entry journal. Every financial domain event posts one balanced
entry, saved in the same transaction as the event; entries are never changed,
and a correction is a new entry that reverses an earlier one.
Standard library and eventsourcing.domain only."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.finance.appropriation import Appropriation
from services.finance.domain import ContractFunding
from services.finance.exceptions import UnbalancedEntry
from services.finance.recovery import Recovery

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
FUNDS = ("fiscal", "donation")


def entry_id_for(originator_id: uuid.UUID, originator_version: int) -> uuid.UUID:
    return uuid.uuid5(_ENTRIES, f"{originator_id}/{originator_version}")


def line(account: str, fund: str, contract_id: Any, debit: int = 0, credit: int = 0) -> dict[str, Any]:
    return {"account": account, "fund": fund, "contract_id": str(contract_id) if contract_id else None,
            "debit_fen": debit, "credit_fen": credit}


def pair(debit_account: str, credit_account: str, amount: int, fund: str = "fiscal",
         contract_id: Any = None) -> list[dict[str, Any]]:
    return [line(debit_account, fund, contract_id, debit=amount), line(credit_account, fund, contract_id, credit=amount)]


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
        if any(not isinstance(a, int) or isinstance(a, bool) or a < 0 for a in amounts) or (amounts[0] > 0) == (amounts[1] > 0):
            problems.append(f"line {ln['account']}: exactly one of debit and credit must be a positive whole number of fen")
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
    def __init__(self, entry_id: uuid.UUID, entry_date: date, kind: str, memo: str,
                 lines: list[dict[str, Any]], source_id: uuid.UUID, source_version: int,
                 reverses: uuid.UUID | None, reason: str | None):
        self.entry_date = entry_date
        self.kind = kind
        self.memo = memo
        self.lines = [dict(ln) for ln in lines]
        self.source_id = source_id
        self.source_version = source_version
        self.reverses = reverses
        self.reason = reason

    @classmethod
    def post(cls, **fields: Any) -> "JournalEntry":
        problems = problems_with(fields["lines"])
        if fields.get("reverses") is not None and not (fields.get("reason") or "").strip():
            problems.append("a reversal needs a reason")
        if problems:
            raise UnbalancedEntry({"lines": problems})
        return cls(**fields)


def entries_for(aggregate: Aggregate) -> list[JournalEntry]:
    """The journal entries for an aggregate's events not yet saved."""
    entries = []
    for domain_event in aggregate.pending_events:
        posting = posting_for(domain_event)
        if posting is None:
            continue
        entry_date, kind, memo, lines, reverses, reason = posting
        lines = [ln for ln in lines if ln["debit_fen"] or ln["credit_fen"]]
        if not lines:
            continue
        entries.append(JournalEntry.post(
            entry_id=entry_id_for(domain_event.originator_id, domain_event.originator_version),
            entry_date=entry_date, kind=kind, memo=memo, lines=lines,
            source_id=domain_event.originator_id, source_version=domain_event.originator_version,
            reverses=reverses, reason=reason,
        ))
    return entries


def paid_lines(contract_id: Any, amount: int) -> list[dict[str, Any]]:
    return (pair("tranches_payable", "fiscal_cash", amount, contract_id=contract_id)
            + pair("provider_cash", "provider_funds_received", amount, contract_id=contract_id)
            + pair("budget_expended", "budget_obligated", amount, contract_id=contract_id))


def posting_for(e: Any):
    """(date, kind, memo, lines, reverses, reason) for a financial event, else None."""
    c = getattr(e, "originator_id", None)
    if isinstance(e, Appropriation.Appropriated):
        return (e.appropriated_on, "appropriation", f"appropriation for call {e.call_id} ({e.source})",
                pair("budget_uncommitted", "appropriations", e.amount_fen)
                + pair("fiscal_cash", "fund_balance", e.amount_fen), None, None)
    if isinstance(e, Appropriation.Committed):
        return (e.committed_on, "commitment", f"commitment for application {e.application_id}",
                pair("budget_committed", "budget_uncommitted", e.amount_fen), None, None)
    if isinstance(e, Appropriation.CommitmentReleased):
        return (e.released_on, "commitment_release", f"commitment released, application {e.application_id}: {e.reason}",
                pair("budget_uncommitted", "budget_committed", e.amount_fen), None, None)
    if isinstance(e, ContractFunding.Obligated):
        committed = e.committed_fen or 0
        lines = [line("budget_obligated", "fiscal", c, debit=e.amount_fen),
                 line("budget_committed", "fiscal", c, credit=committed)]
        if e.amount_fen > committed:
            lines.append(line("budget_uncommitted", "fiscal", c, credit=e.amount_fen - committed))
        elif committed > e.amount_fen:
            lines.append(line("budget_uncommitted", "fiscal", c, debit=committed - e.amount_fen))
        return e.signed_on, "obligation", f"obligation on signing contract {c}", lines, None, None
    if isinstance(e, ContractFunding.TranchePayable):
        return (e.payable_on, "tranche_payable", f"tranche {e.number} payable",
                pair("grant_expense", "tranches_payable", e.amount_fen, contract_id=c), None, None)
    if isinstance(e, ContractFunding.TrancheWithheld) and e.was_payable:
        return (e.withheld_on, "tranche_withheld", f"tranche {e.number} withheld: {e.reason}",
                pair("tranches_payable", "grant_expense", e.amount_fen, contract_id=c), None, None)
    if isinstance(e, ContractFunding.TranchePaid):
        return (e.paid_on, "tranche_paid", f"tranche {e.number} paid, voucher {e.voucher}",
                paid_lines(c, e.amount_fen), None, None)
    if isinstance(e, ContractFunding.PaymentReversed):
        return (e.reversed_on, "payment_reversal", f"reversal of tranche {e.number} payment, voucher {e.voucher}",
                swapped(paid_lines(c, e.amount_fen)), entry_id_for(c, e.paid_version), e.reason)
    if isinstance(e, ContractFunding.Terminated):
        return (e.terminated_on, "deobligation", f"unpaid obligation released on termination: {e.reason}",
                pair("budget_uncommitted", "budget_obligated", e.deobligated_fen, contract_id=c), None, None)
    if isinstance(e, ContractFunding.ExpenditureRecorded):
        credit = "provider_cash" if e.fund == "fiscal" else "donation_cash"
        return (e.spent_on, "expenditure", f"{e.fund} expenditure on {e.budget_line}, voucher {e.voucher}",
                pair("provider_spending", credit, e.amount_fen, fund=e.fund, contract_id=c), None, None)
    if isinstance(e, ContractFunding.ExpenditureReversed):
        credit = "provider_cash" if e.fund == "fiscal" else "donation_cash"
        return (e.reversed_on, "expenditure_reversal", f"reversal of {e.fund} expenditure, voucher {e.voucher}",
                swapped(pair("provider_spending", credit, e.amount_fen, fund=e.fund, contract_id=c)),
                entry_id_for(c, e.recorded_version), e.reason)
    if isinstance(e, ContractFunding.DonationReceived):
        return (e.received_on, "donation", f"designated donation from {e.donor}",
                pair("donation_cash", "restricted_donations", e.amount_fen, fund="donation", contract_id=c),
                None, None)
    if isinstance(e, Recovery.Raised):
        return (e.raised_on, "recovery_raised", f"recovery raised on termination: {e.reason}",
                pair("recovery_receivable", "grant_expense_recovered", e.amount_fen, contract_id=e.contract_id),
                None, None)
    if isinstance(e, Recovery.Collected):
        return (e.collected_on, "recovery_collected", f"recovery collected, reference {e.reference}",
                pair("fiscal_cash", "recovery_receivable", e.amount_fen, contract_id=e.contract_id), None, None)
    if isinstance(e, Recovery.WrittenOff):
        return (e.written_off_on, "recovery_written_off", f"write-off approved by {e.approver}: {e.reason}",
                pair("recovery_written_off", "recovery_receivable", e.amount_fen, contract_id=e.contract_id),
                None, None)
    return None
