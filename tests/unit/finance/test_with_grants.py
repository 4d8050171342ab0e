"""Finance consuming what the real grants application publishes (not fixtures):
the seed contract is signed, evaluated and completed in grants, its public
events are pulled through grants' own relay code, and finance pays 40/30/30.
Guards the grants → finance contract from both sides."""

from datetime import date

import pytest

from services.finance.application import FinanceApplication
from services.grants.application import GrantsApplication
from shared.relay import envelopes_after
from tests.support.feeds import dev_consumer, dev_signer
from tests.support.grants import FULL_PANEL, PASSING, Clock, accept_report, active_contract, mid_term_passed


@pytest.fixture
def clock():
    return Clock(date(2025, 5, 10))


@pytest.fixture
def apps(make_app, clock):  # noqa: F811
    grants, finance = make_app(GrantsApplication), make_app(FinanceApplication)
    grants.clock = finance.clock = clock
    consumer = dev_consumer(
        finance,
        "grants",
        finance.handle_grants_event,
        lambda after, limit: envelopes_after(grants, grants.public_events, after, limit, None, dev_signer("grants")),
    )
    return grants, finance, consumer


def tranches(finance, contract_id):
    return finance.get_funding(contract_id)["tranches"]


def pay(finance, contract_id, number, voucher):
    t = tranches(finance, contract_id)[number - 1]
    return finance.pay_tranche(t["tranche_id"], amount_fen=t["amount_fen"], voucher=voucher)


def test_the_seed_contract_from_grants_is_paid_40_30_30_as_its_gates_are_met(apps, clock):
    grants, finance, consumer = apps
    contract = active_contract(grants, clock)
    consumer.catch_up()
    funding = finance.get_funding(contract)
    assert funding["fiscal"]["committed_fen"] == funding["fiscal"]["obligated_fen"] == 25_000_000
    assert [(t["amount_fen"], t["status"]) for t in funding["tranches"]] == [
        (10_000_000, "payable"),
        (7_500_000, "pending"),
        (7_500_000, "pending"),
    ]
    pay(finance, contract, 1, "PV-1")

    mid_term_passed(grants, clock, contract)
    consumer.catch_up()
    pay(finance, contract, 2, "PV-2")

    accept_report(grants, clock, contract, 2026, 1)
    accept_report(grants, clock, contract, 2026, 2)
    clock.today = date(2026, 7, 5)
    grants.complete_contract(contract, final_report="总结报告")
    grants.record_evaluation(contract, "effectiveness", PASSING, evaluators=FULL_PANEL)
    consumer.catch_up()
    pay(finance, contract, 3, "PV-3")

    funding = finance.get_funding(contract)
    assert funding["fiscal"]["paid_fen"] == 25_000_000
    assert finance.trial_balance()["balanced"] is True
    assert finance.reconciliation()["reconciled"] is True
    assert consumer.catch_up() == 0  # nothing left, nothing twice


def test_a_contract_grants_terminates_is_owed_back(apps, clock):
    grants, finance, consumer = apps
    contract = active_contract(grants, clock)
    consumer.catch_up()
    pay(finance, contract, 1, "PV-1")
    grants.terminate_contract(contract, reason="false_materials", details="伪造年检结论")
    consumer.catch_up()
    funding = finance.get_funding(contract)
    assert funding["state"] == "terminated"
    assert funding["owed_back"]["amount_fen"] == 10_000_000
    assert [t["status"] for t in funding["tranches"]] == ["paid", "withheld", "withheld"]


def test_a_force_majeure_termination_in_grants_recovers_only_the_unspent_undelivered_part(apps, clock):
    grants, finance, consumer = apps
    contract = active_contract(grants, clock)
    consumer.catch_up()
    pay(finance, contract, 1, "PV-1")
    finance.record_expenditure(contract, budget_line="personnel", fund="fiscal", amount_fen=4_000_000, voucher="EX-1")
    clock.today = date(2025, 9, 1)
    report = grants.report_force_majeure(contract, event="洪水", impact="走访中断", proposed_action="terminate")
    grants.decide_force_majeure(
        contract, report, decision="terminate_without_fault", basis="不可抗力，无过错终止", delivered_fen=3_000_000
    )
    consumer.catch_up()
    owed = finance.get_funding(contract)["owed_back"]
    assert (owed["amount_fen"], owed["basis"]) == (10_000_000 - 4_000_000, "unspent_undelivered")


def test_improper_means_in_grants_recovers_all_paid_whatever_was_spent(apps, clock):
    grants, finance, consumer = apps
    contract = active_contract(grants, clock)
    consumer.catch_up()
    pay(finance, contract, 1, "PV-1")
    finance.record_expenditure(contract, budget_line="personnel", fund="fiscal", amount_fen=4_000_000, voucher="EX-1")
    grants.terminate_contract(contract, reason="improper_means", details="以不正当手段虚假参与申报")
    consumer.catch_up()
    owed = finance.get_funding(contract)["owed_back"]
    assert (owed["amount_fen"], owed["basis"]) == (10_000_000, "all_fiscal_paid")


def test_the_contracts_money_comes_from_the_hardship_relief_appropriation(apps, clock):
    """卫沙民社函〔2025〕11号 §六.(一): 项目资金由困难群众救助金支付 — the funding source
    is on the call's appropriation and shown with the contract's funding."""
    grants, finance, consumer = apps
    contract = active_contract(grants, clock)
    consumer.catch_up()
    funding = finance.get_funding(contract)
    appropriation = funding["appropriation"]
    assert (appropriation["source"], appropriation["source_name"]) == ("hardship_relief", "困难群众救助补助资金")
    assert appropriation["call_id"] == funding["call_id"] and appropriation["announced"] is True
    assert appropriation["committed_fen"] == 25_000_000 <= appropriation["amount_fen"]
