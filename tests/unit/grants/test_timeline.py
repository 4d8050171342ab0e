"""The seed's timeline, end to end at the application level, with dates driven
by an injected clock (issue 4, item 12). Runs on POPO, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.grants.exceptions import GrantsRuleViolation
from services.grants.publishing import public_event
from shared import envelope
from tests.support.grants import (
    BUREAU,
    CREDIT_CHECK,
    DOCUMENTS,
    FULL_PANEL,
    RUBRIC_SCORES,
    SEED_CALL,
    SOURCE,
    inspections,
    organization,
    proposal,
)


def public_types(app) -> list[str]:
    """The integration events the relay would publish, validated against their contracts."""
    types = []
    for n in app.recorder.select_notifications(start=1, limit=10_000):
        found = public_event(app.mapper.to_domain_event(n))
        if found:
            envelope.build(
                type=found[0],
                source="grants",
                notification_id=n.id,
                previous_notification_id=None,
                originator_id=str(n.originator_id),
                originator_version=n.originator_version,
                occurred_at=app.mapper.to_domain_event(n).timestamp,
                meta={},
                payload=found[1],
            )
            types.append(found[0].removeprefix("grants.").rsplit(".v", 1)[0])
    return types


def run_selection(grants, clock):
    """May–June 2025: call, two applicants, one rejected, scoring, notice, determination, contract."""
    good = grants.register_organization(**organization("沙坡头区阳光社会工作服务中心"))
    for item in inspections() + [
        {"kind": "evaluation_grade", "grade": 4, "effective_on": date(2023, 12, 1), "valid_until": date(2028, 11, 30)},
        {"kind": "honour", "title": "自治区优秀社会组织", "issuer": "宁夏民政厅", "effective_on": date(2024, 3, 1)},
        {
            "kind": "project_experience",
            "title": "2024年困境儿童关爱项目",
            "issuer": "中卫市民政局",
            "outcome": "good",
            "effective_on": date(2024, 12, 31),
        },
        {
            "kind": "credit_check",
            "list_name": "信用中国严重失信主体名单",
            "subject": "organisation",
            "result": "clear",
            "effective_on": date(2025, 5, 9),
        },
    ]:
        grants.record_evidence(good, source=SOURCE, **item)
    weak = grants.register_organization(**organization("中卫市某某社会团体", type_code="51"))
    for item in [*inspections(years=(2023,)), CREDIT_CHECK]:
        grants.record_evidence(weak, source=SOURCE, **item)

    clock.today = date(2025, 5, 13)
    call = grants.draft_call(**SEED_CALL)
    grants.publish_call(call)

    clock.today = date(2025, 5, 20)
    documents = DOCUMENTS + [
        {"kind": "evaluation_grade_proof", "reference": "4A证书.pdf", "signed_and_sealed": False},
        {"kind": "honour_certificates", "reference": "荣誉.pdf", "signed_and_sealed": False},
    ]
    app_good = grants.submit_application(call, good, proposal(), documents)
    clock.today = date(2025, 5, 28)
    app_weak = grants.submit_application(call, weak, proposal(200_000 * 100), DOCUMENTS)

    clock.today = date(2025, 6, 3)
    eligibility = grants.eligibility(app_good)
    assert eligibility["eligible"] is True and eligibility["preference_points"] == 5
    weak_eligibility = grants.eligibility(app_weak)
    assert weak_eligibility["eligible"] is False
    failing = [r for r in weak_eligibility["rules"] if not r["passed"] and r["kind"] == "hard"]
    assert [r["rule"] for r in failing] == ["annual_inspections"] and "2022" in failing[0]["reason"]
    with pytest.raises(GrantsRuleViolation):
        grants.preliminary_review(app_weak, "pass", reviewer="区民社局 张科长")
    grants.preliminary_review(
        app_weak, "reject", reviewer="区民社局 张科长", reasons=["2022年度年检结论缺失,不符合方案四(二)"]
    )
    grants.preliminary_review(app_good, "pass", reviewer="区民社局 张科长")
    grants.record_due_diligence(
        app_good, topic="办公场所", finding="实地核查属实", outcome="confirmed", investigator="区民社局 李"
    )

    clock.today = date(2025, 6, 10)
    members = {
        role: grants.appoint_panel_member(call, name=f"{role} member", role=role, affiliation=affiliation)
        for role, affiliation in [
            ("civil_affairs", "区民社局"),
            ("finance", "区财政局"),
            ("social_worker", "中卫市社工协会"),
            ("implementer_representative", "阳光中心"),
        ]
    }
    grants.declare_interest(
        call, members["implementer_representative"], app_good, conflicted=True, statement="本人为该中心理事"
    )
    with pytest.raises(GrantsRuleViolation):
        grants.score_application(app_good, members["implementer_representative"], RUBRIC_SCORES)
    for role in ("civil_affairs", "finance", "social_worker"):
        grants.declare_interest(call, members[role], app_good, conflicted=False)
        grants.score_application(app_good, members[role], RUBRIC_SCORES)

    clock.today = date(2025, 6, 16)
    assert grants.shortlist(call, size=1) == [app_good]
    notice = grants.open_public_notice(call)
    assert grants.get_notice(notice)["ends_on"] == date(2025, 6, 20)
    clock.today = date(2025, 6, 18)
    objection = grants.lodge_objection(
        notice, objector="匿名群众", grounds="质疑该中心人员资质", application_id=app_good
    )
    clock.today = date(2025, 6, 21)
    with pytest.raises(GrantsRuleViolation) as early:
        grants.determine(call, app_good, determined_on=date(2025, 6, 20))
    assert "determined_on" in early.value.fields
    with pytest.raises(GrantsRuleViolation) as held:
        grants.determine(call, app_good)
    assert "notice" in held.value.fields
    grants.resolve_objection(notice, objection, outcome="dismissed", resolution="核查社工证书均真实有效")
    grants.determine(call, app_good)

    clock.today = date(2025, 6, 25)
    grants.optimise_plan(
        app_good,
        summary="按评审意见细化进度和预算",
        reviewer_comments="预算细化到月",
        budget_lines=[
            {"line": "personnel", "amount_fen": 14_000_000},
            {"line": "activities", "amount_fen": 8_000_000},
            {"line": "supervision", "amount_fen": 3_000_000},
        ],
    )
    clock.today = date(2025, 6, 28)
    contract = grants.sign_contract(
        app_good,
        period_start=date(2025, 7, 1),
        period_end=date(2026, 6, 30),
        service_requirements=["一人一档全覆盖", "每月一主题活动"],
        breach_terms="按合同追究违约责任",
        service_area=[{"town": "滨河镇"}],
    )
    clock.today = date(2025, 7, 1)
    grants.start_contract(contract)
    return {
        "call": call,
        "good": good,
        "weak": weak,
        "app_good": app_good,
        "app_weak": app_weak,
        "contract": contract,
        "notice": notice,
    }


def report_and_accept(grants, clock, contract, year, quarter, submitted, accepted):
    clock.today = submitted
    report = grants.submit_quarterly_report(contract, year, quarter, summary=f"{year}年第{quarter}季度实施情况")
    clock.today = accepted
    grants.review_quarterly_report(contract, report, "accepted")


LEAVES = {"budget_execution": 9, "output": 45, "effect": 26, "satisfaction": 9}


def test_the_seed_timeline_from_call_to_closure(grants, clock):
    ids = run_selection(grants, clock)
    contract = ids["contract"]
    signed = grants.get_contract(contract)
    assert [t["amount_fen"] for t in signed["tranches"]] == [10_000_000, 7_500_000, 7_500_000]
    assert signed["budget_lines"][2] == {"line": "supervision", "amount_fen": 3_000_000}

    report_and_accept(grants, clock, contract, 2025, 3, date(2025, 10, 8), date(2025, 10, 15))
    report_and_accept(grants, clock, contract, 2025, 4, date(2026, 1, 8), date(2026, 1, 12))
    clock.today = date(2026, 1, 20)
    mid = grants.record_evaluation(contract, "mid_term", LEAVES, evaluators=BUREAU)
    assert (mid["score"], mid["grade"], mid["passed"]) == (Decimal("89.0"), "good", True)
    report_and_accept(grants, clock, contract, 2026, 1, date(2026, 4, 8), date(2026, 4, 15))
    report_and_accept(grants, clock, contract, 2026, 2, date(2026, 6, 25), date(2026, 7, 3))
    clock.today = date(2026, 7, 10)
    grants.complete_contract(contract, final_report="项目总结报告")
    clock.today = date(2026, 7, 20)
    final = grants.record_evaluation(
        contract,
        "effectiveness",
        {**LEAVES, "output": 48, "effect": 28},
        evaluators=FULL_PANEL,
    )
    assert (final["score"], final["grade"], final["passed"]) == (Decimal("94.0"), "excellent", True)
    clock.today = date(2026, 8, 1)
    grants.record_audit(contract, auditor="中卫市审计事务所", opinion="unqualified")
    grants.close_contract(contract)
    assert grants.get_contract(contract)["status"] == "closed"

    weak = grants.get_application(ids["app_weak"])
    assert weak["status"] == "rejected" and weak["preliminary"]["reasons"] == ["2022年度年检结论缺失,不符合方案四(二)"]
    assert grants.get_application(ids["app_good"])["status"] == "contracted"
    assert public_types(grants) == [
        "call_published",
        "application_determined",
        "contract_signed",
        "quarterly_report_accepted",
        "quarterly_report_accepted",
        "mid_term_evaluation_recorded",
        "quarterly_report_accepted",
        "quarterly_report_accepted",
        "completion_recorded",
        "effectiveness_evaluation_recorded",
    ]


def test_false_materials_in_month_five_terminate_and_ban_for_three_years(grants, clock):
    ids = run_selection(grants, clock)
    report_and_accept(grants, clock, ids["contract"], 2025, 3, date(2025, 10, 8), date(2025, 10, 15))
    clock.today = date(2025, 11, 20)
    grants.terminate_contract(
        ids["contract"], reason="false_materials", details="申报时提供的荣誉证书系伪造", recovery_fen=None
    )
    contract = grants.get_contract(ids["contract"])
    assert contract["status"] == "terminated"
    assert contract["termination"]["details"] == "申报时提供的荣誉证书系伪造"
    bans = grants.list_bans(limit=10, after=None)
    assert [(b["organization_id"], b["decided_on"], b["banned_until"], b["in_force"]) for b in bans] == [
        (ids["good"], date(2025, 11, 20), date(2028, 11, 20), True)
    ]
    assert public_types(grants)[-2:] == ["contract_terminated", "organization_banned"]

    # A later call: the ban is enforced by eligibility, so the bureau cannot pass it.
    clock.today = date(2026, 5, 1)
    later = grants.draft_call(
        **{
            **SEED_CALL,
            "title": "2026年关爱服务项目",
            "inspection_years": [2023, 2024],
            "submission_opens": date(2026, 5, 1),
            "submission_closes": date(2026, 5, 31),
            "review_opens": date(2026, 6, 1),
            "review_closes": date(2026, 6, 30),
            "service_start": date(2026, 7, 1),
            "service_end": date(2027, 6, 30),
        }
    )
    grants.publish_call(later)
    grants.record_evidence(ids["good"], source=SOURCE, **inspections(years=(2024,))[0])
    again = grants.submit_application(later, ids["good"], proposal(), DOCUMENTS)
    rules = {r["rule"]: r for r in grants.eligibility(again)["rules"]}
    assert rules["not_banned"]["passed"] is False and "2028-11-20" in rules["not_banned"]["reason"]
    assert all(r["passed"] for name, r in rules.items() if r["kind"] == "hard" and name != "not_banned")
    with pytest.raises(GrantsRuleViolation):
        grants.preliminary_review(again, "pass", reviewer="区民社局")
