"""The grants RPC entrypoints: shape errors are InvalidInput (400), rules are
RuleViolation (422), unknown ids are NotFound, and every answer is plain JSON."""

import json
import uuid
from datetime import date

import pytest
from nameko.testing.services import worker_factory

from services.grants.application import GrantsApplication
from services.grants.exceptions import ApplicationNotFound, ContractNotFound, GrantsRuleViolation
from services.grants.service import GrantsService
from shared.errors import InvalidInput, RuleViolation
from shared.jsonable import jsonable
from tests.support.grants import CREDIT_CHECK, DOCUMENTS, SEED_CALL, SOURCE, Clock, inspections, organization, proposal


@pytest.fixture
def clock():
    return Clock(date(2025, 5, 20))


@pytest.fixture
def service(clock):
    app = GrantsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.clock = clock
    return worker_factory(GrantsService, store=app)


@pytest.fixture
def applied(service):
    org = service.register_organization(jsonable(organization()))["id"]
    for item in [*inspections(), CREDIT_CHECK]:
        service.record_evidence(org, jsonable({**item, "source": SOURCE}))
    call = service.draft_call(jsonable(SEED_CALL))["id"]
    service.publish_call(call, {"published_on": "2025-05-13"})
    application = service.submit_application(
        call, jsonable({"organization_id": org, "proposal": proposal(), "documents": DOCUMENTS})
    )["id"]
    return {"org": org, "call": call, "application": application}


SHAPE_ERRORS = {
    "code with a forbidden letter": (
        "register_organization",
        lambda ids: (jsonable({**organization(), "credit_code": "52640502MJ0000O1XX"}),),
        "credit_code",
    ),
    "unknown field": ("register_organization", lambda ids: (jsonable({**organization(), "motto": "x"}),), "motto"),
    "budget as text": ("draft_call", lambda ids: (jsonable({**SEED_CALL, "budget_fen": "250000"}),), "budget_fen"),
    "unknown service line": (
        "draft_call",
        lambda ids: (jsonable({**SEED_CALL, "service_lines": ["x"]}),),
        "service_lines",
    ),
    "needs without data": (
        "submit_application",
        lambda ids: (
            ids["call"],
            jsonable(
                {
                    "organization_id": ids["org"],
                    "documents": DOCUMENTS,
                    "proposal": {**proposal(), "needs_analysis": {"summary": "x", "data_points": []}},
                }
            ),
        ),
        "proposal",
    ),
    "unknown document": (
        "submit_application",
        lambda ids: (
            ids["call"],
            jsonable(
                {
                    "organization_id": ids["org"],
                    "proposal": proposal(),
                    "documents": [{"kind": "selfie", "reference": "x"}],
                }
            ),
        ),
        "documents",
    ),
    "bad date": (
        "preliminary_review",
        lambda ids: (ids["application"], {"decision": "pass", "reviewer": "x", "reviewed_on": "2025-02-30"}),
        "reviewed_on",
    ),
    "score as text": (
        "score_application",
        lambda ids: (ids["application"], {"member_id": str(uuid.uuid4()), "scores": {"innovation": "90"}}),
        "scores",
    ),
    "evaluation score not a number": (
        "record_evaluation",
        lambda ids: (
            str(uuid.uuid4()),
            {
                "kind": "mid_term",
                "scores": {"output": "forty"},
                "evaluators": [{"body": "civil_affairs_bureau", "name": "x"}],
            },
        ),
        "scores",
    ),
    "evaluator without a body": (
        "record_evaluation",
        lambda ids: (str(uuid.uuid4()), {"kind": "mid_term", "scores": {}, "evaluators": ["区民社局"]}),
        "evaluators",
    ),
    "termination reason unknown": (
        "terminate_contract",
        lambda ids: (str(uuid.uuid4()), {"reason": "boredom", "details": "x"}),
        "reason",
    ),
    "body not an object": ("draft_call", lambda ids: ([1, 2],), "_body"),
}


@pytest.mark.parametrize("case", SHAPE_ERRORS, ids=list(SHAPE_ERRORS))
def test_shape_errors_are_invalid_input_not_rule_violations(service, applied, case):
    method, args, field = SHAPE_ERRORS[case]
    with pytest.raises(InvalidInput) as refused:
        getattr(service, method)(*args(applied))
    assert not isinstance(refused.value, RuleViolation)
    assert field in refused.value.fields, refused.value.fields


def test_rules_are_rule_violations(service, applied):
    with pytest.raises(GrantsRuleViolation) as refused:
        service.preliminary_review(applied["application"], {"decision": "reject", "reviewer": "x", "reasons": []})
    assert "reasons" in refused.value.fields


@pytest.mark.parametrize(
    "method,not_found",
    [
        ("get_application", ApplicationNotFound),
        ("eligibility", ApplicationNotFound),
        ("get_contract", ContractNotFound),
    ],
)
@pytest.mark.parametrize("identifier", ["not-a-uuid", str(uuid.uuid4())])
def test_unknown_ids_are_not_found(service, method, not_found, identifier):
    with pytest.raises(not_found):
        getattr(service, method)(identifier)


def test_answers_are_plain_json(service, applied):
    for answer in (
        service.get_application(applied["application"]),
        service.eligibility(applied["application"]),
        service.get_organization(applied["org"]),
        service.get_call(applied["call"]),
        service.list_calls({"limit": 10}),
        service.list_bans({"limit": 10}),
        service.list_public_notices({"limit": 10}),
    ):
        assert json.loads(json.dumps(answer)) == answer
    assert service.get_organization(applied["org"])["evidence"][0]["effective_on"] == "2023-04-30"


def test_list_limits_are_checked(service):
    with pytest.raises(InvalidInput):
        service.list_organizations({"limit": 0})


def test_lists_page_with_a_cursor(service):
    ids = sorted(service.register_organization(jsonable(organization(f"机构{n}")))["id"] for n in range(3))
    first = service.list_organizations({"limit": 2})
    assert [o["organization_id"] for o in first["items"]] == ids[:2] and first["next_cursor"] == ids[1]
    second = service.list_organizations({"limit": 2, "cursor": first["next_cursor"]})
    assert [o["organization_id"] for o in second["items"]] == ids[2:] and second["next_cursor"] is None
