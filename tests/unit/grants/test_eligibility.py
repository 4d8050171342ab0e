"""Eligibility as of the application date (seed 四): one result and reason per
rule; hard rules exclude, preferences only add points."""

from datetime import date

import pytest

from services.grants.exceptions import GrantsRuleViolation
from shared.context import CallMeta, acting_as
from tests.support.grants import (
    CREDIT_CHECK,
    DOCUMENTS,
    SEED_CALL,
    SOURCE,
    inspections,
    organization,
    proposal,
    published_call,
    submitted,
)


@pytest.fixture
def call(grants, clock):
    found = published_call(grants, clock)
    clock.today = date(2025, 5, 10)
    return found


def check(grants, clock, call, evidence=(), documents=None, credit_checked=True, **org_changes):
    """Register, record evidence verified by the bureau (clock at 2025-05-10;
    a clear credit check unless told not to), apply on 2025-05-20, read the rules."""
    clock.today = date(2025, 5, 10)
    org = grants.register_organization(**organization(**org_changes))
    for item in [*([CREDIT_CHECK] if credit_checked else []), *evidence]:
        grants.record_evidence(org, source=SOURCE, **item)
    application = submitted(grants, clock, call, org, documents)
    result = grants.eligibility(application)
    return result, {r["rule"]: r for r in result["rules"]}, application


def failing(rules):
    return sorted(name for name, r in rules.items() if r["kind"] == "hard" and not r["passed"])


def test_a_good_applicant_passes_every_hard_rule_with_a_reason_each(grants, clock, call):
    result, rules, _ = check(grants, clock, call, inspections())
    assert result["eligible"] is True and result["as_of"] == date(2025, 5, 20)
    assert failing(rules) == [] and all(r["reason"] for r in rules.values())
    assert result["preference_points"] == 0  # preferences never exclude


@pytest.mark.parametrize("type_code,kind", [("53", "foundation"), ("91", "not_civil_affairs")])
def test_only_social_groups_and_private_non_enterprise_units(grants, clock, call, type_code, kind):
    result, rules, _ = check(grants, clock, call, inspections(), type_code=type_code)
    assert failing(rules) == ["registration_type"] and kind in rules["registration_type"]["reason"]


@pytest.mark.parametrize(
    "evidence,reason",
    [
        (inspections(years=(2023,)), "2022: no annual inspection"),
        (
            inspections(years=(2022,)) + inspections(years=(2023,), result="basically_qualified"),
            "2023: inspection result basically_qualified",
        ),
    ],
)
def test_inspections_must_be_qualified_for_each_of_the_calls_years(grants, clock, call, evidence, reason):
    result, rules, _ = check(grants, clock, call, evidence)
    assert result["eligible"] is False and failing(rules) == ["annual_inspections"]
    assert reason in rules["annual_inspections"]["reason"]


def test_evidence_dated_after_the_application_date_does_not_count(grants, clock, call):
    late = [{**inspections(years=(2023,))[0], "effective_on": date(2025, 5, 25)}]
    clock.today = date(2025, 5, 10)
    org = grants.register_organization(**organization())
    grants.record_evidence(org, source=SOURCE, **CREDIT_CHECK)
    grants.record_evidence(org, source=SOURCE, **inspections(years=(2022,))[0])
    application = submitted(grants, clock, call, org)
    clock.today = date(2025, 5, 26)
    grants.record_evidence(org, source=SOURCE, **late[0])
    rules = {r["rule"]: r for r in grants.eligibility(application)["rules"]}
    assert failing(rules) == ["annual_inspections"]


def test_evidence_recorded_later_but_dated_before_counts(grants, clock, call):
    clock.today = date(2025, 5, 10)
    org = grants.register_organization(**organization())
    application = submitted(grants, clock, call, org)
    clock.today = date(2025, 5, 30)
    for item in [*inspections(), CREDIT_CHECK]:
        grants.record_evidence(org, source=SOURCE, **item)
    assert grants.eligibility(application)["eligible"] is True


@pytest.mark.parametrize(
    "item,who",
    [
        (
            {
                "kind": "misconduct",
                "subject": "legal_representative",
                "description": "违规收费受到处罚",
                "authority": "中卫市民政局",
                "effective_on": date(2021, 3, 1),
            },
            "the legal representative",
        ),
        (
            {
                "kind": "misconduct",
                "subject": "organisation",
                "description": "年检弄虚作假",
                "authority": "沙坡头区民政局",
                "effective_on": date(2020, 3, 1),
            },
            "the organisation",
        ),
        (
            {
                "kind": "credit_check",
                "list_name": "严重失信主体名单",
                "subject": "project_lead",
                "result": "listed",
                "effective_on": date(2025, 5, 1),
            },
            "the project lead",
        ),
    ],
)
def test_bad_records_of_the_organization_its_representative_or_lead_exclude(grants, clock, call, item, who):
    _, rules, _ = check(grants, clock, call, inspections() + [item])
    assert failing(rules) == ["no_bad_record"] and who in rules["no_bad_record"]["reason"]


def test_a_later_clear_credit_check_supersedes_a_listing(grants, clock, call):
    listed = {
        "kind": "credit_check",
        "list_name": "经营异常名录",
        "subject": "organisation",
        "result": "listed",
        "effective_on": date(2024, 1, 1),
    }
    _, rules, _ = check(
        grants, clock, call, inspections() + [listed, {**listed, "result": "clear", "effective_on": date(2025, 4, 1)}]
    )
    assert failing(rules) == []


@pytest.mark.parametrize(
    "change,text",
    [
        ({"accounting_regime": "enterprise_accounting"}, "not the non-profit accounting system"),
        ({"has_financial_rules": False}, "no written financial rules"),
        ({"accountant": {"name": "李娜", "qualification": ""}}, "no stated qualification"),
    ],
)
def test_the_non_profit_accounting_regime_is_required(grants, clock, call, change, text):
    _, rules, _ = check(grants, clock, call, inspections(), **change)
    assert failing(rules) == ["accounting_regime"] and text in rules["accounting_regime"]["reason"]


@pytest.mark.parametrize(
    "account",
    [
        {"bank": "x", "account_number": "123456", "independent": False, "opening_permit": True},
        {"bank": "x", "account_number": "123456", "independent": True, "opening_permit": False},
    ],
)
def test_an_independent_bank_account_with_a_permit_is_required(grants, clock, call, account):
    _, rules, _ = check(grants, clock, call, inspections(), bank_account=account)
    assert failing(rules) == ["bank_account"]


@pytest.mark.parametrize(
    "documents,text",
    [
        (DOCUMENTS[:3], "accountant_qualification"),
        ([{**DOCUMENTS[0], "signed_and_sealed": False}] + DOCUMENTS[1:], "not signed"),
    ],
)
def test_the_seeds_documents_are_required(grants, clock, call, documents, text):
    _, rules, _ = check(grants, clock, call, inspections(), documents=documents)
    assert failing(rules) == ["documents"] and text in rules["documents"]["reason"]


def test_preferences_add_points_only_with_valid_evidence_and_proof(grants, clock, call):
    grade = {
        "kind": "evaluation_grade",
        "grade": 3,
        "effective_on": date(2022, 1, 1),
        "valid_until": date(2026, 12, 31),
    }
    honour = {"kind": "honour", "title": "优秀社会组织", "issuer": "宁夏民政厅", "effective_on": date(2024, 1, 1)}
    good_project = {
        "kind": "project_experience",
        "title": "关爱项目",
        "issuer": "中卫市民政局",
        "outcome": "good",
        "effective_on": date(2024, 12, 31),
    }
    proofs = DOCUMENTS + [
        {"kind": "evaluation_grade_proof", "reference": "a", "signed_and_sealed": False},
        {"kind": "honour_certificates", "reference": "b", "signed_and_sealed": False},
    ]
    result, rules, _ = check(grants, clock, call, inspections() + [grade, honour, good_project], documents=proofs)
    assert result["preference_points"] == 5 and result["eligible"] is True
    assert {n: r["points"] for n, r in rules.items() if r["kind"] == "preference"} == {
        "evaluation_grade_3a": 2,
        "honours": 1,
        "project_experience": 2,
    }

    weaker = [{**grade, "grade": 2}, {**good_project, "outcome": "satisfactory"}]
    result, rules, _ = check(grants, clock, call, inspections() + weaker, documents=proofs)
    assert result["preference_points"] == 0 and "below 3A" in rules["evaluation_grade_3a"]["reason"]

    expired = [{**grade, "valid_until": date(2025, 5, 1)}, honour]
    result, rules, _ = check(grants, clock, call, inspections() + expired)
    assert result["preference_points"] == 0 and "without certificates" in rules["honours"]["reason"]


def call_in(grants, clock, year):
    """A published call for `year`; the clock is left where it was (or at its opening, if later)."""
    clock.today = max(clock.today, date(year, 5, 1))
    later = grants.draft_call(
        **{
            **SEED_CALL,
            "title": f"{year}年项目",
            "inspection_years": [year - 2, year - 1],
            "submission_opens": date(year, 5, 1),
            "submission_closes": date(year, 5, 31),
            "review_opens": date(year, 6, 1),
            "review_closes": date(year, 6, 30),
            "service_start": date(year, 7, 1),
            "service_end": date(year + 1, 6, 30),
        }
    )
    grants.publish_call(later, published_on=date(year, 5, 1))
    return later


def test_a_ban_excludes_from_its_decision_date_to_its_last_day(grants, clock, call):
    _, rules, first = check(grants, clock, call, inspections())
    org = grants.get_application(first)["organization_id"]
    clock.today = date(2025, 5, 21)
    grants.disqualify_application(first, reason="false_materials", details="伪造年检结论")
    assert grants.get_application(first)["status"] == "disqualified"
    assert rules["not_banned"]["passed"] and grants.eligibility(first)["eligible"]  # dated before the decision

    clock.today = date(2028, 5, 31)
    for item in inspections(years=(2024, 2025, 2026, 2027)):
        grants.record_evidence(org, source=SOURCE, **item)
    for year, received in ((2026, date(2026, 5, 10)), (2028, date(2028, 5, 20))):
        later = call_in(grants, clock, year)
        application = grants.submit_application(later, org, proposal(), DOCUMENTS, submitted_on=received)
        rules = {r["rule"]: r for r in grants.eligibility(application)["rules"]}
        assert failing(rules) == ["not_banned"] and "until 2028-05-21" in rules["not_banned"]["reason"]
        with pytest.raises(GrantsRuleViolation):
            grants.preliminary_review(application, "pass", reviewer="区民社局")


def test_the_ban_has_ended_three_years_after_the_decision(grants, clock, call):
    _, _, first = check(grants, clock, call, inspections())
    org = grants.get_application(first)["organization_id"]
    clock.today = date(2025, 5, 21)
    grants.disqualify_application(first, reason="false_materials", details="伪造年检结论")
    clock.today = date(2028, 5, 1)
    for item in inspections(years=(2026, 2027)):
        grants.record_evidence(org, source=SOURCE, **item)
    later = call_in(grants, clock, 2028)
    clock.today = date(2028, 5, 21)
    application = grants.submit_application(later, org, proposal(), DOCUMENTS)
    assert grants.eligibility(application)["eligible"] is True
    grants.preliminary_review(application, "pass", reviewer="区民社局")


# -- organisations cannot certify themselves (issue 13 item 3) -------------------------


def test_no_credit_list_check_means_not_eligible_with_that_reason(grants, clock, call):
    result, rules, _ = check(grants, clock, call, inspections(), credit_checked=False)
    assert result["eligible"] is False and failing(rules) == ["no_bad_record"]
    assert "no credit-list check of the organisation" in rules["no_bad_record"]["reason"]


def test_self_submitted_inspections_do_not_make_an_ineligible_organisation_eligible(grants, clock, call):
    """The attack: two self-recorded "qualified" inspections. Submitted, they are
    on file but count for nothing until the bureau verifies them."""
    clock.today = date(2025, 5, 10)
    org = grants.register_organization(**organization())
    grants.record_evidence(org, source=SOURCE, **CREDIT_CHECK)
    submitted_ids = [grants.submit_evidence(org, **item) for item in inspections()]
    application = submitted(grants, clock, call, org)
    result = grants.eligibility(application)
    assert result["eligible"] is False
    assert failing({r["rule"]: r for r in result["rules"]}) == ["annual_inspections"]
    on_file = grants.get_organization(org)["evidence"]
    assert [e["status"] for e in on_file if e["evidence_id"] in submitted_ids] == ["submitted", "submitted"]

    clock.today = date(2025, 5, 22)
    with acting_as(CallMeta(actor_id="bureau-wang", actor_role="bureau_admin")):
        for evidence_id in submitted_ids:
            grants.verify_evidence(org, evidence_id, decision="verified", source="宁夏社会组织年检结果公告")
    assert grants.eligibility(application)["eligible"] is True
    verified = [e for e in grants.get_organization(org)["evidence"] if e["evidence_id"] in submitted_ids]
    assert {(e["verification"]["verified_by"], e["verification"]["verified_on"]) for e in verified} == {
        ("bureau-wang", date(2025, 5, 22))
    }
    assert {e["verification"]["source"] for e in verified} == {"宁夏社会组织年检结果公告"}


def test_a_self_submitted_clear_check_cannot_override_the_bureaus_listing(grants, clock, call):
    listed = {
        "kind": "credit_check",
        "list_name": "信用中国严重失信主体名单",
        "subject": "organisation",
        "result": "listed",
        "effective_on": date(2025, 4, 1),
    }
    clock.today = date(2025, 5, 10)
    org = grants.register_organization(**organization())
    for item in [*inspections(), listed]:
        grants.record_evidence(org, source=SOURCE, **item)
    grants.submit_evidence(org, **{**listed, "result": "clear", "effective_on": date(2025, 5, 9)})
    application = submitted(grants, clock, call, org)
    rules = {r["rule"]: r for r in grants.eligibility(application)["rules"]}
    assert failing(rules) == ["no_bad_record"] and "is on 信用中国严重失信主体名单" in rules["no_bad_record"]["reason"]


def test_verification_names_its_source_and_is_given_once(grants, clock, call):
    clock.today = date(2025, 5, 10)
    org = grants.register_organization(**organization())
    evidence_id = grants.submit_evidence(org, **inspections()[0])
    for change, field in (
        ({"source": " "}, "source"),
        ({"decision": "approved"}, "decision"),
        ({"decision": "rejected"}, "reason"),
    ):
        with pytest.raises(GrantsRuleViolation) as error:
            grants.verify_evidence(org, evidence_id, **{"decision": "verified", "source": SOURCE, **change})
        assert field in error.value.fields
    grants.verify_evidence(org, evidence_id, decision="rejected", source=SOURCE, reason="公告中查无此结论")
    with pytest.raises(GrantsRuleViolation) as error:
        grants.verify_evidence(org, evidence_id, decision="verified", source=SOURCE)
    assert "already rejected" in error.value.fields["evidence_id"][0]
