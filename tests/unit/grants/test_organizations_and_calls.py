"""Organizations, their evidence, calls and submission — each rule refusing what
it must, storing nothing when it does. On POPO, SQLite and PostgreSQL."""

import uuid
from datetime import date

import pytest

from services.grants.domain.calls import Call
from services.grants.domain.organizations import CreditCodeClaim
from services.grants.domain.proposals import ProposalClaim
from services.grants.exceptions import (
    ApplicationNotFound,
    CallNotFound,
    DuplicateApplication,
    DuplicateCreditCode,
    GrantsRuleViolation,
    OrganizationNotFound,
    WrongState,
)
from shared.errors import ConcurrentChange
from tests.support.grants import (
    DOCUMENTS,
    SEED_CALL,
    SOURCE,
    eligible_organization,
    organization,
    proposal,
    published_call,
    refused,
    submitted,
)


def test_an_organization_is_registered_with_its_type_from_the_code(grants):
    org = grants.register_organization(**organization())
    found = grants.get_organization(org)
    assert found["registration_type"] == "private_non_enterprise" and found["registered_on"] == date(2025, 5, 10)
    assert [row["organization_id"] for row in grants.list_organizations(limit=10, after=None)] == [org]


def test_a_second_organization_with_the_same_code_is_refused_naming_the_first(grants):
    details = organization()
    first = grants.register_organization(**details)
    head = grants.head_position()
    with pytest.raises(DuplicateCreditCode) as error:
        grants.register_organization(**{**details, "name": "另一个名字"})
    assert error.value.existing_organization_id == str(first) and grants.head_position() == head


@pytest.mark.parametrize(
    "change,field",
    [
        ({"credit_code": "52640502MJ00000100"}, "credit_code"),
        ({"accounting_regime": "cash_box"}, "accounting_regime"),
    ],
)
def test_bad_registrations_are_refused(grants, change, field):
    refused(grants, GrantsRuleViolation, field, grants.register_organization, **organization(**change))


EVIDENCE = {"kind": "annual_inspection", "year": 2023, "result": "qualified", "effective_on": date(2024, 4, 30)}


@pytest.mark.parametrize(
    "item,field",
    [
        ({**EVIDENCE, "kind": "rumour"}, "kind"),
        ({k: v for k, v in EVIDENCE.items() if k != "result"}, "result"),
        ({**EVIDENCE, "result": "excellent"}, "result"),
        ({**EVIDENCE, "year": 2025}, "year"),
        ({**EVIDENCE, "effective_on": date(2025, 5, 11)}, "effective_on"),
        ({**EVIDENCE, "grade": 4}, "grade"),
        (
            {"kind": "evaluation_grade", "grade": 6, "valid_until": date(2027, 1, 1), "effective_on": date(2024, 1, 1)},
            "grade",
        ),
        (
            {"kind": "evaluation_grade", "grade": 3, "valid_until": date(2023, 1, 1), "effective_on": date(2024, 1, 1)},
            "valid_until",
        ),
        (
            {
                "kind": "credit_check",
                "list_name": "失信名单",
                "subject": "treasurer",
                "result": "clear",
                "effective_on": date(2025, 1, 1),
            },
            "subject",
        ),
        (
            {"kind": "misconduct", "subject": "organisation", "description": "x", "effective_on": date(2024, 1, 1)},
            "authority",
        ),
        (
            {
                "kind": "project_experience",
                "title": "x",
                "issuer": "y",
                "outcome": "great",
                "effective_on": date(2024, 1, 1),
            },
            "outcome",
        ),
    ],
)
def test_evidence_is_checked_per_kind(grants, item, field):
    org = grants.register_organization(**organization())
    refused(grants, GrantsRuleViolation, field, grants.record_evidence, org, source=SOURCE, **item)


def test_evidence_for_an_unknown_organization_is_not_found(grants):
    with pytest.raises(OrganizationNotFound):
        grants.record_evidence(uuid.uuid4(), source=SOURCE, **EVIDENCE)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"budget_fen": 0}, "budget_fen"),
        ({"service_end": date(2025, 6, 30)}, "service_end"),
        ({"service_lines": ["karaoke"]}, "service_lines"),
        ({"service_lines": []}, "service_lines"),
        ({"inspection_years": [2024, 2025]}, "inspection_years"),
        ({"submission_closes": date(2025, 5, 1)}, "submission_closes"),
        ({"review_opens": date(2025, 5, 31)}, "review_opens"),
        ({"review_closes": date(2025, 5, 31)}, "review_closes"),
        ({"notice_days": 0}, "notice_days"),
        ({"notice_day_kind": "lunar"}, "notice_day_kind"),
        (
            {
                "tranches": [
                    {"number": 1, "percent": 40, "gate": "signing"},
                    {"number": 2, "percent": 30, "gate": "final_passed"},
                ]
            },
            "tranches",
        ),
        ({"tranches": [{"number": 1, "percent": 100, "gate": "whenever"}]}, "tranches"),
        (
            {"rubric": [{"criterion": "need_authenticity", "weight": 50}, {"criterion": "innovation", "weight": 40}]},
            "rubric",
        ),
        ({"min_scorers": 0}, "min_scorers"),
        ({"preference_points": {"evaluation_grade_3a": -1}}, "preference_points"),
    ],
)
def test_bad_call_terms_are_refused(grants, change, field):
    refused(grants, GrantsRuleViolation, field, grants.draft_call, **{**SEED_CALL, **change})


def test_a_call_is_drafted_then_published_once_with_the_seed_defaults(grants, clock):
    call = published_call(grants, clock)
    found = grants.get_call(call)
    assert found["status"] == "published" and found["notice_days"] == 5 and found["notice_day_kind"] == "calendar"
    assert [t["percent"] for t in found["tranches"]] == [40, 30, 30]
    assert sum(c["weight"] for c in found["rubric"]) == 100 and len(found["rubric"]) == 6
    with pytest.raises(WrongState):
        grants.publish_call(call)
    assert grants.list_calls(limit=5, after=None)[0]["status"] == "published"


def test_a_call_cannot_be_published_after_its_submission_window(grants, clock):
    call = grants.draft_call(**SEED_CALL)
    clock.today = date(2025, 6, 1)
    refused(grants, GrantsRuleViolation, "published_on", grants.publish_call, call)


def test_decision_dates_cannot_be_in_the_future(grants, clock):
    call = grants.draft_call(**SEED_CALL)
    refused(grants, GrantsRuleViolation, "published_on", grants.publish_call, call, published_on=date(2025, 5, 11))


def test_closing_needs_a_reason_and_a_closed_call_takes_no_applications(grants, clock):
    call = published_call(grants, clock)
    refused(grants, GrantsRuleViolation, "reason", grants.close_call, call, reason=" ")
    grants.close_call(call, reason="项目取消")
    org = eligible_organization(grants)
    with pytest.raises(WrongState):
        submitted(grants, clock, call, org)


def test_applications_to_a_drafted_call_are_refused(grants, clock):
    call = grants.draft_call(**SEED_CALL)
    org = eligible_organization(grants)
    with pytest.raises(WrongState):
        submitted(grants, clock, call, org)


@pytest.mark.parametrize("received", [date(2025, 5, 12), date(2025, 6, 1)])
def test_submission_outside_the_window_is_refused(grants, clock, received):
    call = published_call(grants, clock)
    org = eligible_organization(grants)
    clock.today = date(2025, 6, 5)
    refused(
        grants,
        GrantsRuleViolation,
        "submitted_on",
        grants.submit_application,
        call,
        org,
        proposal(),
        DOCUMENTS,
        submitted_on=received,
    )


@pytest.mark.parametrize(
    "change,field",
    [
        ({"budget_lines": [{"line": "all", "amount_fen": 25_000_001}]}, "proposal.budget_lines"),
        ({"budget_lines": [{"line": "all", "amount_fen": 0}]}, "proposal.budget_lines"),
        ({"activities": [{"service_line": "life_care", "description": "x"}]}, "proposal.activities"),
    ],
)
def test_proposals_must_fit_the_call(grants, clock, change, field):
    call = published_call(grants, clock, service_lines=["life_care", "safety_education"])
    org = eligible_organization(grants)
    refused(grants, GrantsRuleViolation, field, submitted, grants, clock, call, org, **change)


def test_one_application_per_organization_per_call(grants, clock):
    call = published_call(grants, clock)
    org = eligible_organization(grants)
    first = submitted(grants, clock, call, org)
    head = grants.head_position()
    with pytest.raises(DuplicateApplication) as error:
        submitted(grants, clock, call, org)
    assert error.value.existing_application_id == str(first) and grants.head_position() == head
    assert grants.get_call(call)["application_ids"] == [first]


def test_unknown_records_are_not_found(grants):
    with pytest.raises(CallNotFound):
        grants.get_call(uuid.uuid4())
    with pytest.raises(ApplicationNotFound):
        grants.eligibility(uuid.uuid4())
    org = grants.register_organization(**organization())
    with pytest.raises(CallNotFound):
        grants.get_call(org)  # an id of another kind of record


# Races: the loser's check ran before the winner saved.


def blind_once(grants, monkeypatch, claim_kind):
    """The next look for a claim finds none, as for a request that checked
    before another saved its claim."""
    real_find, seen = grants.find, []

    def find(kind, record_id, version=None):
        if kind is claim_kind:
            seen.append(record_id)
            if len(seen) == 1:
                return None
        return real_find(kind, record_id, version)

    monkeypatch.setattr(grants, "find", find)


def test_a_registration_racing_one_with_the_same_code_is_refused_naming_the_winner(grants, monkeypatch):
    details = organization()
    first = grants.register_organization(**details)
    head = grants.head_position()
    blind_once(grants, monkeypatch, CreditCodeClaim)
    with pytest.raises(DuplicateCreditCode) as error:
        grants.register_organization(**{**details, "name": "同时提交的另一家"})
    assert error.value.existing_organization_id == str(first) and grants.head_position() == head


def test_an_application_racing_the_same_organizations_first_is_refused_naming_it(grants, clock, monkeypatch):
    call = published_call(grants, clock)
    org = eligible_organization(grants)
    first = submitted(grants, clock, call, org)
    head = grants.head_position()
    blind_once(grants, monkeypatch, ProposalClaim)
    with pytest.raises(DuplicateApplication) as error:
        submitted(grants, clock, call, org)
    assert error.value.existing_application_id == str(first) and grants.head_position() == head


def test_a_change_that_loses_a_race_stores_nothing_and_says_so(grants, clock, monkeypatch):
    call = published_call(grants, clock)
    stale = grants.load(Call, call, CallNotFound)
    grants.appoint_panel_member(call, name="财政委员", role="finance", affiliation="区财政局")
    head = grants.head_position()
    monkeypatch.setattr(grants, "load", lambda *args, **kwargs: stale)
    with pytest.raises(ConcurrentChange) as error:
        grants.appoint_panel_member(call, name="社工委员", role="social_worker", affiliation="社工协会")
    assert error.value.code == "CONCURRENT_CHANGE" and error.value.details() == {"record": "call"}
    assert grants.head_position() == head
