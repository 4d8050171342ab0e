"""Recovery follows the reason (seed 七.(一), 七.(三)): a sanction recovers all
fiscal money paid; a force-majeure termination without fault recovers only the
paid money that is neither spent nor covered by the services the bureau decided
were delivered; the old contract version is still understood."""

from datetime import date

import pytest

from services.finance.domain.recovery import unspent_undelivered_fen
from shared.consumer import APPLIED
from tests.support.finance import deliver

T1 = 10_000_000  # the signing tranche, 40% of 25万元


def pay_signing_tranche(app, feed):
    t = app.get_funding(feed.contract_id)["tranches"][0]
    app.pay_tranche(t["tranche_id"], amount_fen=t["amount_fen"], voucher="PV-1", paid_on=date(2025, 7, 5))


def spend(app, feed, amount_fen, voucher="EX-1"):
    app.record_expenditure(
        feed.contract_id,
        budget_line="staff",
        fund="fiscal",
        amount_fen=amount_fen,
        voucher=voucher,
        spent_on=date(2025, 7, 8),
    )


@pytest.mark.parametrize(
    "paid,spent,delivered,owed",
    [
        (T1, 4_000_000, 3_000_000, 6_000_000),  # spending covers more than was delivered
        (T1, 2_000_000, 5_000_000, 5_000_000),  # delivered services not yet booked as spent are kept
        (T1, 0, 0, T1),  # nothing spent or delivered: all of it returns
        (T1, 4_000_000, 12_000_000, 0),  # delivered more than was paid: nothing to recover
        (0, 0, 3_000_000, 0),
    ],
)
def test_without_fault_recovers_only_the_unspent_undelivered_part(paid, spent, delivered, owed):
    assert unspent_undelivered_fen(paid, spent, delivered) == owed


def test_a_force_majeure_termination_recovers_the_unspent_undelivered_part(app, feed):
    pay_signing_tranche(app, feed)
    spend(app, feed, 4_000_000)
    assert deliver(app, feed, feed.terminated_without_fault(delivered_fen=3_000_000)) == [APPLIED]
    owed = app.get_funding(feed.contract_id)["owed_back"]
    assert (owed["amount_fen"], owed["basis"]) == (T1 - 4_000_000, "unspent_undelivered")
    [row] = app.list_recoveries()[0]
    assert (row["reason"], row["basis"], row["outstanding_fen"]) == ("force_majeure", "unspent_undelivered", 6_000_000)
    assert app.get_funding(feed.contract_id)["state"] == "terminated"


def test_a_force_majeure_termination_with_everything_delivered_raises_nothing(app, feed):
    pay_signing_tranche(app, feed)
    deliver(app, feed, feed.terminated_without_fault(delivered_fen=T1))
    assert app.get_funding(feed.contract_id)["owed_back"] is None
    assert app.list_recoveries(status="all")[0] == []


@pytest.mark.parametrize("reason", ["false_materials", "improper_means", "prior_sanction"])
def test_every_sanction_recovers_all_fiscal_money_paid_whatever_was_spent(app, feed, reason):
    pay_signing_tranche(app, feed)
    spend(app, feed, 4_000_000)
    deliver(app, feed, feed.terminated_v2(reason=reason, basis="以不正当手段参与申报"))
    owed = app.get_funding(feed.contract_id)["owed_back"]
    assert (owed["amount_fen"], owed["basis"]) == (T1, "all_fiscal_paid")


def test_a_decided_recovery_in_v2_is_the_amount_decided(app, feed):
    pay_signing_tranche(app, feed)
    deliver(app, feed, feed.terminated_v2(reason="misuse", recovery_rule="decided", recovery_fen=2_500_000))
    owed = app.get_funding(feed.contract_id)["owed_back"]
    assert (owed["amount_fen"], owed["basis"]) == (2_500_000, "decision")


def test_the_v1_termination_is_still_understood(app, feed):
    pay_signing_tranche(app, feed)
    deliver(app, feed, feed.terminated(recovery_fen=None))
    assert app.get_funding(feed.contract_id)["owed_back"]["amount_fen"] == T1


def test_a_repeated_termination_raises_one_recovery(app, feed):
    pay_signing_tranche(app, feed)
    deliver(app, feed, feed.terminated_without_fault(delivered_fen=0))
    deliver(app, feed, feed.terminated_v2(reason="improper_means"))
    [row] = app.list_recoveries(status="all")[0]
    assert (row["amount_fen"], row["basis"]) == (T1, "unspent_undelivered")
