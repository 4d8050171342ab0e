"""A call's review panel and conflict-of-interest declarations are for the
bureau and auditors (issue 13, item 11): applicants saw who judged them and
what each declared. A reviewer keeps their own seat."""

from services.gateway import service  # noqa: F401 - registers every route
from services.gateway.domain import AUDITOR, BUREAU_ADMIN, FINANCE_OFFICER, PROVIDER_STAFF, REVIEWER
from services.gateway.policy import access_for
from services.gateway.redaction import PANEL_READERS, own_scores_for_a_reviewer, panel_for_the_bureau
from services.gateway.web.caller import Caller
from services.gateway.web.routes import ROUTES
from services.grants.schemas import ApplicationSchema, CallSchema

CALL = {
    "call_id": "c-1",
    "title": "留守儿童关爱服务",
    "panel": [{"member_id": "m-1", "name": "张委员"}, {"member_id": "m-2", "name": "李委员"}],
    "declarations": [
        {"member_id": "m-1", "application_id": "a-1", "conflicted": True, "statement": "本人为该中心理事"},
        {"member_id": "m-2", "application_id": "a-1", "conflicted": False, "statement": ""},
    ],
}


def caller(role, **scope) -> Caller:
    return Caller("u-1", "someone", role, scope)


def test_the_bureau_and_auditors_see_the_whole_panel():
    for role in (BUREAU_ADMIN, AUDITOR):
        assert panel_for_the_bureau(caller(role), CALL) == CALL


def test_applicants_and_others_see_the_call_without_panel_or_declarations():
    for role in (PROVIDER_STAFF, FINANCE_OFFICER):
        seen = panel_for_the_bureau(caller(role, organization_id="o-1"), CALL)
        assert seen == {**CALL, "panel": [], "declarations": []}


def test_a_reviewer_sees_only_their_own_seat_and_declarations():
    seen = panel_for_the_bureau(caller(REVIEWER, panel_member_ids=["m-2"]), CALL)
    assert [m["name"] for m in seen["panel"]] == ["李委员"]
    assert [d["member_id"] for d in seen["declarations"]] == ["m-2"]


def test_every_route_answering_a_call_to_others_than_the_bureau_redacts_its_panel():
    unredacted = [
        (r.method, r.path)
        for r in ROUTES
        if r.response is CallSchema
        and set(access_for(r.method, r.path).roles) - PANEL_READERS
        and access_for(r.method, r.path).redact is not panel_for_the_bureau
    ]
    assert unredacted == []


APPLICATION = {
    "application_id": "a-1",
    "scores": [
        {"member_id": "m-1", "scores": {"plan": 90}, "total": 90.0},
        {"member_id": "m-2", "scores": {"plan": 60}, "total": 60.0},
    ],
    "mean_score": 75.0,
}


def test_a_reviewer_reads_an_application_with_only_their_own_scores_and_no_mean():
    seen = own_scores_for_a_reviewer(caller(REVIEWER, panel_member_ids=["m-2"]), APPLICATION)
    assert [s["member_id"] for s in seen["scores"]] == ["m-2"]
    assert seen["mean_score"] is None
    before_scoring = own_scores_for_a_reviewer(caller(REVIEWER, panel_member_ids=["m-3"]), APPLICATION)
    assert before_scoring["scores"] == [] and before_scoring["mean_score"] is None


def test_the_bureau_auditors_and_the_applicant_read_the_scores_unchanged():
    for role in (BUREAU_ADMIN, AUDITOR, PROVIDER_STAFF):
        assert own_scores_for_a_reviewer(caller(role, organization_id="o-1"), APPLICATION) == APPLICATION


def test_every_route_answering_an_application_to_a_reviewer_hides_the_others_scores():
    unredacted = [
        (r.method, r.path)
        for r in ROUTES
        if r.response is ApplicationSchema
        and REVIEWER in access_for(r.method, r.path).roles
        and access_for(r.method, r.path).redact is not own_scores_for_a_reviewer
    ]
    assert unredacted == []
