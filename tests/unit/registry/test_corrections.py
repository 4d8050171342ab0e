"""Corrections are events: the old value stays, history names who, when and
why, and a file can be read as it stood at any moment."""

import uuid
from datetime import UTC, date, datetime

import pytest

from services.registry.exceptions import ChildNotFound, DuplicateIdNumber, InvalidChild
from shared.context import CallMeta, acting_as
from tests.support.children import MIGRANT_PARENTS

TODAY = date(2025, 6, 1)
CHILD = dict(
    name="李小花",
    gender="female",
    date_of_birth=date(2015, 3, 4),
    id_number="640502201503040021",
    town="滨河镇",
    village="新北村",
    categories=["left_behind"],
    household=MIGRANT_PARENTS,
)
OTHER_ID = "640502201503040048"  # valid, female, same birth date


def test_a_correction_keeps_the_old_value_in_history_with_actor_time_and_reason(registry):
    with acting_as(CallMeta("director-9", "child_director", correlation_id="req-1")):
        child_id = registry.register_child(**CHILD)
    with acting_as(CallMeta("social-worker-3", "provider_staff", correlation_id="req-2")):
        registry.correct_child(child_id, field="village", value="黄湾村", reason="family moved in May")
    assert registry.get_child(child_id)["village"] == "黄湾村"
    registered, corrected = registry.child_history(child_id)
    assert registered["event"] == "registered" and registered["actor"]["id"] == "director-9"
    assert corrected["event"] == "corrected"
    assert corrected["actor"] == {"id": "social-worker-3", "role": "provider_staff"}
    assert corrected["reason"] == "family moved in May" and corrected["correlation_id"] == "req-2"
    assert corrected["data"]["field"] == "village"
    assert corrected["data"]["old"] == "新北村" and corrected["data"]["new"] == "黄湾村"
    assert datetime.fromisoformat(corrected["at"]) >= datetime.fromisoformat(registered["at"])


def test_the_file_as_it_stood_at_a_past_moment(registry):
    child_id = registry.register_child(**CHILD)
    between = datetime.now(UTC)
    registry.correct_child(child_id, field="name", value="李晓花", reason="spelling on the hukou")
    assert registry.get_child(child_id, as_of=between)["name"] == "李小花"
    assert registry.get_child(child_id)["name"] == "李晓花"
    with pytest.raises(ChildNotFound):
        registry.get_child(child_id, as_of=datetime(2000, 1, 1, tzinfo=UTC))


CORRECTION_REFUSALS = {
    "no reason": ({"field": "name", "value": "李晓花", "reason": "  "}, "reason"),
    "same value": ({"field": "name", "value": "李小花", "reason": "x"}, "value"),
    "unknown field": ({"field": "registered_on", "value": date(2020, 1, 1), "reason": "x"}, "field"),
    "town outside the district": ({"field": "town", "value": "银川市", "reason": "x"}, "town"),
    "birth date against the ID number": (
        {"field": "date_of_birth", "value": date(2015, 3, 5), "reason": "x"},
        "id_number",
    ),
    "left-behind after correcting to 16": (
        {"field": "date_of_birth", "value": date(2009, 3, 4), "reason": "x"},
        "id_number",
    ),
}


@pytest.mark.parametrize("case", CORRECTION_REFUSALS, ids=list(CORRECTION_REFUSALS))
def test_corrections_are_refused_with_a_reason_and_store_nothing(registry, case):
    change, field = CORRECTION_REFUSALS[case]
    child_id = registry.register_child(**CHILD)
    head = registry.head_position()
    with pytest.raises(InvalidChild) as refused:
        registry.correct_child(child_id, **change)
    assert field in refused.value.fields
    assert registry.head_position() == head


def test_a_correction_may_not_make_a_left_behind_child_16(registry):
    child_id = registry.register_child(**{**CHILD, "id_number": None})
    with pytest.raises(InvalidChild) as refused:
        registry.correct_child(child_id, field="date_of_birth", value=date(2009, 3, 4), reason="x")
    assert "categories" in refused.value.fields


def test_correcting_the_id_number_claims_the_new_one_and_releases_the_old(registry):
    first = registry.register_child(**CHILD)
    registry.correct_child(first, field="id_number", value=OTHER_ID, reason="digit misread")
    second = registry.register_child(**{**CHILD, "name": "张丽"})  # the old number is free again
    with pytest.raises(DuplicateIdNumber) as refused:
        registry.correct_child(second, field="id_number", value=OTHER_ID, reason="x")
    assert refused.value.existing_child_id == str(first)
    assert registry.get_child(second)["id_number"] == CHILD["id_number"]


def test_history_of_an_unknown_file_is_not_found(registry):
    with pytest.raises(ChildNotFound):
        registry.child_history(uuid.uuid4())
