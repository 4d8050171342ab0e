"""Preliminary review, the panel, shortlist, public notice, determination and
optimisation — each rule refusing what it must and storing nothing when it does."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from services.grants.exceptions import GrantsRuleViolation, WrongState
from shared.relay import envelopes_after
from tests.support.grants import (
    RUBRIC_SCORES,
    appoint_panel,
    determined,
    eligible_organization,
    on_notice,
    organization,
    published_call,
    refused,
    reviewed_call,
    score_by_panel,
    submitted,
)


@pytest.fixture
def application(grants, clock):
    call = published_call(grants, clock)
    org = eligible_organization(grants)
    found = submitted(grants, clock, call, org)
    clock.today = date(2025, 6, 2)
    return call, found


# Preliminary review and due diligence


def test_rejection_needs_reasons_the_applicant_can_read(grants, application):
    _, app = application
    refused(
        grants, GrantsRuleViolation, "reasons", grants.preliminary_review, app, "reject", reviewer="x", reasons=[" "]
    )
    grants.preliminary_review(app, "reject", reviewer="区民社局", reasons=["项目预算与方案不符"])
    found = grants.get_application(app)
    assert found["status"] == "rejected" and found["preliminary"]["reasons"] == ["项目预算与方案不符"]
    assert found["preliminary"]["eligibility"]["eligible"] is True


def test_an_application_is_reviewed_once_and_not_before_it_arrived(grants, application):
    _, app = application
    refused(
        grants,
        GrantsRuleViolation,
        "reviewed_on",
        grants.preliminary_review,
        app,
        "pass",
        reviewer="x",
        reviewed_on=date(2025, 5, 19),
    )
    refused(grants, GrantsRuleViolation, "decision", grants.preliminary_review, app, "maybe", reviewer="x")
    grants.preliminary_review(app, "pass", reviewer="区民社局")
    refused(grants, WrongState, None, grants.preliminary_review, app, "reject", reviewer="x", reasons=["y"])


def test_an_ineligible_application_cannot_pass(grants, clock):
    call = published_call(grants, clock)
    org = grants.register_organization(**organization())
    app = submitted(grants, clock, call, org)
    error = refused(grants, GrantsRuleViolation, "decision", grants.preliminary_review, app, "pass", reviewer="x")
    assert "annual_inspections" in error.fields["decision"][0]


def test_due_diligence_findings_are_recorded_with_a_known_outcome(grants, application):
    _, app = application
    refused(
        grants,
        GrantsRuleViolation,
        "outcome",
        grants.record_due_diligence,
        app,
        topic="场所",
        finding="x",
        outcome="fine",
        investigator="李",
    )
    grants.record_due_diligence(app, topic="场所", finding="实地核查属实", outcome="confirmed", investigator="李")
    assert [f["finding"] for f in grants.get_application(app)["due_diligence"]] == ["实地核查属实"]


# Panel


def test_panel_roles_are_the_seeds(grants, application):
    call, _ = application
    refused(
        grants, GrantsRuleViolation, "role", grants.appoint_panel_member, call, name="x", role="mayor", affiliation="y"
    )


def test_a_member_must_declare_before_scoring_and_a_conflicted_member_cannot_score(grants, clock, application):
    call, app = application
    grants.preliminary_review(app, "pass", reviewer="区民社局")
    members = appoint_panel(grants, call)
    clock.today = date(2025, 6, 10)
    member = members["implementer_representative"]
    error = refused(grants, GrantsRuleViolation, "member_id", grants.score_application, app, member, RUBRIC_SCORES)
    assert "must declare" in error.fields["member_id"][0]
    refused(grants, GrantsRuleViolation, "statement", grants.declare_interest, call, member, app, conflicted=True)
    grants.declare_interest(call, member, app, conflicted=True, statement="本人系该机构理事")
    error = refused(grants, GrantsRuleViolation, "member_id", grants.score_application, app, member, RUBRIC_SCORES)
    assert "conflict of interest" in error.fields["member_id"][0]
    refused(grants, GrantsRuleViolation, "member_id", grants.declare_interest, call, member, app, conflicted=False)
    stranger = uuid.uuid4()
    refused(grants, GrantsRuleViolation, "member_id", grants.score_application, app, stranger, RUBRIC_SCORES)
    refused(grants, GrantsRuleViolation, "member_id", grants.declare_interest, call, stranger, app, conflicted=False)
    refused(
        grants,
        GrantsRuleViolation,
        "application_id",
        grants.declare_interest,
        call,
        members["finance"],
        uuid.uuid4(),
        conflicted=False,
    )


@pytest.mark.parametrize(
    "scores,text",
    [
        ({k: v for k, v in RUBRIC_SCORES.items() if k != "innovation"}, "missing innovation"),
        ({**RUBRIC_SCORES, "charm": 90}, "unknown charm"),
        ({**RUBRIC_SCORES, "innovation": 101}, "0 to 100"),
    ],
)
def test_scores_cover_exactly_the_rubric_from_0_to_100(grants, clock, application, scores, text):
    call, app = application
    grants.preliminary_review(app, "pass", reviewer="区民社局")
    member = appoint_panel(grants, call)["finance"]
    clock.today = date(2025, 6, 10)
    grants.declare_interest(call, member, app, conflicted=False)
    error = refused(grants, GrantsRuleViolation, "scores", grants.score_application, app, member, scores)
    assert text in " ".join(error.fields["scores"])


def test_scoring_is_only_within_the_review_window_and_after_preliminary_pass(grants, clock, application):
    call, app = application
    member = appoint_panel(grants, call)["finance"]
    clock.today = date(2025, 6, 10)
    grants.declare_interest(call, member, app, conflicted=False)
    refused(grants, WrongState, None, grants.score_application, app, member, RUBRIC_SCORES)
    grants.preliminary_review(app, "pass", reviewer="区民社局")
    clock.today = date(2025, 7, 1)
    refused(grants, GrantsRuleViolation, "scored_on", grants.score_application, app, member, RUBRIC_SCORES)
    result = grants.score_application(app, member, RUBRIC_SCORES, scored_on=date(2025, 6, 30))
    # 90×20 + 88×15 + 80×15 + 85×20 + 90×15 + 86×15 = 8660 → 86.6
    assert result["total"] == Decimal("86.6")


# Shortlist


def test_ranking_orders_by_mean_score_plus_preference_points(grants, clock):
    call, apps, _ = reviewed_call(grants, clock, applicants=2)
    ranking = grants.ranking(call)
    assert [r["application_id"] for r in ranking] == apps and [r["rank"] for r in ranking] == [1, 2]
    assert ranking[0]["mean_score"] == Decimal("86.60") and ranking[0]["scorers"] == 3


def test_shortlisting_needs_a_complete_panel(grants, clock, application):
    call, app = application
    grants.preliminary_review(app, "pass", reviewer="区民社局")
    member = grants.appoint_panel_member(call, name="x", role="civil_affairs", affiliation="区民社局")
    clock.today = date(2025, 6, 10)
    grants.declare_interest(call, member, app, conflicted=False)
    grants.score_application(app, member, RUBRIC_SCORES)
    error = refused(grants, GrantsRuleViolation, "panel", grants.shortlist, call, size=1)
    assert "finance, social_worker, implementer_representative" in error.fields["panel"][0]


def test_shortlisting_waits_for_every_preliminary_review_and_enough_scores(grants, clock):
    call, apps, members = reviewed_call(grants, clock, applicants=1)
    late = submitted(grants, clock, call, eligible_organization(grants, "后来者"))
    clock.today = date(2025, 6, 12)
    refused(grants, GrantsRuleViolation, "applications", grants.shortlist, call, size=1)
    grants.preliminary_review(late, "pass", reviewer="区民社局")
    grants.declare_interest(call, members["finance"], late, conflicted=False)
    grants.score_application(late, members["finance"], RUBRIC_SCORES)
    error = refused(grants, GrantsRuleViolation, "applications", grants.shortlist, call, size=1)
    assert str(late) in error.fields["applications"][0] and "fewer than 3" in error.fields["applications"][0]


def test_shortlist_size_and_ties_at_the_cut_are_refused(grants, clock):
    call, apps, members = reviewed_call(grants, clock, applicants=2)
    clock.today = date(2025, 6, 12)
    refused(grants, GrantsRuleViolation, "size", grants.shortlist, call, size=3)
    for role in ("civil_affairs", "finance", "social_worker"):
        grants.score_application(apps[1], members[role], RUBRIC_SCORES)  # rescoring replaces
    error = refused(grants, GrantsRuleViolation, "size", grants.shortlist, call, size=1)
    assert "tie" in error.fields["size"][0]
    assert set(grants.shortlist(call, size=2)) == set(apps)


def test_shortlist_decides_once_and_closes_the_panel(grants, clock):
    call, apps, members = reviewed_call(grants, clock, applicants=2)
    clock.today = date(2025, 6, 12)
    assert grants.shortlist(call, size=1) == [apps[0]]
    assert [grants.get_application(a)["status"] for a in apps] == ["shortlisted", "not_selected"]
    refused(grants, WrongState, None, grants.shortlist, call, size=1)
    refused(grants, WrongState, None, grants.appoint_panel_member, call, name="x", role="finance", affiliation="y")
    refused(grants, WrongState, None, grants.score_application, apps[0], members["finance"], RUBRIC_SCORES)


def test_shortlisting_outside_the_review_window_is_refused(grants, clock):
    call, _, _ = reviewed_call(grants, clock)
    clock.today = date(2025, 7, 2)
    refused(grants, GrantsRuleViolation, "decided_on", grants.shortlist, call, size=1)


# Public notice, objections, determination


def test_no_notice_before_a_shortlist_and_only_one(grants, clock):
    call, _, _ = reviewed_call(grants, clock)
    clock.today = date(2025, 6, 12)
    refused(grants, WrongState, None, grants.open_public_notice, call)
    grants.shortlist(call, size=1)
    refused(grants, GrantsRuleViolation, "opened_on", grants.open_public_notice, call, opened_on=date(2025, 6, 11))
    grants.open_public_notice(call)
    refused(grants, WrongState, None, grants.open_public_notice, call)


def test_the_public_list_shows_the_notice_without_objectors(grants, clock):
    call, apps, notice = on_notice(grants, clock)
    grants.lodge_objection(notice, objector="张三", contact="13900000000", grounds="质疑", lodged_on=date(2025, 6, 15))
    public = grants.list_public_notices(limit=10, after=None)
    assert [(n["notice_id"], n["ends_on"], n["in_progress"], n["objections_open"]) for n in public] == [
        (notice, date(2025, 6, 19), True, 1)
    ]
    assert "张三" not in repr(public) and public[0]["entries"][0]["organization_name"] == "社工服务中心0"


def test_objections_are_taken_only_during_the_notice_about_what_is_on_it(grants, clock):
    call, apps, notice = on_notice(grants, clock)
    clock.today = date(2025, 6, 20)
    refused(grants, GrantsRuleViolation, "lodged_on", grants.lodge_objection, notice, objector="x", grounds="y")
    refused(
        grants,
        GrantsRuleViolation,
        "application_id",
        grants.lodge_objection,
        notice,
        objector="x",
        grounds="y",
        application_id=uuid.uuid4(),
        lodged_on=date(2025, 6, 16),
    )
    refused(
        grants,
        GrantsRuleViolation,
        "grounds",
        grants.lodge_objection,
        notice,
        objector="x",
        grounds=" ",
        lodged_on=date(2025, 6, 16),
    )


def test_an_objection_is_resolved_once_with_a_reason(grants, clock):
    call, apps, notice = on_notice(grants, clock)
    clock.today = date(2025, 6, 16)
    objection = grants.lodge_objection(notice, objector="x", grounds="y")
    refused(
        grants,
        GrantsRuleViolation,
        "resolution",
        grants.resolve_objection,
        notice,
        objection,
        outcome="dismissed",
        resolution="",
    )
    refused(
        grants,
        GrantsRuleViolation,
        "outcome",
        grants.resolve_objection,
        notice,
        objection,
        outcome="ignored",
        resolution="z",
    )
    refused(
        grants,
        GrantsRuleViolation,
        "objection_id",
        grants.resolve_objection,
        notice,
        uuid.uuid4(),
        outcome="dismissed",
        resolution="z",
    )
    grants.resolve_objection(notice, objection, outcome="dismissed", resolution="经核查不属实")
    refused(grants, WrongState, None, grants.resolve_objection, notice, objection, outcome="upheld", resolution="z")


def test_no_determination_before_the_notice_ends_or_while_an_objection_is_open(grants, clock):
    call, apps, notice = on_notice(grants, clock)
    clock.today = date(2025, 6, 19)
    refused(grants, GrantsRuleViolation, "determined_on", grants.determine, call, apps[0])
    objection = grants.lodge_objection(notice, objector="x", grounds="y")
    clock.today = date(2025, 6, 20)
    refused(grants, GrantsRuleViolation, "notice", grants.determine, call, apps[0])
    grants.resolve_objection(notice, objection, outcome="dismissed", resolution="z")
    grants.determine(call, apps[0])
    assert grants.get_application(apps[0])["determination"] == {
        "amount_fen": 25_000_000,
        "determined_on": date(2025, 6, 20),
    }
    refused(grants, WrongState, None, grants.determine, call, apps[0])


def test_an_upheld_objection_bars_that_application_and_the_other_is_determined(grants, clock):
    call, apps, notice = on_notice(grants, clock, applicants=2)
    objection = grants.lodge_objection(notice, objector="x", grounds="资质造假", application_id=apps[0])
    grants.resolve_objection(notice, objection, outcome="upheld", resolution="查实")
    clock.today = date(2025, 6, 20)
    refused(grants, GrantsRuleViolation, "application_id", grants.determine, call, apps[0])
    refused(grants, GrantsRuleViolation, "amount_fen", grants.determine, call, apps[1], amount_fen=25_000_001)
    grants.determine(call, apps[1], amount_fen=24_000_000)
    assert [grants.get_application(a)["status"] for a in apps] == ["not_selected", "determined"]


def test_a_working_day_notice_runs_longer_over_a_weekend(grants, clock):
    call = published_call(grants, clock, notice_day_kind="working")
    org = eligible_organization(grants)
    app = submitted(grants, clock, call, org)
    clock.today = date(2025, 6, 2)
    grants.preliminary_review(app, "pass", reviewer="区民社局")
    score_by_panel(grants, clock, call, app, appoint_panel(grants, call))
    clock.today = date(2025, 6, 13)  # a Friday
    grants.shortlist(call, size=1)
    notice = grants.open_public_notice(call)
    assert grants.get_notice(notice)["ends_on"] == date(2025, 6, 19)


# Optimisation, withdrawal, disqualification


def test_the_optimised_budget_must_add_up_to_the_determined_amount(grants, clock):
    _, app = determined(grants, clock)
    refused(
        grants,
        GrantsRuleViolation,
        "budget_lines",
        grants.optimise_plan,
        app,
        summary="x",
        budget_lines=[{"line": "all", "amount_fen": 1}],
    )
    grants.optimise_plan(app, summary="细化", budget_lines=[{"line": "all", "amount_fen": 25_000_000}])
    assert grants.get_application(app)["status"] == "optimising"


def test_optimisation_only_after_determination(grants, application):
    _, app = application
    refused(
        grants,
        WrongState,
        None,
        grants.optimise_plan,
        app,
        summary="x",
        budget_lines=[{"line": "all", "amount_fen": 25_000_000}],
    )


def test_withdrawal_needs_a_reason_and_ends_the_application(grants, application):
    _, app = application
    refused(grants, GrantsRuleViolation, "reason", grants.withdraw_application, app, reason="")
    grants.withdraw_application(app, reason="机构人员变动")
    refused(grants, WrongState, None, grants.preliminary_review, app, "pass", reviewer="x")


def test_false_materials_at_the_call_stage_disqualify_and_ban(grants, clock):
    call, apps, notice = on_notice(grants, clock)
    refused(
        grants,
        GrantsRuleViolation,
        "details",
        grants.disqualify_application,
        apps[0],
        reason="false_materials",
        details=" ",
    )
    refused(
        grants, GrantsRuleViolation, "reason", grants.disqualify_application, apps[0], reason="bad_luck", details="x"
    )
    grants.disqualify_application(apps[0], reason="false_materials", details="登记证书年检页伪造")
    found = grants.get_application(apps[0])
    assert found["status"] == "disqualified" and found["disqualification"]["details"] == "登记证书年检页伪造"
    org = grants.get_organization(found["organization_id"])
    assert org["banned_now"] and org["bans"][0]["banned_until"] == date(2028, 6, 15)
    clock.today = date(2025, 6, 21)
    with pytest.raises(WrongState):
        grants.determine(call, apps[0])
    assert [b["credit_code"] for b in grants.list_bans(limit=5, after=None)] == [org["credit_code"]]


def test_disqualifying_the_determined_applicant_lets_the_bureau_determine_the_runner_up(grants, clock):
    call, apps, notice = on_notice(grants, clock, applicants=2)
    clock.today = date(2025, 6, 20)
    grants.determine(call, apps[0])
    refused(grants, WrongState, None, grants.determine, call, apps[1])
    clock.today = date(2025, 6, 24)
    grants.disqualify_application(apps[0], reason="false_materials", details="财务制度文件系伪造")
    found = grants.get_call(call)
    assert found["determined_application_id"] is None
    assert found["voided_determinations"][0]["reason"] == "false_materials: 财务制度文件系伪造"
    grants.determine(call, apps[1])
    assert [grants.get_application(a)["status"] for a in apps] == ["disqualified", "determined"]
    published, _ = envelopes_after(grants, grants.public_events, 0, 10_000, previous=0)
    voided = [e["payload"] for e in published if e["type"] == "grants.determination_voided.v1"]
    assert [(v["call_id"], v["application_id"]) for v in voided] == [(str(call), str(apps[0]))]


def test_an_application_not_selected_at_review_cannot_be_determined(grants, clock):
    call, apps, members = reviewed_call(grants, clock, applicants=2)
    clock.today = date(2025, 6, 15)
    grants.shortlist(call, size=1)
    grants.open_public_notice(call)
    clock.today = date(2025, 6, 20)
    refused(grants, GrantsRuleViolation, "application_id", grants.determine, call, apps[1])
