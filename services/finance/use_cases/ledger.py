"""The ledger as people read it: the journal page by page, the trial balance
as of any date, and the reconciliation that checks the records against each
other and against the journal, explaining every break. Fiscal money and
designated donations are always reported apart."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from services.finance.domain import Appropriation, ContractFunding, Recovery
from services.finance.domain.journal import ACCOUNTS
from services.finance.domain.money import FUNDS
from services.finance.use_cases.base import FinanceBase
from services.finance.views import LedgerView

R = TypeVar("R")


class LedgerUseCases(FinanceBase):
    def trial_balance(self, as_of: date | None = None, as_of_position: int | None = None) -> dict[str, Any]:
        """Balances of the entries dated on or before `as_of` (today by
        default), in the journal as recorded now or up to `as_of_position`."""
        balance_date = as_of or self.clock()

        def read(ledger: LedgerView, _day: date) -> dict[str, Any]:
            return trial_balance_of(ledger.totals(balance_date), ledger.count(balance_date), balance_date)

        balance, position = self.past.read(self.ledger, None, as_of_position, read)
        return {**balance, "as_of_position": position}

    def journal(
        self,
        *,
        after: int = 0,
        limit: int = 100,
        since: date | None = None,
        until: date | None = None,
        as_of: date | None = None,
        as_of_position: int | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """The journal now, or as it was recorded up to a position or a date's
        end (shared/past_registers.py); with the position read at."""
        return self.past.read(
            self.ledger,
            as_of,
            as_of_position,
            lambda ledger, _day: ledger.journal(after=after, limit=limit, since=since, until=until),
        )

    def reconciliation(self, as_of: date | None = None, as_of_position: int | None = None) -> dict[str, Any]:
        """The records checked against each other and the journal now, or as
        they stood at a position of finance's log or a date's end (each record
        loaded at its version then, shared/past_registers.py); with the
        position it stands at."""
        if as_of is None and as_of_position is None:
            fundings = [self._funding(cid) for cid in self.index.contract_ids()]
            appropriations: list[Appropriation] = [self.repository.get(aid) for aid in self.index.appropriation_ids()]
            found = reconciliation_of(
                fundings,
                {f.id: self._recovery_of(f) for f in fundings},
                appropriations,
                self.ledger.balances_by_contract(),
                self.ledger.totals(),
                self.clock(),
            )
            return {**found, "as_of_position": self.head_position()}
        position, day = self.past.point(as_of, as_of_position)
        index = self.past.view(self.index, position)
        ledger = self.past.view(self.ledger, position)
        fundings = [f for f in (self._at(ContractFunding, cid, position) for cid in index.contract_ids()) if f]
        then: list[Appropriation] = [
            a for a in (self._at(Appropriation, aid, position) for aid in index.appropriation_ids()) if a
        ]
        found = reconciliation_of(
            fundings,
            {f.id: self._at(Recovery, Recovery.create_id(f.id), position) for f in fundings},
            then,
            ledger.balances_by_contract(),
            ledger.totals(),
            day,
        )
        return {**found, "as_of_position": position}

    def _at(self, kind: type[R], record_id: Any, position: int) -> R | None:
        """The record as it stood at `position`, or None if it did not exist yet."""
        version = self.past.version_at(record_id, position)
        return None if version is None else self.find(kind, record_id, version)


def fund_totals(totals: dict[tuple[str, str], list[int]]) -> dict[str, tuple[int, int]]:
    """fund -> (debits, credits) over all its accounts."""
    return {
        fund: (
            sum(v[0] for (fd, _), v in totals.items() if fd == fund),
            sum(v[1] for (fd, _), v in totals.items() if fd == fund),
        )
        for fund in FUNDS
    }


def trial_balance_of(totals: dict[tuple[str, str], list[int]], entries: int, as_of: date) -> dict[str, Any]:
    rows = []
    for (fund, account), (debits, credits) in sorted(totals.items()):
        kind, normal = ACCOUNTS[account]
        rows.append(
            {
                "fund": fund,
                "account": account,
                "kind": kind,
                "normal_side": normal,
                "debit_fen": debits,
                "credit_fen": credits,
                "balance_fen": debits - credits,
            }
        )
    funds = {
        fund: {"debit_fen": debits, "credit_fen": credits, "balanced": debits == credits}
        for fund, (debits, credits) in fund_totals(totals).items()
    }
    return {
        "as_of": as_of,
        "entries": entries,
        "accounts": rows,
        "funds": funds,
        "balanced": all(f["balanced"] for f in funds.values()),
    }


def _break(check: str, contract_id: Any, expected: int, actual: int, explanation: str) -> dict[str, Any]:
    return {
        "check": check,
        "contract_id": contract_id,
        "expected_fen": expected,
        "actual_fen": actual,
        "difference_fen": actual - expected,
        "explanation": explanation,
    }


def _ledger_checks(
    f: ContractFunding, recovery: Recovery | None, balances: dict[tuple[str, str], int]
) -> list[tuple[str, int, int]]:
    """(what, from the records, from the ledger) for one contract."""

    def bal(fund: str, account: str) -> int:
        return balances.get((fund, account), 0)

    outstanding = recovery.outstanding_fen if recovery else 0
    return [
        ("tranches_payable", f.payable_fen, -bal("fiscal", "tranches_payable")),
        ("budget_expended", f.paid_fen, bal("fiscal", "budget_expended")),
        ("budget_obligated", f.obligated_fen - f.paid_fen - f.deobligated_fen, bal("fiscal", "budget_obligated")),
        ("provider_cash", f.paid_fen - f.spent_fen("fiscal"), bal("fiscal", "provider_cash")),
        ("donation_cash", f.donation_balance_fen, bal("donation", "donation_cash")),
        ("recovery_receivable", outstanding, bal("fiscal", "recovery_receivable")),
    ]


def reconciliation_of(
    fundings: list[ContractFunding],
    recoveries: dict[Any, Recovery | None],
    appropriations: list[Appropriation],
    ledger_by_contract: dict[str, dict[tuple[str, str], int]],
    totals: dict[tuple[str, str], list[int]],
    today: date,
) -> dict[str, Any]:
    contracts, breaks = [], []
    for f in fundings:
        recovery = recoveries.get(f.id)
        received, spent = f.paid_fen, f.spent_fen("fiscal")
        row: dict[str, Any] = {
            "contract_id": f.id,
            "state": f.state,
            "fiscal": {
                "obligated_fen": f.obligated_fen,
                "paid_fen": received,
                "spent_fen": spent,
                "paid_within_obligation": received <= f.obligated_fen,
                "spent_within_received": spent <= received,
            },
            "donation": {
                "received_fen": f.donations_fen,
                "spent_fen": f.spent_fen("donation"),
                "spent_within_received": f.spent_fen("donation") <= f.donations_fen,
            },
            "recovery": None
            if recovery is None
            else {
                "amount_fen": recovery.amount_fen,
                "collected_fen": recovery.collected_fen,
                "written_off_fen": recovery.written_off_fen,
                "outstanding_fen": recovery.outstanding_fen,
            },
        }
        contracts.append(row)
        if received > f.obligated_fen:
            breaks.append(
                _break(
                    "paid_within_obligation",
                    f.id,
                    f.obligated_fen,
                    received,
                    "payments exceed the obligation; this must never happen",
                )
            )
        if spent > received:
            flagged = [str(x["expenditure_id"]) for x in f.expenditures if "above_money_received" in x["flags"]]
            breaks.append(
                _break(
                    "spent_within_received",
                    f.id,
                    received,
                    spent,
                    "the provider reports more fiscal spending than it has been paid; flagged "
                    f"expenditures: {', '.join(flagged)}",
                )
            )
        over = [line for line, budget in f.budget.items() if f.spent["fiscal"].get(line, 0) > budget]
        for line in sorted(over):
            breaks.append(
                _break(
                    "within_budget_line",
                    f.id,
                    f.budget[line],
                    f.spent["fiscal"][line],
                    f"budget line {line!r} is overspent; its expenditures were flagged over_budget_line",
                )
            )
        if f.committed_fen is None:
            breaks.append(
                _break(
                    "obligation_committed",
                    f.id,
                    f.obligated_fen,
                    0,
                    "the contract was signed without a recorded determination (commitment)",
                )
            )
        elif f.committed_fen != f.obligated_fen:
            breaks.append(
                _break(
                    "obligation_committed",
                    f.id,
                    f.committed_fen,
                    f.obligated_fen,
                    "the signed amount differs from the determined amount; the difference was "
                    "released to (or drawn from) the uncommitted appropriation",
                )
            )
        if f.plan_notes:
            breaks.append(
                _break(
                    "tranche_plan",
                    f.id,
                    f.obligated_fen,
                    sum(t["amount_fen"] for t in f.tranches),
                    "; ".join(f.plan_notes),
                )
            )
        for what, records, ledger in _ledger_checks(f, recovery, ledger_by_contract.get(str(f.id), {})):
            if records != ledger:
                breaks.append(
                    _break(
                        f"ledger_{what}",
                        f.id,
                        records,
                        ledger,
                        "the journal disagrees with the contract's records; investigate before paying",
                    )
                )
    for appropriation in appropriations:
        if not appropriation.announced:
            breaks.append(
                _break(
                    "appropriation_known",
                    None,
                    appropriation.committed_fen,
                    0,
                    f"commitments for call {appropriation.call_id} have no published appropriation",
                )
            )
        elif appropriation.committed_fen > appropriation.amount_fen:
            breaks.append(
                _break(
                    "commitment_within_appropriation",
                    None,
                    appropriation.amount_fen,
                    appropriation.committed_fen,
                    f"call {appropriation.call_id} commits more than its appropriation",
                )
            )
    for fund, (debits, credits) in fund_totals(totals).items():
        if debits != credits:
            breaks.append(_break("journal_balanced", None, debits, credits, f"the {fund} journal does not balance"))
    fiscal = {k: sum(c["fiscal"][k] for c in contracts) for k in ("obligated_fen", "paid_fen", "spent_fen")}
    donation = {k: sum(c["donation"][k] for c in contracts) for k in ("received_fen", "spent_fen")}
    return {
        "as_of": today,
        "totals": {
            "fiscal": {
                **fiscal,
                "appropriated_fen": sum(a.amount_fen for a in appropriations),
                "committed_fen": sum(a.committed_fen for a in appropriations),
            },
            "donation": donation,
        },
        "contracts": contracts,
        "breaks": breaks,
        "reconciled": not breaks,
    }
