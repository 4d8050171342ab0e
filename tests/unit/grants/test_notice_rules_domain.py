"""The notice's implementation-stage rules on the Contract record itself, with
no store: the contract term (三.(一), 五.(三)), the 七.(一) sanctions, and the
bureau's decision on a force-majeure report (七.(三)); and the public contract
that tells finance how to recover."""

import uuid
from datetime import date

import pytest
from marshmallow import ValidationError

from services.grants.domain.contract_term import check_term, one_year_end, term_departures
from services.grants.domain.contracts import DEFAULT_INDICATORS, Contract
from services.grants.domain.errors import GrantsRuleViolation, WrongState
from shared import places
from shared.contracts import load_payload

WINDOW = (date(2025, 7, 1), date(2026, 6, 30))  # 五.(三): 2025年7月-2026年6月


def signed(**changes) -> Contract:
    terms = dict(
        call_id=uuid.uuid4(),
        application_id=uuid.uuid4(),
        organisation_id=uuid.uuid4(),
        organisation_name="阳光社会工作服务中心",
        amount_fen=25_000_000,
        period_start=date(2025, 7, 1),
        period_end=date(2026, 6, 30),
        signed_on=date(2025, 6, 28),
        service_lines=["screening_and_files", "life_care", "safety_education"],
        service_requirements=["一人一档"],
        breach_terms="违约责任",
        tranches=[],
        budget_lines=[{"line": "all", "amount_fen": 25_000_000}],
        indicators=[dict(i) for i in DEFAULT_INDICATORS],
        pass_mark=60,
        service_area=[{"town": "滨河镇", "village": None}],
    )
    contract = Contract.sign(places=places.load(), **{**terms, **changes})
    contract.start(on=date(2025, 7, 1))
    return contract


def with_report(contract: Contract) -> uuid.UUID:
    report_id = uuid.uuid4()
    contract.report_force_majeure(
        report_id=report_id,
        event_description="暴雨洪水",
        impact="三个村道路中断，走访无法开展",
        proposed_action="terminate",
        on=date(2025, 9, 1),
    )
    return report_id


def refuses(error, field, act):
    with pytest.raises(error) as raised:
        act()
    if field is not None:
        assert field in raised.value.fields, raised.value.fields


# -- the term ----------------------------------------------------------------


@pytest.mark.parametrize(
    "start,end",
    [
        (date(2025, 7, 1), date(2026, 6, 30)),
        (date(2025, 8, 15), date(2026, 8, 14)),
        (date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_one_year_ends_the_day_before_the_anniversary(start, end):
    assert one_year_end(start) == end


def test_the_notice_s_term_has_no_departures():
    assert term_departures(date(2025, 7, 1), date(2026, 6, 30), *WINDOW) == {}
    assert check_term(date(2025, 7, 1), date(2026, 6, 30), *WINDOW, reason="") == []


@pytest.mark.parametrize(
    "start,end,fields",
    [
        (date(2025, 7, 1), date(2026, 3, 31), {"period_end"}),  # nine months
        (date(2025, 7, 1), date(2026, 7, 31), {"period_end"}),  # thirteen months, past the window
        (date(2025, 6, 1), date(2026, 5, 31), {"period_start"}),  # a year, but starting before the window
        (date(2025, 9, 1), date(2026, 8, 31), {"period_end"}),  # a year, but ending after the window
    ],
)
def test_a_term_that_is_not_one_year_in_the_window_is_refused_without_a_reason(start, end, fields):
    assert set(term_departures(start, end, *WINDOW)) == fields
    with pytest.raises(GrantsRuleViolation) as refused:
        check_term(start, end, *WINDOW, reason="  ")
    assert set(refused.value.fields) == fields
    assert "term_reason" in next(iter(refused.value.fields.values()))[-1]
    assert check_term(start, end, *WINDOW, reason="区民社局批准：汛期顺延") != []


def test_a_term_exception_needs_its_reason():
    contract = signed()
    refuses(
        GrantsRuleViolation,
        "term_reason",
        lambda: contract.record_term_exception(reason="", departures=["x"], on=date(2025, 6, 28)),
    )
    contract.record_term_exception(reason="区民社局批准", departures=["period_end: x"], on=date(2025, 6, 28))
    assert contract.term_exception == {
        "reason": "区民社局批准",
        "departures": ["period_end: x"],
        "recorded_on": date(2025, 6, 28),
    }


# -- 七.(一) sanctions ------------------------------------------------------


@pytest.mark.parametrize("reason", ["false_materials", "improper_means", "prior_sanction"])
def test_a_sanction_recovers_everything_paid_so_no_lesser_amount_is_taken(reason):
    contract = signed()
    refuses(
        GrantsRuleViolation,
        "recovery_fen",
        lambda: contract.terminate(
            reason=reason, details="以不正当手段参与申报", recovery_fen=1_000, on=date(2025, 9, 2)
        ),
    )
    contract.terminate(reason=reason, details="以不正当手段参与申报", recovery_fen=None, on=date(2025, 9, 2))
    assert contract.termination["recovery_rule"] == "all_paid" and contract.status == "terminated"


def test_a_sanction_terminates_even_while_a_force_majeure_report_is_pending():
    contract = signed()
    with_report(contract)
    contract.terminate(reason="prior_sanction", details="曾因违规受到行政处罚", recovery_fen=None, on=date(2025, 9, 2))
    assert contract.status == "terminated"


@pytest.mark.parametrize("reason", ["misuse", "other"])
def test_a_fault_termination_waits_for_the_decision_on_a_pending_force_majeure_report(reason):
    contract = signed()
    with_report(contract)
    refuses(
        GrantsRuleViolation,
        "force_majeure",
        lambda: contract.terminate(reason=reason, details="无法履约", recovery_fen=None, on=date(2025, 9, 2)),
    )
    assert contract.status == "active"


def test_force_majeure_is_not_a_reason_the_termination_route_takes():
    refuses(
        GrantsRuleViolation,
        "reason",
        lambda: signed().terminate(reason="force_majeure", details="洪水", recovery_fen=None, on=date(2025, 9, 2)),
    )


# -- 七.(三) the bureau's decision on a force-majeure report ------------------


def decide(contract, report_id, **kw):
    args = dict(report_id=report_id, decision="accept", basis="经核实属不可抗力", on=date(2025, 9, 5))
    return contract.decide_force_majeure(**{**args, **kw})


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"decision": "transfer"}, "decision"),
        ({"basis": " "}, "basis"),
        ({"on": date(2025, 8, 31)}, "decided_on"),
        ({"decision": "suspend", "period_end": date(2026, 3, 31)}, "decision"),
        ({"service_lines": []}, "service_lines"),
        ({"service_lines": ["life_care", "community_organisations"]}, "service_lines"),
        ({"period_end": date(2025, 6, 30)}, "period_end"),
        ({"decision": "terminate_without_fault"}, "delivered_fen"),
        ({"decision": "terminate_without_fault", "delivered_fen": 25_000_001}, "delivered_fen"),
        ({"decision": "accept", "delivered_fen": 1}, "delivered_fen"),
    ],
)
def test_a_force_majeure_decision_is_refused_when_malformed(changes, field):
    contract = signed()
    report = with_report(contract)
    version = contract.version
    refuses(GrantsRuleViolation, field, lambda: decide(contract, report, **changes))
    assert contract.version == version and contract.force_majeure[0]["decision"] is None


def test_an_unknown_report_and_a_second_decision_are_refused():
    contract = signed()
    report = with_report(contract)
    refuses(GrantsRuleViolation, "report_id", lambda: decide(contract, uuid.uuid4()))
    decide(contract, report)
    refuses(WrongState, None, lambda: decide(contract, report, decision="suspend"))


def test_accepting_may_narrow_the_scope_and_move_the_end_of_the_term():
    contract = signed()
    report = with_report(contract)
    decide(contract, report, period_end=date(2026, 3, 31), service_lines=["life_care", "safety_education"])
    assert (contract.period_end, contract.service_lines, contract.status) == (
        date(2026, 3, 31),
        ["life_care", "safety_education"],
        "active",
    )
    assert contract.force_majeure[0]["decision"]["basis"] == "经核实属不可抗力"


def test_suspending_on_a_report_suspends_with_the_basis_as_reason():
    contract = signed()
    report = with_report(contract)
    decide(contract, report, decision="suspend")
    assert contract.status == "suspended" and "经核实属不可抗力" in contract.suspensions[0]["reason"]


def test_terminating_without_fault_records_what_was_delivered():
    contract = signed()
    report = with_report(contract)
    decide(contract, report, decision="terminate_without_fault", delivered_fen=3_000_000)
    assert contract.status == "terminated"
    assert contract.termination["reason"] == "force_majeure"
    assert (contract.termination["recovery_rule"], contract.termination["delivered_fen"]) == (
        "unspent_undelivered",
        3_000_000,
    )


# -- the public contract ------------------------------------------------------


def payload(**changes):
    base = {
        "contract_id": str(uuid.uuid4()),
        "organization_id": str(uuid.uuid4()),
        "reason": "improper_means",
        "terminated_on": "2025-09-02",
        "recovery_rule": "all_paid",
        "recovery_fen": None,
        "delivered_fen": None,
        "basis": "以不正当手段参与申报",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"recovery_rule": "decided", "recovery_fen": 1_000},  # a sanction recovers all
        {"reason": "force_majeure"},  # without fault needs the unspent_undelivered rule
        {"reason": "force_majeure", "recovery_rule": "unspent_undelivered"},  # ...and what was delivered
        {"reason": "misuse", "recovery_rule": "decided"},  # decided without an amount
        {"reason": "misuse", "recovery_fen": 5},  # an amount without the decided rule
    ],
)
def test_contract_terminated_v2_refuses_a_rule_that_does_not_follow_the_reason(changes):
    with pytest.raises(ValidationError):
        load_payload("grants.contract_terminated.v2", payload(**changes))


def test_contract_terminated_v2_carries_each_rule():
    load_payload("grants.contract_terminated.v2", payload())
    load_payload(
        "grants.contract_terminated.v2",
        payload(reason="force_majeure", recovery_rule="unspent_undelivered", delivered_fen=3_000_000),
    )
    load_payload("grants.contract_terminated.v2", payload(reason="misuse", recovery_rule="decided", recovery_fen=5))
