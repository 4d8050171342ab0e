"""Exact money: tranche splits in integer fen, and the journal's balance rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.finance.domain import money
from services.finance.domain.journal import JournalEntry, line, pair, problems_with
from services.finance.exceptions import UnbalancedEntry


def test_the_seed_budget_splits_40_30_30_exactly():
    assert money.split(money.yuan(250_000), [40, 30, 30]) == [10_000_000, 7_500_000, 7_500_000]


def test_a_rounding_remainder_goes_to_the_last_tranche():
    assert money.split(100, [33, 33, 34]) == [33, 33, 34]
    assert money.split(10, [33, 33, 34]) == [3, 3, 4]
    assert money.split(25_000_001, [40, 30, 30]) == [10_000_000, 7_500_000, 7_500_001]


@pytest.mark.parametrize(
    "total,percents,problem",
    [
        (-1, [100], "non-negative"),
        (1.5, [100], "whole number"),
        (100, [], "at least one"),
        (100, [40, 30, 20], "90%"),
        (100, [50, 50, 10], "110%"),
        (100, [0, 100], "1 to 100"),
        (100, [-10, 110], "1 to 100"),
        (100, [50.5, 49.5], "whole number"),
    ],
)
def test_plans_that_cannot_be_split_exactly_are_refused(total, percents, problem):
    with pytest.raises(money.PlanProblem, match=problem):
        money.split(total, percents)


@given(
    total=st.integers(min_value=0, max_value=10**13),
    percents=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=10)
    .filter(lambda ps: sum(ps) <= 100)
    .map(lambda ps: ps + ([100 - sum(ps)] if sum(ps) < 100 else [])),
)
def test_any_valid_plan_splits_into_parts_that_add_up_with_the_remainder_last(total, percents):
    parts = money.split(total, percents)
    assert sum(parts) == total and all(isinstance(p, int) and p >= 0 for p in parts)
    assert parts[:-1] == [total * p // 100 for p in percents[:-1]]
    assert parts[-1] - total * percents[-1] // 100 < len(percents)  # the remainder is small


def entry(lines, **kw):
    import uuid
    from datetime import date

    return JournalEntry.post(
        entry_id=uuid.uuid4(),
        entry_date=date(2025, 7, 1),
        kind="test",
        memo="",
        lines=lines,
        source_id=uuid.uuid4(),
        source_version=1,
        reverses=kw.get("reverses"),
        reason=kw.get("reason"),
    )


@pytest.mark.parametrize(
    "lines,problem",
    [
        ([line("fiscal_cash", "fiscal", None, debit=5), line("fund_balance", "fiscal", None, credit=4)], "differ"),
        ([line("fiscal_cash", "fiscal", None, debit=5)], "at least two"),
        (
            [line("fiscal_cash", "fiscal", None, debit=5), line("restricted_donations", "donation", None, credit=5)],
            "differ",
        ),  # balanced overall, but money may not cross from fiscal to donations
        (
            [line("petty_cash", "fiscal", None, debit=5), line("fund_balance", "fiscal", None, credit=5)],
            "unknown account",
        ),
        ([line("fiscal_cash", "fiscal", None, debit=5, credit=5), line("fund_balance", "fiscal", None)], "exactly one"),
        (
            [line("fiscal_cash", "fiscal", None, debit=-5), line("fund_balance", "fiscal", None, credit=-5)],
            "exactly one",
        ),
    ],
)
def test_an_entry_that_does_not_balance_in_each_fund_is_refused(lines, problem):
    assert any(problem in p for p in problems_with(lines))
    with pytest.raises(UnbalancedEntry):
        entry(lines)


def test_a_reversal_entry_needs_a_reason():
    import uuid

    with pytest.raises(UnbalancedEntry, match="reason"):
        entry(pair("fund_balance", "fiscal_cash", 5), reverses=uuid.uuid4(), reason=" ")
    assert entry(pair("fund_balance", "fiscal_cash", 5), reverses=uuid.uuid4(), reason="typo").reason == "typo"


def test_journal_entries_offer_no_way_to_change_them():
    import inspect

    mutators = [
        name
        for name, value in vars(JournalEntry).items()
        if not name.startswith("_") and inspect.isfunction(value) and name != "create_id"
    ]
    assert mutators == []
