"""The notice's implementation-stage rules through the grants application, on
every store: the contract term (三.(一), 五.(三)), the 七.(一) sanctions, and the
bureau's decision on a force-majeure report (七.(三)) — each refusing what it
must and storing nothing when it does, and publishing what finance recovers by."""

from datetime import date

import pytest

from services.grants.exceptions import GrantsRuleViolation, WrongState
from services.grants.publishing import public_event
from tests.support.grants import CONTRACT_TERMS, active_contract, determined, refused


def public(grants) -> list[tuple[str, dict]]:
    out = []
    for n in grants.recorder.select_notifications(start=1, limit=10_000):
        found = public_event(grants.mapper.to_domain_event(n))
        if found:
            out.append(found)
    return out


@pytest.fixture
def contract(grants, clock):
    return active_contract(grants, clock)


def fm_report(grants, clock, contract):
    clock.today = date(2025, 9, 1)
    return grants.report_force_majeure(
        contract, event="暴雨洪水", impact="三个村道路中断，走访无法开展", proposed_action="terminate"
    )


# -- the term: one year within the call's implementation window ---------------


@pytest.mark.parametrize(
    "period,field",
    [
        ((date(2025, 7, 1), date(2026, 3, 31)), "period_end"),  # not a year
        ((date(2025, 6, 1), date(2026, 5, 31)), "period_start"),  # before the window
        ((date(2025, 9, 1), date(2026, 8, 31)), "period_end"),  # after the window
    ],
)
def test_signing_refuses_a_term_that_is_not_one_year_in_the_window(grants, clock, period, field):
    _, application = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    start, end = period
    terms = {**CONTRACT_TERMS, "period_start": start, "period_end": end}
    refused(grants, GrantsRuleViolation, field, grants.sign_contract, application, **terms)
    refused(grants, GrantsRuleViolation, field, grants.sign_contract, application, **terms, term_reason=" ")


def test_the_bureau_may_sign_a_departing_term_with_its_reason_on_record(grants, clock):
    _, application = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    contract = grants.sign_contract(
        application,
        **{**CONTRACT_TERMS, "period_end": date(2026, 3, 31)},
        term_reason="区民社局决定：首年试点九个月",
    )
    exception = grants.get_contract(contract)["term_exception"]
    assert exception["reason"] == "区民社局决定：首年试点九个月"
    assert exception["recorded_on"] == date(2025, 6, 28)
    assert exception["departures"][0].startswith("period_end: the contract runs one year")


def test_the_notice_s_own_term_needs_no_reason(grants, contract):
    assert grants.get_contract(contract)["term_exception"] is None


# -- 七.(一): each sanction bans, recovers all paid and is published -----------


@pytest.mark.parametrize("reason", ["false_materials", "improper_means", "prior_sanction"])
def test_each_sanction_terminates_bans_for_three_years_and_recovers_all_paid(grants, clock, contract, reason):
    clock.today = date(2025, 11, 20)
    refused(
        grants,
        GrantsRuleViolation,
        "recovery_fen",
        grants.terminate_contract,
        contract,
        reason=reason,
        details="以不正当手段虚假参与申报",
        recovery_fen=1_000_000,
    )
    grants.terminate_contract(contract, reason=reason, details="以不正当手段虚假参与申报")
    found = grants.get_contract(contract)
    assert found["status"] == "terminated" and found["termination"]["recovery_rule"] == "all_paid"
    [ban] = grants.list_bans(limit=5, after=None)
    assert (ban["organization_id"], ban["banned_until"], ban["in_force"]) == (
        found["organization_id"],
        date(2028, 11, 20),
        True,
    )
    assert ban["reason"] == f"{reason}: 以不正当手段虚假参与申报"
    (terminated, payload), (banned, _) = public(grants)[-2:]
    assert (terminated, banned) == ("grants.contract_terminated.v2", "grants.organization_banned.v1")
    assert (payload["reason"], payload["recovery_rule"], payload["recovery_fen"]) == (reason, "all_paid", None)


def test_misuse_is_not_a_sanction_and_bans_no_one(grants, clock, contract):
    clock.today = date(2025, 11, 20)
    grants.terminate_contract(contract, reason="misuse", details="挪用项目资金")
    assert grants.list_bans(limit=5, after=None) == []


# -- 七.(三): the bureau decides a force-majeure report ------------------------


def test_a_fault_termination_is_refused_while_a_force_majeure_report_awaits_its_decision(grants, clock, contract):
    fm_report(grants, clock, contract)
    refused(
        grants,
        GrantsRuleViolation,
        "force_majeure",
        grants.terminate_contract,
        contract,
        reason="other",
        details="无法继续履行",
    )


def test_accepting_a_report_adjusts_scope_and_term_with_its_basis(grants, clock, contract):
    report = fm_report(grants, clock, contract)
    refused(
        grants,
        GrantsRuleViolation,
        "service_lines",
        grants.decide_force_majeure,
        contract,
        report,
        decision="accept",
        basis="x",
        service_lines=["karaoke"],
    )
    grants.decide_force_majeure(
        contract,
        report,
        decision="accept",
        basis="受灾村暂停生活关爱，其余照常",
        period_end=date(2026, 3, 31),
        service_lines=["screening_and_files", "safety_education"],
    )
    found = grants.get_contract(contract)
    assert (found["period_end"], found["service_lines"], found["status"]) == (
        date(2026, 3, 31),
        ["screening_and_files", "safety_education"],
        "active",
    )
    decision = found["force_majeure"][0]["decision"]
    assert (decision["decision"], decision["basis"], decision["decided_on"]) == (
        "accept",
        "受灾村暂停生活关爱，其余照常",
        date(2025, 9, 1),
    )
    refused(grants, WrongState, None, grants.decide_force_majeure, contract, report, decision="suspend", basis="x")


def test_suspending_on_a_report_withholds_through_the_suspension_event(grants, clock, contract):
    report = fm_report(grants, clock, contract)
    grants.decide_force_majeure(contract, report, decision="suspend", basis="灾后道路恢复前暂停")
    assert grants.get_contract(contract)["status"] == "suspended"
    kind, payload = public(grants)[-1]
    assert kind == "grants.contract_suspended.v1" and "灾后道路恢复前暂停" in payload["reason"]


def test_terminating_without_fault_publishes_the_unspent_undelivered_rule_and_bans_no_one(grants, clock, contract):
    report = fm_report(grants, clock, contract)
    refused(
        grants,
        GrantsRuleViolation,
        "delivered_fen",
        grants.decide_force_majeure,
        contract,
        report,
        decision="terminate_without_fault",
        basis="x",
    )
    refused(
        grants,
        GrantsRuleViolation,
        "decided_on",
        grants.decide_force_majeure,
        contract,
        report,
        decision="terminate_without_fault",
        basis="x",
        delivered_fen=1,
        decided_on=date(2025, 9, 2),  # in the future
    )
    grants.decide_force_majeure(
        contract,
        report,
        decision="terminate_without_fault",
        basis="洪灾致项目无法继续，无过错终止",
        delivered_fen=3_000_000,
    )
    found = grants.get_contract(contract)
    assert found["status"] == "terminated" and found["termination"]["reason"] == "force_majeure"
    kind, payload = public(grants)[-1]
    assert kind == "grants.contract_terminated.v2"
    assert (payload["recovery_rule"], payload["delivered_fen"], payload["basis"]) == (
        "unspent_undelivered",
        3_000_000,
        "洪灾致项目无法继续，无过错终止",
    )
    assert grants.list_bans(limit=5, after=None) == []
    refused(grants, WrongState, None, grants.terminate_contract, contract, reason="misuse", details="again")
