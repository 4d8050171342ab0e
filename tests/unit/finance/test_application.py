"""Finance use cases on POPO, SQLite and PostgreSQL alike: the control chain,
payments and every refusal, withholding, recovery, donations, expenditures,
the journal and the reconciliation. Grants events arrive as published contract
fixtures through the shared Consumer (the app, clock and feed fixtures are in
conftest.py)."""

from datetime import date

import pytest

from services.finance.domain import JournalEntry
from services.finance.exceptions import (
    ContractNotFound,
    DonationRefused,
    DuplicateVoucher,
    ExpenditureNotFound,
    ExpenditureRefused,
    PaymentRefused,
    RecoveryNotFound,
    RecoveryRefused,
    TrancheAlreadyPaid,
    TrancheNotFound,
    TrancheNotPayable,
)
from shared.consumer import APPLIED, DUPLICATE
from shared.relay import envelopes_after
from tests.support.finance import GrantsFeed, consumer_for, deliver

T1, T2, T3 = 10_000_000, 7_500_000, 7_500_000


def tranche(app, feed, number):
    return app.get_funding(feed.contract_id)["tranches"][number - 1]


def pay(app, feed, number, voucher=None, **kw):
    t = tranche(app, feed, number)
    return app.pay_tranche(
        t["tranche_id"], amount_fen=kw.pop("amount_fen", t["amount_fen"]), voucher=voucher or f"PV-{number}", **kw
    )


def assert_balanced(app, as_of=None):
    tb = app.trial_balance(as_of or date(2030, 1, 1))
    assert tb["balanced"], tb["funds"]
    return tb


def balance(app, account, fund="fiscal", as_of=date(2030, 1, 1)):
    rows = app.trial_balance(as_of)["accounts"]
    return sum(r["balance_fen"] for r in rows if r["account"] == account and r["fund"] == fund)


def stored_events(app):
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    return [app.mapper.to_domain_event(n) for n in notifications]


def refused_without_effect(app, error, call):
    head = app.head_position()
    with pytest.raises(error) as refused:
        call()
    assert app.head_position() == head
    return refused.value


# -- the chain ---------------------------------------------------------------


def test_seed_amount_splits_40_30_30_and_the_signing_tranche_is_payable(app, feed):
    funding = app.get_funding(feed.contract_id)
    assert [(t["amount_fen"], t["status"]) for t in funding["tranches"]] == [
        (T1, "payable"),
        (T2, "pending"),
        (T3, "pending"),
    ]
    assert funding["fiscal"]["committed_fen"] == funding["fiscal"]["obligated_fen"] == 25_000_000
    assert funding["fiscal"]["payable_fen"] == T1 and funding["fiscal"]["paid_fen"] == 0
    assert funding["tranches"][0]["payable_on"] == date(2025, 7, 1)
    assert_balanced(app)
    assert balance(app, "budget_obligated") == 25_000_000
    assert balance(app, "budget_uncommitted") == 0
    assert -balance(app, "tranches_payable") == T1


def test_paying_the_payable_tranche_records_voucher_cash_and_budget_execution(app, feed):
    paid = pay(app, feed, 1, voucher="PV-2025-001", paid_on=date(2025, 7, 5))
    assert paid["status"] == "paid" and paid["voucher"] == "PV-2025-001"
    funding = app.get_funding(feed.contract_id)
    assert funding["fiscal"]["paid_fen"] == T1 and funding["fiscal"]["payable_fen"] == 0
    assert balance(app, "fiscal_cash") == 25_000_000 - T1
    assert balance(app, "budget_expended") == T1
    assert balance(app, "tranches_payable") == 0
    assert_balanced(app)
    assert app.trial_balance(date(2025, 7, 4))["accounts"] != app.trial_balance(date(2025, 7, 5))["accounts"]
    assert app.reconciliation()["reconciled"] is True


def test_payable_tranches_list_what_awaits_payment_until_paid(app, feed):
    """The finance officer's reminders (GET /me/tasks): a tranche whose gate is met."""
    [due] = app.payable_tranches()
    assert (due["contract_id"], due["number"], due["amount_fen"], due["payable_on"]) == (
        feed.contract_id,
        1,
        T1,
        date(2025, 7, 1),
    )
    assert due["organization_id"] is not None
    pay(app, feed, 1)
    assert app.payable_tranches() == []


def test_a_payment_before_its_gate_is_refused(app, feed):
    error = refused_without_effect(app, TrancheNotPayable, lambda: pay(app, feed, 2))
    assert "mid_term_passed" in str(error.fields)


def test_the_same_tranche_is_never_paid_twice(app, feed):
    pay(app, feed, 1, voucher="PV-1")
    error = refused_without_effect(app, TrancheAlreadyPaid, lambda: pay(app, feed, 1, voucher="PV-1b"))
    assert error.voucher == "PV-1"
    assert app.get_funding(feed.contract_id)["fiscal"]["paid_fen"] == T1


@pytest.mark.parametrize("amount", [T1 + 1, 25_000_001])
def test_a_payment_other_than_the_tranche_or_above_the_obligation_is_refused(app, feed, amount):
    error = refused_without_effect(app, PaymentRefused, lambda: pay(app, feed, 1, amount_fen=amount))
    assert "amount_fen" in error.fields
    if amount > 25_000_000:
        assert "above the obligation" in error.fields["amount_fen"][0]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"paid_on": date(2025, 7, 11)}, "paid_on"),  # tomorrow
        ({"paid_on": date(2025, 6, 30)}, "paid_on"),  # before it was payable
        ({"voucher": "   "}, "voucher"),
        ({"amount_fen": 0}, "amount_fen"),
        ({"amount_fen": -5}, "amount_fen"),
    ],
)
def test_payment_details_are_checked(app, feed, change, field):
    error = refused_without_effect(app, PaymentRefused, lambda: pay(app, feed, 1, **change))
    assert field in error.fields


def test_a_voucher_pays_only_one_tranche(app, feed):
    pay(app, feed, 1, voucher="PV-SAME")
    deliver(app, feed, feed.mid_term(passed=True, on=date(2025, 7, 9)))
    refused_without_effect(app, DuplicateVoucher, lambda: pay(app, feed, 2, voucher="PV-SAME"))


def test_unknown_tranche_contract_and_recovery_are_not_found(app, feed):
    import uuid

    with pytest.raises(TrancheNotFound):
        app.pay_tranche(uuid.uuid4(), amount_fen=1, voucher="x")
    with pytest.raises(TrancheNotFound):  # a contract id is not a tranche id
        app.pay_tranche(feed.contract_id, amount_fen=1, voucher="x")
    with pytest.raises(ContractNotFound):
        app.get_funding(uuid.uuid4())
    with pytest.raises(RecoveryNotFound):
        app.collect_recovery(uuid.uuid4(), amount_fen=1, reference="r")


# -- gates and withholding ----------------------------------------------------


def test_a_failed_mid_term_keeps_tranche_two_unpaid_until_a_later_evaluation_passes(app, feed, clock):
    deliver(app, feed, feed.mid_term(passed=False, on=date(2026, 1, 10)))
    clock.today = date(2026, 2, 1)
    t2 = tranche(app, feed, 2)
    assert t2["status"] == "withheld" and "mid-term" in t2["withheld_reason"]
    refused_without_effect(app, TrancheNotPayable, lambda: pay(app, feed, 2))
    deliver(app, feed, feed.mid_term(passed=True, on=date(2026, 3, 1)))
    clock.today = date(2026, 3, 2)
    assert tranche(app, feed, 2)["status"] == "payable"
    assert pay(app, feed, 2)["status"] == "paid"
    assert_balanced(app)


@pytest.mark.parametrize("order", ["completion_first", "evaluation_first"])
def test_the_last_tranche_needs_completion_and_a_passed_effectiveness_evaluation(app, feed, clock, order):
    clock.today = date(2026, 8, 1)
    first, second = (
        (feed.completed(), feed.effectiveness())
        if order == "completion_first"
        else (feed.effectiveness(), feed.completed())
    )
    deliver(app, feed, first)
    assert tranche(app, feed, 3)["status"] == "pending"
    refused_without_effect(app, TrancheNotPayable, lambda: pay(app, feed, 3))
    deliver(app, feed, second)
    assert tranche(app, feed, 3)["status"] == "payable"
    pay(app, feed, 3)
    assert_balanced(app)


def test_a_failed_effectiveness_evaluation_withholds_the_last_tranche(app, feed, clock):
    clock.today = date(2026, 8, 1)
    deliver(app, feed, feed.completed(), feed.effectiveness(passed=False))
    assert tranche(app, feed, 3)["status"] == "withheld"
    refused_without_effect(app, TrancheNotPayable, lambda: pay(app, feed, 3))


def test_suspension_withholds_unpaid_tranches_until_reinstatement(app, feed, clock):
    deliver(app, feed, feed.suspended(on=date(2025, 7, 8)))
    funding = app.get_funding(feed.contract_id)
    assert funding["state"] == "suspended"
    assert [t["status"] for t in funding["tranches"]] == ["withheld"] * 3
    assert balance(app, "tranches_payable") == 0  # the payable was withdrawn, not left owing
    refused_without_effect(app, TrancheNotPayable, lambda: pay(app, feed, 1))
    deliver(app, feed, feed.mid_term(passed=True, on=date(2025, 7, 9)))
    assert tranche(app, feed, 2)["status"] == "withheld"  # a gate met while suspended pays nothing
    deliver(app, feed, feed.reinstated(on=date(2025, 7, 10)))
    assert [t["status"] for t in app.get_funding(feed.contract_id)["tranches"]] == ["payable", "payable", "pending"]
    pay(app, feed, 1)
    pay(app, feed, 2)
    assert_balanced(app)
    assert app.reconciliation()["reconciled"] is True


def test_termination_withholds_for_ever_and_raises_a_recovery_of_all_fiscal_money_paid(app, feed, clock):
    pay(app, feed, 1, paid_on=date(2025, 7, 5))
    clock.today = date(2026, 2, 1)
    deliver(app, feed, feed.mid_term(passed=True, on=date(2026, 1, 10)))
    pay(app, feed, 2)
    deliver(app, feed, feed.terminated(on=date(2026, 1, 20), recovery_fen=None), feed.reinstated(on=date(2026, 1, 25)))
    funding = app.get_funding(feed.contract_id)
    assert funding["state"] == "terminated"
    assert funding["tranches"][2]["status"] == "withheld"
    assert funding["fiscal"]["deobligated_fen"] == T3
    assert funding["owed_back"]["amount_fen"] == T1 + T2 and funding["owed_back"]["basis"] == "all_fiscal_paid"
    refused_without_effect(app, TrancheNotPayable, lambda: pay(app, feed, 3))
    assert balance(app, "recovery_receivable") == T1 + T2
    assert balance(app, "budget_obligated") == 0
    [row] = app.list_recoveries()[0]
    assert row["outstanding_fen"] == T1 + T2 and row["age_days"] == 12


def test_the_termination_decision_may_set_the_recovery(app, feed):
    pay(app, feed, 1)
    deliver(app, feed, feed.terminated(on=date(2025, 7, 8), recovery_fen=3_000_000))
    assert app.get_funding(feed.contract_id)["owed_back"]["amount_fen"] == 3_000_000
    assert app.get_funding(feed.contract_id)["owed_back"]["basis"] == "decision"


def test_termination_before_any_payment_raises_nothing_to_recover(app, feed):
    deliver(app, feed, feed.terminated(on=date(2025, 7, 8)))
    assert app.get_funding(feed.contract_id)["owed_back"] is None
    assert app.list_recoveries(status="all")[0] == []
    assert balance(app, "budget_obligated") == 0 and balance(app, "tranches_payable") == 0
    assert_balanced(app)


# -- recovery -----------------------------------------------------------------


@pytest.fixture
def recovery_id(app, feed, clock):
    pay(app, feed, 1)
    deliver(app, feed, feed.terminated(on=date(2025, 7, 8)))
    return app.list_recoveries()[0][0]["recovery_id"]


def test_collections_reduce_the_receivable_until_settled(app, recovery_id, clock):
    after = app.collect_recovery(recovery_id, amount_fen=4_000_000, reference="BANK-1")
    assert after["outstanding_fen"] == T1 - 4_000_000 and after["status"] == "open"
    app.collect_recovery(recovery_id, amount_fen=T1 - 4_000_000, reference="BANK-2")
    assert app.list_recoveries()[0] == []
    [settled] = app.list_recoveries(status="settled")[0]
    assert settled["collected_fen"] == T1
    assert balance(app, "recovery_receivable") == 0
    assert balance(app, "fiscal_cash") == 25_000_000
    assert app.reconciliation()["reconciled"] is True


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"amount_fen": T1 + 1, "reference": "B"}, "amount_fen"),
        ({"amount_fen": 0, "reference": "B"}, "amount_fen"),
        ({"amount_fen": 5, "reference": " "}, "reference"),
        ({"amount_fen": 5, "reference": "B", "collected_on": date(2025, 7, 11)}, "collected_on"),
        ({"amount_fen": 5, "reference": "B", "collected_on": date(2025, 7, 7)}, "collected_on"),
    ],
)
def test_collections_are_checked(app, recovery_id, kwargs, field):
    error = refused_without_effect(app, RecoveryRefused, lambda: app.collect_recovery(recovery_id, **kwargs))
    assert field in error.fields


def test_the_same_collection_is_not_recorded_twice(app, recovery_id):
    app.collect_recovery(recovery_id, amount_fen=5, reference="BANK-1")
    refused_without_effect(
        app, RecoveryRefused, lambda: app.collect_recovery(recovery_id, amount_fen=5, reference="BANK-1")
    )


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"reason": "", "approver": "director-wang"}, "reason"),
        ({"reason": "organisation dissolved", "approver": "  "}, "approver"),
        ({"reason": "organisation dissolved", "approver": "director-wang", "amount_fen": T1 + 1}, "amount_fen"),
    ],
)
def test_a_write_off_needs_a_reason_an_approver_and_an_outstanding_amount(app, recovery_id, kwargs, field):
    error = refused_without_effect(app, RecoveryRefused, lambda: app.write_off_recovery(recovery_id, **kwargs))
    assert field in error.fields


def test_an_approved_write_off_settles_the_rest_and_records_who_and_why(app, recovery_id):
    app.collect_recovery(recovery_id, amount_fen=1_000_000, reference="BANK-1")
    done = app.write_off_recovery(recovery_id, reason="organisation dissolved", approver="director-wang")
    assert done["written_off_fen"] == T1 - 1_000_000 and done["status"] == "settled"
    assert balance(app, "recovery_written_off") == T1 - 1_000_000
    refused_without_effect(
        app, RecoveryRefused, lambda: app.write_off_recovery(recovery_id, reason="again", approver="director-wang")
    )
    events = [e for e in stored_events(app) if type(e).__name__ == "WrittenOff"]
    assert events[0].reason == "organisation dissolved" and events[0].approver == "director-wang"


# -- donations and expenditures -----------------------------------------------


def test_designated_donations_are_kept_apart_and_spent_only_within_their_balance(app, feed):
    app.receive_donation(
        feed.contract_id, receipt="R-1", donor="中卫爱心企业", amount_fen=500_000, received_on=date(2025, 7, 6)
    )
    spent = app.record_expenditure(
        feed.contract_id,
        budget_line="activities",
        fund="donation",
        amount_fen=300_000,
        voucher="D-1",
        spent_on=date(2025, 7, 7),
    )
    assert spent["flags"] == []  # donations do not need fiscal money received
    error = refused_without_effect(
        app,
        ExpenditureRefused,
        lambda: app.record_expenditure(
            feed.contract_id,
            budget_line="activities",
            fund="donation",
            amount_fen=200_001,
            voucher="D-2",
            spent_on=date(2025, 7, 7),
        ),
    )
    assert "amount_fen" in error.fields
    funding = app.get_funding(feed.contract_id)
    assert funding["donation"] == {"received_fen": 500_000, "spent_fen": 300_000, "balance_fen": 200_000}
    assert funding["fiscal"]["spent_fen"] == 0 and funding["fiscal"]["paid_fen"] == 0
    tb = assert_balanced(app)
    assert tb["funds"]["donation"]["debit_fen"] == 800_000
    assert balance(app, "donation_cash", fund="donation") == 200_000
    assert balance(app, "fiscal_cash") == 25_000_000  # untouched by donations


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"donor": " ", "amount_fen": 5}, "donor"),
        ({"donor": "x", "amount_fen": 0}, "amount_fen"),
        ({"donor": "x", "amount_fen": 5, "received_on": date(2025, 7, 11)}, "received_on"),
        ({"donor": "x", "amount_fen": 5, "receipt": " "}, "receipt"),
    ],
)
def test_donation_details_are_checked(app, feed, kwargs, field):
    kwargs = {"receipt": "R-1", **kwargs}
    error = refused_without_effect(app, DonationRefused, lambda: app.receive_donation(feed.contract_id, **kwargs))
    assert field in error.fields


def test_a_donation_receipt_is_recorded_once(app, feed):
    app.receive_donation(feed.contract_id, donor="x", amount_fen=5, receipt="R-1")
    refused_without_effect(
        app, DuplicateVoucher, lambda: app.receive_donation(feed.contract_id, donor="x", amount_fen=5, receipt="R-1")
    )


def test_donations_to_an_unknown_or_terminated_project_are_refused(app, feed):
    import uuid

    with pytest.raises(ContractNotFound):
        app.receive_donation(uuid.uuid4(), donor="x", amount_fen=5, receipt="R-0")
    deliver(app, feed, feed.terminated(on=date(2025, 7, 8)))
    refused_without_effect(
        app, DonationRefused, lambda: app.receive_donation(feed.contract_id, receipt="R-2", donor="x", amount_fen=5)
    )


def test_over_budget_and_above_received_spending_is_flagged_not_silently_accepted(app, feed):
    pay(app, feed, 1)
    ok = app.record_expenditure(
        feed.contract_id,
        budget_line="supervision",
        fund="fiscal",
        amount_fen=2_000_000,
        voucher="E-1",
        spent_on=date(2025, 7, 8),
    )
    assert ok["flags"] == []
    over = app.record_expenditure(
        feed.contract_id,
        budget_line="supervision",
        fund="fiscal",
        amount_fen=1_500_000,
        voucher="E-2",
        spent_on=date(2025, 7, 8),
    )
    assert over["flags"] == ["over_budget_line"]
    above = app.record_expenditure(
        feed.contract_id,
        budget_line="staff",
        fund="fiscal",
        amount_fen=7_000_000,
        voucher="E-3",
        spent_on=date(2025, 7, 9),
    )
    assert above["flags"] == ["above_money_received"]
    funding = app.get_funding(feed.contract_id)
    assert [x["voucher"] for x in funding["flagged_expenditures"]] == ["E-2", "E-3"]
    assert {line["line"]: line["over_budget"] for line in funding["budget_lines"]}["supervision"] is True
    checks = {b["check"] for b in app.reconciliation()["breaks"]}
    assert checks == {"within_budget_line", "spent_within_received"}
    assert_balanced(app)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"budget_line": "travel abroad"}, "budget_line"),
        ({"fund": "lottery"}, "fund"),
        ({"amount_fen": 0}, "amount_fen"),
        ({"voucher": ""}, "voucher"),
        ({"spent_on": date(2025, 7, 11)}, "spent_on"),
        ({"spent_on": date(2025, 6, 1)}, "spent_on"),
    ],
)
def test_expenditure_details_are_checked(app, feed, kwargs, field):
    request = {
        "budget_line": "staff",
        "fund": "fiscal",
        "amount_fen": 100,
        "voucher": "E-9",
        "spent_on": date(2025, 7, 8),
        **kwargs,
    }
    error = refused_without_effect(app, ExpenditureRefused, lambda: app.record_expenditure(feed.contract_id, **request))
    assert field in error.fields


def test_an_expenditure_voucher_is_recorded_once(app, feed):
    app.record_expenditure(feed.contract_id, budget_line="staff", fund="fiscal", amount_fen=100, voucher="E-1")
    refused_without_effect(
        app,
        DuplicateVoucher,
        lambda: app.record_expenditure(
            feed.contract_id, budget_line="admin", fund="fiscal", amount_fen=100, voucher="E-1"
        ),
    )


# -- journal, corrections, publishing -----------------------------------------


def test_a_payment_is_corrected_only_by_a_reversal_with_a_reason(app, feed):
    pay(app, feed, 1, voucher="PV-WRONG")
    error = refused_without_effect(
        app, PaymentRefused, lambda: app.reverse_payment(tranche(app, feed, 1)["tranche_id"], reason="  ")
    )
    assert "reason" in error.fields
    reversed_ = app.reverse_payment(tranche(app, feed, 1)["tranche_id"], reason="paid to the wrong account")
    assert reversed_["status"] == "payable"
    assert balance(app, "budget_expended") == 0 and balance(app, "fiscal_cash") == 25_000_000
    entries = [e for e in stored_events(app) if isinstance(e, JournalEntry.Posted)]
    [reversal] = [e for e in entries if e.reverses is not None]
    [original] = [e for e in entries if e.kind == "tranche_paid"]
    assert reversal.reverses == original.originator_id and reversal.reason == "paid to the wrong account"
    pay(app, feed, 1, voucher="PV-RIGHT")
    assert tranche(app, feed, 1)["voucher"] == "PV-RIGHT"
    assert_balanced(app)


def test_spending_is_corrected_only_by_a_reversal_with_a_reason(app, feed):
    import uuid

    app.receive_donation(feed.contract_id, donor="x", amount_fen=1_000, receipt="R-9")
    spent = app.record_expenditure(
        feed.contract_id, budget_line="staff", fund="donation", amount_fen=1_000, voucher="E-WRONG"
    )
    x = spent["expenditure_id"]
    error = refused_without_effect(
        app, ExpenditureRefused, lambda: app.reverse_expenditure(feed.contract_id, x, reason="")
    )
    assert "reason" in error.fields
    with pytest.raises(ExpenditureNotFound):
        app.reverse_expenditure(feed.contract_id, uuid.uuid4(), reason="typo")
    assert app.reverse_expenditure(feed.contract_id, x, reason="charged to the wrong project")["reversed"] is True
    refused_without_effect(
        app, ExpenditureRefused, lambda: app.reverse_expenditure(feed.contract_id, x, reason="again")
    )
    funding = app.get_funding(feed.contract_id)
    assert funding["donation"]["balance_fen"] == 1_000
    # the funding lists every expenditure (not only the flagged), so the screen can offer the reversal
    assert [(e["voucher"], e["reversed"]) for e in funding["expenditures"]] == [("E-WRONG", True)]
    refused_without_effect(
        app,
        DuplicateVoucher,
        lambda: app.record_expenditure(
            feed.contract_id, budget_line="staff", fund="donation", amount_fen=1, voucher="E-WRONG"
        ),
    )
    [reversal] = [e for e in stored_events(app) if isinstance(e, JournalEntry.Posted) and e.reverses]
    assert reversal.kind == "expenditure_reversal" and reversal.reason == "charged to the wrong project"
    assert_balanced(app)
    assert app.reconciliation()["reconciled"] is True


def test_the_journal_lists_every_entry_in_posting_order_by_page_and_date(app, feed):
    pay(app, feed, 1, paid_on=date(2025, 7, 5))
    entries = app.journal(limit=100)[0]
    kinds = [e["kind"] for e in entries]
    assert kinds == ["appropriation", "commitment", "obligation", "tranche_payable", "tranche_paid"]
    assert [e["sequence"] for e in entries] == [1, 2, 3, 4, 5]
    assert app.journal(after=2, limit=2)[0] == entries[2:4]
    assert [e["kind"] for e in app.journal(since=date(2025, 7, 2))[0]] == ["tranche_paid"]
    assert [e["kind"] for e in app.journal(until=date(2025, 6, 30))[0]] == ["appropriation", "commitment"]
    paid = entries[-1]
    assert sum(ln["debit_fen"] for ln in paid["lines"]) == sum(ln["credit_fen"] for ln in paid["lines"]) == 3 * T1
    assert paid["source_id"] == feed.contract_id


def test_every_public_event_honours_its_published_contract(app, feed, clock):
    clock.today = date(2026, 8, 1)
    pay(app, feed, 1)
    app.receive_donation(feed.contract_id, receipt="R-3", donor="x", amount_fen=100)
    app.record_expenditure(feed.contract_id, budget_line="staff", fund="fiscal", amount_fen=100, voucher="E")
    deliver(app, feed, feed.mid_term(passed=False), feed.terminated(on=date(2026, 2, 1)))
    recovery_id = app.list_recoveries()[0][0]["recovery_id"]
    app.collect_recovery(recovery_id, amount_fen=100, reference="B")
    app.write_off_recovery(recovery_id, reason="r", approver="a")
    envelopes, _ = envelopes_after(app, app.public_events, 0, 1000, previous=0)  # validates each one
    assert {e["type"] for e in envelopes} == {
        "finance.tranche_payable.v1",
        "finance.tranche_paid.v1",
        "finance.tranche_withheld.v1",
        "finance.donation_received.v1",
        "finance.expenditure_recorded.v1",
        "finance.recovery_raised.v1",
        "finance.recovery_collected.v1",
        "finance.recovery_written_off.v1",
    }


# -- consuming grants ---------------------------------------------------------


def test_duplicated_grants_events_pay_nothing_twice(app, feed):
    consumer = consumer_for(app, feed)
    mid = feed.mid_term(passed=True)
    assert consumer.receive(mid) == APPLIED
    assert consumer.receive(mid) == DUPLICATE
    head = app.head_position()
    # the same facts published again under new notification ids change nothing either
    assert (
        deliver(app, feed, feed.signed(), feed.determined(), feed.call_published(), feed.mid_term(passed=True))
        == [APPLIED] * 4
    )
    assert app.head_position() == head
    funding = app.get_funding(feed.contract_id)
    assert funding["fiscal"]["obligated_fen"] == 25_000_000 and funding["fiscal"]["committed_fen"] == 25_000_000
    assert funding["fiscal"]["payable_fen"] == T1 + T2
    assert balance(app, "appropriations") == -25_000_000


def test_a_lost_grants_event_is_pulled_before_a_later_one_applies(app):
    grants = GrantsFeed()
    published, determined, signed = grants.signed_up_to_contract()
    assert consumer_for(app, grants).receive(signed) == APPLIED  # the first two were lost on the way
    assert app.get_funding(grants.contract_id)["fiscal"]["committed_fen"] == 25_000_000
    assert app.reconciliation()["reconciled"] is True


def test_a_plan_that_does_not_add_up_to_100_percent_pays_nothing(app):
    grants = GrantsFeed(plan=[(1, 40, "signing"), (2, 30, "mid_term_passed"), (3, 20, "final_passed")])
    deliver(app, grants, *grants.signed_up_to_contract())
    funding = app.get_funding(grants.contract_id)
    assert funding["plan_valid"] is False and "90%" in funding["plan_notes"][0]
    assert all(t["status"] == "pending" for t in funding["tranches"])
    error = refused_without_effect(app, TrancheNotPayable, lambda: pay(app, grants, 1))
    assert "plan is invalid" in str(error.fields)
    assert "tranche_plan" in {b["check"] for b in app.reconciliation()["breaks"]}


def test_a_remainder_goes_to_the_last_tranche_even_if_grants_stated_otherwise(app):
    grants = GrantsFeed(amount_fen=25_000_001)
    deliver(
        app, grants, grants.call_published(), grants.determined(), grants.signed(stated={1: 10_000_001, 3: 7_500_000})
    )
    funding = app.get_funding(grants.contract_id)
    assert [t["amount_fen"] for t in funding["tranches"]] == [10_000_000, 7_500_000, 7_500_001]
    assert any("grants stated 10000001" in note for note in funding["plan_notes"])


def test_signing_above_the_commitment_and_without_an_appropriation_is_explained(app):
    grants = GrantsFeed()
    deliver(app, grants, grants.determined(amount_fen=24_000_000), grants.signed())
    assert_balanced(app)
    checks = {b["check"]: b for b in app.reconciliation()["breaks"]}
    assert checks["obligation_committed"]["difference_fen"] == 1_000_000
    assert "appropriation_known" in checks


def test_a_voided_determination_releases_its_commitment_once(app):
    grants = GrantsFeed()
    deliver(app, grants, grants.call_published(), grants.determined())
    assert balance(app, "budget_committed") == grants.amount_fen
    voided = grants.voided()
    assert deliver(app, grants, voided, voided) == [APPLIED, DUPLICATE]
    assert balance(app, "budget_committed") == 0
    assert balance(app, "budget_uncommitted") == grants.amount_fen
    assert_balanced(app)
    # A stray repeat of the old determination does not commit the money again.
    again = grants.determined()
    assert deliver(app, grants, again) == [APPLIED]
    assert balance(app, "budget_committed") == 0
