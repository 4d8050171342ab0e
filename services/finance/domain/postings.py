"""What each financial event posts to the journal. Every such event posts one
balanced entry, saved in the same transaction as the event; its id is derived
from the event's record and version, so an event can never post twice.

One function per kind of event, found by the event's class (like a
projection's handlers), so renaming an event cannot silently stop it posting."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate

from services.finance.domain.appropriation import Appropriation
from services.finance.domain.funding import ContractFunding
from services.finance.domain.journal import JournalEntry, entry_id_for, line, pair, swapped
from services.finance.domain.recovery import Recovery

# (entry date, kind, memo, lines, the entry it reverses, why)
Posting = tuple[date, str, str, list[dict[str, Any]], uuid.UUID | None, str | None]

_POSTINGS: dict[type, Callable[[Any], Posting | None]] = {}
PostingFunction = TypeVar("PostingFunction", bound=Callable[[Any], Posting | None])


def posts(*event_classes: type) -> Callable[[PostingFunction], PostingFunction]:
    """Marks the function that says what these events post.

    The event classes are made by eventsourcing's @event decorator when the
    aggregate class is created, so mypy cannot see them: naming one here needs
    `type: ignore[attr-defined]` (a misspelt name still fails at import)."""

    def register(posting: PostingFunction) -> PostingFunction:
        for event_class in event_classes:
            _POSTINGS[event_class] = posting
        return posting

    return register


def posting_for(e: Any) -> Posting | None:
    """(date, kind, memo, lines, reverses, reason) for a financial event, else None."""
    posting = _POSTINGS.get(type(e))
    return None if posting is None else posting(e)


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
        entries.append(
            JournalEntry.post(
                entry_id=entry_id_for(domain_event.originator_id, domain_event.originator_version),
                entry_date=entry_date,
                kind=kind,
                memo=memo,
                lines=lines,
                source_id=domain_event.originator_id,
                source_version=domain_event.originator_version,
                reverses=reverses,
                reason=reason,
            )
        )
    return entries


def with_entries(aggregates: Sequence[Aggregate]) -> list[Any]:
    """The aggregates followed by the journal entries their new events post:
    everything one transaction saves."""
    return [*aggregates, *(entry for aggregate in aggregates for entry in entries_for(aggregate))]


def paid_lines(contract_id: Any, amount: int) -> list[dict[str, Any]]:
    return (
        pair("tranches_payable", "fiscal_cash", amount, contract_id=contract_id)
        + pair("provider_cash", "provider_funds_received", amount, contract_id=contract_id)
        + pair("budget_expended", "budget_obligated", amount, contract_id=contract_id)
    )


def _spending_lines(e: Any) -> list[dict[str, Any]]:
    credit = "provider_cash" if e.fund == "fiscal" else "donation_cash"
    return pair("provider_spending", credit, e.amount_fen, fund=e.fund, contract_id=e.originator_id)


# -- the control chain -------------------------------------------------------


@posts(Appropriation.Appropriated)  # type: ignore[attr-defined]  # made by @event
def _appropriated(e: Any) -> Posting:
    return (
        e.appropriated_on,
        "appropriation",
        f"appropriation for call {e.call_id} ({e.source})",
        pair("budget_uncommitted", "appropriations", e.amount_fen) + pair("fiscal_cash", "fund_balance", e.amount_fen),
        None,
        None,
    )


@posts(Appropriation.Committed)  # type: ignore[attr-defined]  # made by @event
def _committed(e: Any) -> Posting:
    return (
        e.committed_on,
        "commitment",
        f"commitment for application {e.application_id}",
        pair("budget_committed", "budget_uncommitted", e.amount_fen),
        None,
        None,
    )


@posts(Appropriation.CommitmentReleased)  # type: ignore[attr-defined]  # made by @event
def _commitment_released(e: Any) -> Posting:
    return (
        e.released_on,
        "commitment_release",
        f"commitment released, application {e.application_id}: {e.reason}",
        pair("budget_uncommitted", "budget_committed", e.amount_fen),
        None,
        None,
    )


@posts(ContractFunding.Obligated)  # type: ignore[attr-defined]  # made by @event
def _obligated(e: Any) -> Posting:
    c = e.originator_id
    committed = e.committed_fen or 0
    lines = [
        line("budget_obligated", "fiscal", c, debit=e.amount_fen),
        line("budget_committed", "fiscal", c, credit=committed),
    ]
    if e.amount_fen > committed:
        lines.append(line("budget_uncommitted", "fiscal", c, credit=e.amount_fen - committed))
    elif committed > e.amount_fen:
        lines.append(line("budget_uncommitted", "fiscal", c, debit=committed - e.amount_fen))
    return e.signed_on, "obligation", f"obligation on signing contract {c}", lines, None, None


@posts(ContractFunding.TranchePayable)  # type: ignore[attr-defined]  # made by @event
def _tranche_payable(e: Any) -> Posting:
    return (
        e.payable_on,
        "tranche_payable",
        f"tranche {e.number} payable",
        pair("grant_expense", "tranches_payable", e.amount_fen, contract_id=e.originator_id),
        None,
        None,
    )


@posts(ContractFunding.TrancheWithheld)  # type: ignore[attr-defined]  # made by @event
def _tranche_withheld(e: Any) -> Posting | None:
    if not e.was_payable:  # withholding a pending tranche owes nothing to withdraw
        return None
    return (
        e.withheld_on,
        "tranche_withheld",
        f"tranche {e.number} withheld: {e.reason}",
        pair("tranches_payable", "grant_expense", e.amount_fen, contract_id=e.originator_id),
        None,
        None,
    )


@posts(ContractFunding.TranchePaid)  # type: ignore[attr-defined]  # made by @event
def _tranche_paid(e: Any) -> Posting:
    return (
        e.paid_on,
        "tranche_paid",
        f"tranche {e.number} paid, voucher {e.voucher}",
        paid_lines(e.originator_id, e.amount_fen),
        None,
        None,
    )


@posts(ContractFunding.PaymentReversed)  # type: ignore[attr-defined]  # made by @event
def _payment_reversed(e: Any) -> Posting:
    c = e.originator_id
    return (
        e.reversed_on,
        "payment_reversal",
        f"reversal of tranche {e.number} payment, voucher {e.voucher}",
        swapped(paid_lines(c, e.amount_fen)),
        entry_id_for(c, e.paid_version),
        e.reason,
    )


@posts(ContractFunding.Terminated)  # type: ignore[attr-defined]  # made by @event
def _terminated(e: Any) -> Posting:
    return (
        e.terminated_on,
        "deobligation",
        f"unpaid obligation released on termination: {e.reason}",
        pair("budget_uncommitted", "budget_obligated", e.deobligated_fen, contract_id=e.originator_id),
        None,
        None,
    )


# -- spending and donations --------------------------------------------------


@posts(ContractFunding.ExpenditureRecorded)  # type: ignore[attr-defined]  # made by @event
def _expenditure_recorded(e: Any) -> Posting:
    return (
        e.spent_on,
        "expenditure",
        f"{e.fund} expenditure on {e.budget_line}, voucher {e.voucher}",
        _spending_lines(e),
        None,
        None,
    )


@posts(ContractFunding.ExpenditureReversed)  # type: ignore[attr-defined]  # made by @event
def _expenditure_reversed(e: Any) -> Posting:
    return (
        e.reversed_on,
        "expenditure_reversal",
        f"reversal of {e.fund} expenditure, voucher {e.voucher}",
        swapped(_spending_lines(e)),
        entry_id_for(e.originator_id, e.recorded_version),
        e.reason,
    )


@posts(ContractFunding.DonationReceived)  # type: ignore[attr-defined]  # made by @event
def _donation_received(e: Any) -> Posting:
    return (
        e.received_on,
        "donation",
        f"designated donation from {e.donor}",
        pair("donation_cash", "restricted_donations", e.amount_fen, fund="donation", contract_id=e.originator_id),
        None,
        None,
    )


# -- recovery ------------------------------------------------------------------


@posts(Recovery.Raised)  # type: ignore[attr-defined]  # made by @event
def _recovery_raised(e: Any) -> Posting:
    return (
        e.raised_on,
        "recovery_raised",
        f"recovery raised on termination: {e.reason}",
        pair("recovery_receivable", "grant_expense_recovered", e.amount_fen, contract_id=e.contract_id),
        None,
        None,
    )


@posts(Recovery.Collected)  # type: ignore[attr-defined]  # made by @event
def _recovery_collected(e: Any) -> Posting:
    return (
        e.collected_on,
        "recovery_collected",
        f"recovery collected, reference {e.reference}",
        pair("fiscal_cash", "recovery_receivable", e.amount_fen, contract_id=e.contract_id),
        None,
        None,
    )


@posts(Recovery.WrittenOff)  # type: ignore[attr-defined]  # made by @event
def _recovery_written_off(e: Any) -> Posting:
    return (
        e.written_off_on,
        "recovery_written_off",
        f"write-off approved by {e.approver}: {e.reason}",
        pair("recovery_written_off", "recovery_receivable", e.amount_fen, contract_id=e.contract_id),
        None,
        None,
    )
