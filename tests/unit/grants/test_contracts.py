"""The contract lifecycle and the sanctions of the implementation stage — each
rule refusing what it must and storing nothing when it does."""

import json
import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from services.grants.domain.contracts import DEFAULT_INDICATORS
from services.grants.exceptions import ContractNotFound, GrantsRuleViolation, WrongState
from services.grants.publishing import public_event
from shared.context import CallMeta, acting_as
from tests.support.grants import (
    BUREAU,
    CONTRACT_TERMS,
    FULL_PANEL,
    PASSING,
    accept_report,
    active_contract,
    determined,
    mid_term_passed,
    on_notice,
    published_call,
    refused,
    submitted,
)

FAILING = {"budget_execution": 5, "output": 30, "effect": 15, "satisfaction": 5}


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


def completed(grants, clock, contract):
    mid_term_passed(grants, clock, contract)
    accept_report(grants, clock, contract, 2026, 1)
    accept_report(grants, clock, contract, 2026, 2)
    clock.today = date(2026, 7, 5)
    grants.complete_contract(contract, final_report="总结报告")


# Signing


def test_signing_needs_a_determination(grants, clock):
    call, apps, _ = on_notice(grants, clock)
    refused(grants, WrongState, None, grants.sign_contract, apps[0], **CONTRACT_TERMS)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"budget_lines": [{"line": "all", "amount_fen": 1}]}, "budget_lines"),
        ({"service_lines": ["life_care", "karaoke"]}, "service_lines"),
        ({"period_end": date(2025, 6, 30)}, "period_end"),
        ({"service_requirements": [" "]}, "service_requirements"),
        ({"breach_terms": ""}, "breach_terms"),
        ({"pass_mark": 0}, "pass_mark"),
        ({"indicators": DEFAULT_INDICATORS[:2]}, "indicators"),
        ({"signed_on": date(2025, 6, 20)}, "signed_on"),
    ],
)
def test_contract_terms_are_checked(grants, clock, change, field):
    _, app = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    refused(grants, GrantsRuleViolation, field, grants.sign_contract, app, **{**CONTRACT_TERMS, **change})


def test_a_contract_carries_the_tranche_plan_and_is_signed_once(grants, clock):
    _, app = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    contract = grants.sign_contract(app, **CONTRACT_TERMS)
    found = grants.get_contract(contract)
    assert [(t["gate"], t["amount_fen"]) for t in found["tranches"]] == [
        ("signing", 10_000_000),
        ("mid_term_passed", 7_500_000),
        ("final_passed", 7_500_000),
    ]
    assert found["status"] == "signed" and found["pass_mark"] == 60 and len(found["service_lines"]) == 8
    refused(grants, WrongState, None, grants.sign_contract, app, **CONTRACT_TERMS)
    kind, payload = public(grants)[-1]
    assert kind == "grants.contract_signed.v2" and payload["amount_fen"] == 25_000_000
    assert payload["service_area"] == found["service_area"] == CONTRACT_TERMS["service_area"]


@pytest.mark.parametrize(
    "area, reason",
    [
        ([], "name the towns or villages"),
        ([{"town": "银川市", "village": None}], "not a town of Shapotou District"),
        ([{"town": "滨河镇", "village": "沙坡头村"}], "not a village of 滨河镇"),
        ([{"town": "滨河镇", "village": None}, {"town": "滨河镇", "village": None}], "names a place twice"),
    ],
)
def test_a_contract_names_a_service_area_of_the_districts_places(grants, clock, area, reason):
    _, app = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    error = refused(
        grants,
        GrantsRuleViolation,
        "service_area",
        grants.sign_contract,
        app,
        **{**CONTRACT_TERMS, "service_area": area},
    )
    assert reason in " ".join(error.fields["service_area"])


def test_a_banned_organization_cannot_sign(grants, clock):
    _, app = determined(grants, clock)
    org = grants.get_application(app)["organization_id"]
    other_call = published_call(grants, clock, title="同期另一项目")
    elsewhere = submitted(grants, clock, other_call, org)
    clock.today = date(2025, 6, 22)
    grants.disqualify_application(elsewhere, reason="false_materials", details="另一项目申报材料造假")
    clock.today = date(2025, 6, 28)
    error = refused(grants, GrantsRuleViolation, "organization", grants.sign_contract, app, **CONTRACT_TERMS)
    assert "2028-06-22" in error.fields["organization"][0]


def test_services_start_on_or_after_the_period_start(grants, clock):
    _, app = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    contract = grants.sign_contract(app, **CONTRACT_TERMS)
    refused(grants, GrantsRuleViolation, "started_on", grants.start_contract, contract)
    clock.today = date(2025, 7, 1)
    grants.start_contract(contract)
    refused(grants, WrongState, None, grants.start_contract, contract)


# Quarterly reports


def test_reports_only_for_quarters_of_the_period_once_begun(grants, clock, contract):
    clock.today = date(2025, 7, 10)
    refused(grants, GrantsRuleViolation, "quarter", grants.submit_quarterly_report, contract, 2025, 2, summary="x")
    refused(grants, GrantsRuleViolation, "submitted_on", grants.submit_quarterly_report, contract, 2025, 4, summary="x")
    refused(grants, GrantsRuleViolation, "summary", grants.submit_quarterly_report, contract, 2025, 3, summary=" ")


def test_a_returned_report_needs_a_reason_and_may_be_resubmitted(grants, clock, contract):
    clock.today = date(2025, 10, 8)
    report = grants.submit_quarterly_report(contract, 2025, 3, summary="初稿")
    refused(grants, GrantsRuleViolation, "quarter", grants.submit_quarterly_report, contract, 2025, 3, summary="x")
    refused(grants, GrantsRuleViolation, "reason", grants.review_quarterly_report, contract, report, "returned")
    refused(grants, GrantsRuleViolation, "decision", grants.review_quarterly_report, contract, report, "shredded")
    refused(
        grants, GrantsRuleViolation, "report_id", grants.review_quarterly_report, contract, uuid.uuid4(), "accepted"
    )
    grants.review_quarterly_report(contract, report, "returned", reason="缺少服务人次数据")
    refused(grants, WrongState, None, grants.review_quarterly_report, contract, report, "accepted")
    again = grants.submit_quarterly_report(contract, 2025, 3, summary="补充数据", figures={"children_reached": 312})
    grants.review_quarterly_report(contract, again, "accepted")
    reports = grants.get_contract(contract)["quarterly_reports"]
    assert [(r["status"], r["reason"]) for r in reports] == [("returned", "缺少服务人次数据"), ("accepted", None)]
    assert [kind for kind, _ in public(grants)][-1] == "grants.quarterly_report_accepted.v1"


# Evaluations and completion


def test_mid_term_needs_two_accepted_reports(grants, clock, contract):
    accept_report(grants, clock, contract, 2025, 3)
    refused(
        grants,
        GrantsRuleViolation,
        "kind",
        grants.record_evaluation,
        contract,
        "mid_term",
        PASSING,
        evaluators=BUREAU,
    )


@pytest.mark.parametrize(
    "scores,text",
    [
        ({k: v for k, v in PASSING.items() if k != "effect"}, "missing effect"),
        ({**PASSING, "output": 51}, "output: 0 to 50"),
        ({**PASSING, "output": Decimal("40.25")}, "steps of 0.1"),
        ({**PASSING, "vibes": 1}, "unknown vibes"),
    ],
)
def test_evaluations_score_every_leaf_within_its_points(grants, clock, contract, scores, text):
    accept_report(grants, clock, contract, 2025, 3)
    accept_report(grants, clock, contract, 2025, 4)
    error = refused(
        grants,
        GrantsRuleViolation,
        "scores",
        grants.record_evaluation,
        contract,
        "mid_term",
        scores,
        evaluators=BUREAU,
    )
    assert text in " ".join(error.fields["scores"])


def test_a_failed_mid_term_blocks_completion_until_a_passed_re_evaluation(grants, clock, contract):
    accept_report(grants, clock, contract, 2025, 3)
    accept_report(grants, clock, contract, 2025, 4)
    failed = grants.record_evaluation(contract, "mid_term", FAILING, evaluators=BUREAU)
    assert (failed["score"], failed["grade"], failed["passed"]) == (Decimal("55.0"), "poor", False)
    accept_report(grants, clock, contract, 2026, 1)
    accept_report(grants, clock, contract, 2026, 2)
    clock.today = date(2026, 7, 5)
    refused(grants, GrantsRuleViolation, "completed_on", grants.complete_contract, contract, final_report="x")
    with acting_as(BUREAU_LI):
        grants.open_mid_term_re_evaluation(contract, reason="整改后复评")
    with acting_as(BUREAU_WANG):
        grants.record_evaluation(contract, "mid_term", PASSING, evaluators=BUREAU)
    refused(grants, WrongState, None, grants.record_evaluation, contract, "mid_term", PASSING, evaluators=BUREAU)
    grants.complete_contract(contract, final_report="总结报告")
    mid_terms = [p for kind, p in public(grants) if kind == "grants.mid_term_evaluation_recorded.v1"]
    assert [p["passed"] for p in mid_terms] == [False, True]


def test_the_evaluated_contract_shows_its_evaluators_by_body(grants, clock, contract):
    mid_term_passed(grants, clock, contract)
    [evaluation] = grants.get_contract(contract)["evaluations"]
    assert evaluation["evaluators"] == [{"body": "civil_affairs_bureau", "name": "区民社局 张科长"}]


@pytest.mark.parametrize(
    "evaluators,text",
    [
        ([], "name who evaluated"),
        ([{"body": "finance_bureau", "name": "区财政局 李科长"}], "区民社局 (civil_affairs_bureau)"),
        ([{"body": "civil_affairs_bureau", "name": "  "}], "0: name the evaluator"),
        ([*BUREAU, {"body": "neighbours", "name": "x"}], "1: body must be one of"),
    ],
)
def test_a_mid_term_evaluation_is_refused_without_the_bureau(grants, clock, contract, evaluators, text):
    """§五.(三).4: the bureau evaluates performance during implementation."""
    accept_report(grants, clock, contract, 2025, 3)
    accept_report(grants, clock, contract, 2025, 4)
    error = refused(
        grants,
        GrantsRuleViolation,
        "evaluators",
        grants.record_evaluation,
        contract,
        "mid_term",
        PASSING,
        evaluators=evaluators,
    )
    assert text in " ".join(error.fields["evaluators"])


@pytest.mark.parametrize("left_out", ["civil_affairs_bureau", "finance_bureau", "implementer_representative"])
def test_an_effectiveness_evaluation_is_refused_without_each_required_body(grants, clock, contract, left_out):
    """§五.(四).2: 区民社局、财政局、项目实施代表等 evaluate at completion."""
    completed(grants, clock, contract)
    panel = [e for e in FULL_PANEL if e["body"] != left_out] + [{"body": "professional_social_worker", "name": "社工"}]
    error = refused(
        grants,
        GrantsRuleViolation,
        "evaluators",
        grants.record_evaluation,
        contract,
        "effectiveness",
        PASSING,
        evaluators=panel,
    )
    assert f"({left_out})" in error.fields["evaluators"][0]
    assert grants.get_contract(contract)["status"] == "completed"


def test_the_pass_mark_is_the_contracts(grants, clock):
    contract = active_contract(grants, clock, pass_mark=90)
    accept_report(grants, clock, contract, 2025, 3)
    accept_report(grants, clock, contract, 2025, 4)
    result = grants.record_evaluation(contract, "mid_term", PASSING, evaluators=BUREAU)
    assert (result["score"], result["passed"]) == (Decimal("89.0"), False)


def test_completion_needs_every_quarter_accepted_and_the_period_over(grants, clock, contract):
    mid_term_passed(grants, clock, contract)
    accept_report(grants, clock, contract, 2026, 1)
    clock.today = date(2026, 7, 5)
    error = refused(grants, GrantsRuleViolation, "completed_on", grants.complete_contract, contract, final_report="x")
    assert "2026-Q2" in error.fields["completed_on"][0]
    accept_report(grants, clock, contract, 2026, 2)
    refused(
        grants,
        GrantsRuleViolation,
        "completed_on",
        grants.complete_contract,
        contract,
        final_report="x",
        completed_on=date(2026, 6, 29),
    )
    refused(grants, GrantsRuleViolation, "final_report", grants.complete_contract, contract, final_report=" ")


def test_effectiveness_after_completion_then_audit_then_closure(grants, clock, contract):
    refused(
        grants, WrongState, None, grants.record_evaluation, contract, "effectiveness", PASSING, evaluators=FULL_PANEL
    )
    completed(grants, clock, contract)
    refused(grants, WrongState, None, grants.record_audit, contract, auditor="x", opinion="unqualified")
    failed = grants.record_evaluation(contract, "effectiveness", FAILING, evaluators=FULL_PANEL)
    assert failed["passed"] is False and grants.get_contract(contract)["status"] == "completed"
    refused(grants, WrongState, None, grants.record_audit, contract, auditor="x", opinion="unqualified")
    grants.record_evaluation(contract, "effectiveness", {**PASSING, "output": 50, "effect": 30}, evaluators=FULL_PANEL)
    refused(grants, GrantsRuleViolation, "findings", grants.record_audit, contract, auditor="x", opinion="qualified")
    refused(grants, GrantsRuleViolation, "opinion", grants.record_audit, contract, auditor="x", opinion="fine")
    refused(grants, WrongState, None, grants.close_contract, contract)
    grants.record_audit(contract, auditor="审计所", opinion="adverse", findings="挪用活动经费")
    refused(grants, GrantsRuleViolation, "audit", grants.close_contract, contract)


def test_a_clean_audit_closes_the_contract(grants, clock, contract):
    completed(grants, clock, contract)
    grants.record_evaluation(contract, "effectiveness", PASSING, evaluators=FULL_PANEL)
    grants.record_audit(contract, auditor="审计所", opinion="unqualified")
    grants.close_contract(contract)
    assert grants.get_contract(contract)["status"] == "closed"
    refused(grants, WrongState, None, grants.suspend_contract, contract, reason="x")


# Suspension, termination, force majeure, transfer


def test_suspension_needs_a_reason_and_stops_reports_until_reinstated(grants, clock, contract):
    clock.today = date(2025, 9, 1)
    refused(grants, WrongState, None, grants.reinstate_contract, contract, reason="x")
    refused(grants, GrantsRuleViolation, "reason", grants.suspend_contract, contract, reason=" ")
    grants.suspend_contract(contract, reason="未按合同开展安全教育")
    refused(grants, WrongState, None, grants.suspend_contract, contract, reason="again")
    refused(grants, WrongState, None, grants.submit_quarterly_report, contract, 2025, 3, summary="x")
    refused(
        grants,
        GrantsRuleViolation,
        "reinstated_on",
        grants.reinstate_contract,
        contract,
        reason="整改到位",
        reinstated_on=date(2025, 8, 31),
    )
    refused(grants, GrantsRuleViolation, "reason", grants.reinstate_contract, contract, reason="")
    grants.reinstate_contract(contract, reason="整改到位")
    assert grants.get_contract(contract)["suspensions"][0]["reason"] == "未按合同开展安全教育"
    assert [kind for kind, _ in public(grants)][-2:] == [
        "grants.contract_suspended.v1",
        "grants.contract_reinstated.v1",
    ]


def test_termination_names_its_reason_and_a_recovery_within_the_amount(grants, clock, contract):
    clock.today = date(2025, 9, 1)
    refused(grants, GrantsRuleViolation, "reason", grants.terminate_contract, contract, reason="boredom", details="x")
    refused(grants, GrantsRuleViolation, "details", grants.terminate_contract, contract, reason="misuse", details="")
    refused(
        grants,
        GrantsRuleViolation,
        "recovery_fen",
        grants.terminate_contract,
        contract,
        reason="misuse",
        details="x",
        recovery_fen=25_000_001,
    )
    grants.terminate_contract(contract, reason="misuse", details="挪用项目资金", recovery_fen=5_000_000)
    kind, payload = public(grants)[-1]
    assert kind == "grants.contract_terminated.v2" and (payload["recovery_rule"], payload["recovery_fen"]) == (
        "decided",
        5_000_000,
    )
    assert grants.list_bans(limit=5, after=None) == []  # misuse is pursued by law, not by this ban
    refused(grants, WrongState, None, grants.terminate_contract, contract, reason="misuse", details="again")
    refused(
        grants,
        WrongState,
        None,
        grants.report_force_majeure,
        contract,
        event="x",
        impact="y",
        proposed_action="continue",
    )


def test_force_majeure_is_reported_with_its_impact(grants, clock, contract):
    refused(
        grants,
        GrantsRuleViolation,
        "proposed_action",
        grants.report_force_majeure,
        contract,
        event="洪水",
        impact="村道中断",
        proposed_action="hand over",
    )
    refused(
        grants,
        GrantsRuleViolation,
        "event",
        grants.report_force_majeure,
        contract,
        event=" ",
        impact="x",
        proposed_action="continue",
    )
    grants.report_force_majeure(contract, event="洪水", impact="两个村的走访暂停两周", proposed_action="continue")
    assert grants.get_contract(contract)["force_majeure"][0]["impact"] == "两个村的走访暂停两周"


def test_transfer_or_subcontracting_is_always_refused(grants, clock, contract):
    refused(grants, GrantsRuleViolation, "transfer", grants.request_transfer, contract, transferee="另一机构")
    with pytest.raises(ContractNotFound):
        grants.request_transfer(uuid.uuid4(), transferee="x")


def test_false_materials_in_implementation_terminate_and_ban_from_the_decision_date(grants, clock, contract):
    clock.today = date(2025, 11, 20)
    grants.terminate_contract(contract, reason="false_materials", details="荣誉证书伪造")
    org = grants.get_organization(grants.get_contract(contract)["organization_id"])
    assert org["bans"][0]["decided_on"] == date(2025, 11, 20) and org["bans"][0]["banned_until"] == date(2028, 11, 20)
    kinds = [kind for kind, _ in public(grants)]
    assert kinds[-2:] == ["grants.contract_terminated.v2", "grants.organization_banned.v1"]
    _, ban = public(grants)[-1]
    assert ban["credit_code"] == org["credit_code"] and ban["reason"] == "false_materials: 荣誉证书伪造"


def test_a_contract_signed_before_service_areas_loads_with_none(grants, clock):
    """Signed v1 (no service area) is upcast to an empty area: the contract
    reaches only the children referred to it."""
    _, app = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    contract = grants.sign_contract(app, **CONTRACT_TERMS)
    stored = grants.recorder.select_events(contract)[0]
    state = json.loads(stored.state)
    state.pop("service_area")
    state.pop("class_version", None)
    event = grants.mapper.to_domain_event(replace(stored, state=json.dumps(state).encode()))
    assert event.mutate(None).service_area == []


BUREAU_LI = CallMeta(actor_id="bureau-li", actor_role="bureau_admin")
BUREAU_WANG = CallMeta(actor_id="bureau-wang", actor_role="bureau_admin")


def failed_mid_term(grants, clock, contract):
    accept_report(grants, clock, contract, 2025, 3)
    accept_report(grants, clock, contract, 2025, 4)
    with acting_as(BUREAU_LI):
        grants.record_evaluation(contract, "mid_term", FAILING, evaluators=BUREAU)


def test_one_person_cannot_record_a_second_mid_term_that_releases_the_withheld_tranche(grants, clock, contract):
    """The attack (issue 13 item 11): after a failed mid-term, the same
    administrator simply records a passing one. Now it needs a re-evaluation
    opened with a reason, and a different person to record it."""
    failed_mid_term(grants, clock, contract)
    with acting_as(BUREAU_LI):
        error = refused(
            grants,
            GrantsRuleViolation,
            "kind",
            grants.record_evaluation,
            contract,
            "mid_term",
            PASSING,
            evaluators=BUREAU,
        )
        assert "re-evaluation must first be opened" in error.fields["kind"][0]
        refused(grants, GrantsRuleViolation, "reason", grants.open_mid_term_re_evaluation, contract, reason=" ")
        grants.open_mid_term_re_evaluation(contract, reason="整改后申请复评")
        refused(grants, GrantsRuleViolation, "reason", grants.open_mid_term_re_evaluation, contract, reason="再开")
        error = refused(
            grants,
            GrantsRuleViolation,
            "kind",
            grants.record_evaluation,
            contract,
            "mid_term",
            PASSING,
            evaluators=BUREAU,
        )
        assert "a different person records it" in error.fields["kind"][0]
    assert not grants.get_contract(contract)["mid_term_passed"]
    with acting_as(BUREAU_WANG):
        second = grants.record_evaluation(contract, "mid_term", PASSING, evaluators=BUREAU)
    found = grants.get_contract(contract)
    assert found["mid_term_passed"] and second["re_evaluation"] is True
    (opened,) = found["re_evaluations"]
    assert (opened["reason"], opened["opened_by"], opened["evaluation_id"]) == (
        "整改后申请复评",
        "bureau-li",
        second["evaluation_id"],
    )


def test_a_re_evaluation_needs_a_failed_mid_term_first(grants, clock, contract):
    refused(grants, GrantsRuleViolation, "reason", grants.open_mid_term_re_evaluation, contract, reason="复评")
