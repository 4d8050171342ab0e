"""The registry's RPC entrypoints: shape errors are InvalidInput (400), rules are
RuleViolation (422), and every answer is plain JSON."""

import json
import uuid
from datetime import date

import pytest
from nameko.testing.services import worker_factory

from services.registry.application import RegistryApplication
from services.registry.exceptions import DismissalNotFound, InvalidChild, InvalidDismissal, PairAlreadyDismissed
from services.registry.service import RegistryService
from shared.errors import InvalidInput, RuleViolation
from tests.support.children import MIGRANT_PARENTS

TODAY = date(2025, 6, 1)
CHILD = {
    "name": "李小花",
    "gender": "female",
    "date_of_birth": "2015-03-04",
    "id_number": None,
    "town": "滨河镇",
    "village": "新北村",
    "categories": ["left_behind"],
    "household": MIGRANT_PARENTS,
}


@pytest.fixture
def service():
    app = RegistryApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.clock = lambda: TODAY
    return worker_factory(RegistryService, store=app)


@pytest.fixture
def child_id(service):
    return service.register_child(CHILD)["child_id"]


SHAPE_ERRORS = {
    "household without mother": (
        "register_child",
        lambda c: ({**CHILD, "household": {"father": {"status": "migrant"}, "economic_status": "dibao"}},),
        "household",
    ),
    "unknown parent status": (
        "register_child",
        lambda c: (
            {
                **CHILD,
                "household": {
                    "father": {"status": "abroad"},
                    "mother": {"status": "migrant"},
                    "economic_status": "dibao",
                },
            },
        ),
        "household",
    ),
    "guardian age as text": (
        "register_child",
        lambda c: (
            {**CHILD, "guardian": {"relation": "grandparent", "age": "67", "health": "good", "capacity": "full"}},
        ),
        "guardian",
    ),
    "correction value of the wrong shape": (
        "correct_child",
        lambda c: (c, {"field": "date_of_birth", "value": "yesterday", "reason": "x"}),
        "value",
    ),
    "correction of a required field to null": (
        "correct_child",
        lambda c: (c, {"field": "name", "value": None, "reason": "x"}),
        "value",
    ),
    "visit without findings": ("record_visit", lambda c: (c, {"visited_on": "2025-05-01", "visitor": "x"}), "findings"),
    "tier as text": ("assess_risk", lambda c: (c, {"level": "1", "reasons": ["x"]}), "level"),
    "as_of without a zone": ("get_child", lambda c: (c, "2025-05-01T10:00:00"), "as_of"),
    "empty dismissal reason": (
        "dismiss_duplicate",
        lambda c: ({"first_id": c, "second_id": str(uuid.uuid4()), "reason": ""},),
        "reason",
    ),
    "blank dismissal reason": (
        "dismiss_duplicate",
        lambda c: ({"first_id": c, "second_id": str(uuid.uuid4()), "reason": " \n "},),
        "reason",
    ),
    "dismissal of one file": ("dismiss_duplicate", lambda c: ({"first_id": c, "reason": "x"},), "second_id"),
    "withdrawal without a reason": ("withdraw_dismissal", lambda c: (str(uuid.uuid4()), {}), "reason"),
    "unknown list filter": ("list_children", lambda c: ({"colour": "red"},), "colour"),
    "tier filter out of range": ("overdue_contacts", lambda c: ({"tier": "4"},), "tier"),
}


@pytest.mark.parametrize("case", SHAPE_ERRORS, ids=list(SHAPE_ERRORS))
def test_shape_errors_are_invalid_input_not_rule_violations(service, child_id, case):
    method, args, field = SHAPE_ERRORS[case]
    with pytest.raises(InvalidInput) as refused:
        getattr(service, method)(*args(child_id))
    assert not isinstance(refused.value, RuleViolation)
    assert field in refused.value.fields, refused.value.fields


def test_rules_are_rule_violations(service, child_id):
    with pytest.raises(InvalidChild) as refused:
        service.record_visit(child_id, {"visited_on": "2030-01-01", "visitor": "x", "findings": "y"})
    assert isinstance(refused.value, RuleViolation) and "visited_on" in refused.value.fields


def test_answers_are_plain_json(service, child_id):
    service.correct_child(
        child_id,
        {
            "field": "household",
            "reason": "first visit",
            "value": {
                "father": {"status": "migrant", "whereabouts": "银川"},
                "mother": {"status": "deceased"},
                "economic_status": "dibao",
            },
        },
    )
    service.record_visit(child_id, {"visited_on": "2025-05-01", "visitor": "x", "findings": "y"})
    service.assess_risk(child_id, {"level": 2, "reasons": ["x"]})
    for answer in (
        service.get_child(child_id),
        service.child_history(child_id),
        service.list_children({"limit": "2"}),
        service.overdue_contacts({}),
        service.duplicates({"min_score": "0.5"}),
        service.statistics(),
        service.get_child(child_id, "2099-01-01T00:00:00+08:00"),
    ):
        json.dumps(answer)
    assert service.get_child(child_id)["household"]["mother"]["status"] == "deceased"
    assert service.get_child(child_id)["pending_facts"] == []


def test_the_daily_timer_applies_the_rules_for_the_clock_date(service):
    born = {**CHILD, "date_of_birth": "2009-06-02"}
    child_id = service.register_child(born)["child_id"]
    service.store.clock = lambda: date(2025, 6, 2)
    service.daily_job()
    assert service.get_child(child_id)["categories"] == []
    assert service.run_daily() == {"left_behind_ended": 0, "aged_out": 0}


def test_dismissing_a_pair_over_rpc(service, child_id):
    other = service.register_child({**CHILD, "name": "李晓花"})["child_id"]
    with pytest.raises(InvalidDismissal) as refused:
        service.dismiss_duplicate({"first_id": child_id, "second_id": child_id, "reason": "x"})
    assert list(refused.value.fields) == ["second_id"]
    dismissed = service.dismiss_duplicate({"first_id": child_id, "second_id": other, "reason": "不是同一人"})
    with pytest.raises(PairAlreadyDismissed):
        service.dismiss_duplicate({"first_id": other, "second_id": child_id, "reason": "again"})
    assert service.duplicates({})["items"] == []
    (row,) = service.list_dismissals({})["items"]
    assert row["dismissal_id"] == dismissed["dismissal_id"]
    withdrawn = service.withdraw_dismissal(dismissed["dismissal_id"], {"reason": "重新核查"})
    assert withdrawn["standing"] is False and withdrawn["withdrawn_on"] == TODAY.isoformat()
    with pytest.raises(DismissalNotFound):
        service.withdraw_dismissal("not-a-uuid", {"reason": "x"})
    for answer in (dismissed, withdrawn, service.list_dismissals({}), service.duplicates({})):
        json.dumps(answer)
    assert len(service.duplicates({})["items"]) == 1
