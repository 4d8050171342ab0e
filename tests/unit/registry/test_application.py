"""Registry use cases, run on POPO, SQLite and PostgreSQL alike."""

from datetime import date

import pytest

from services.registry.exceptions import ChildNotFound, DuplicateIdNumber, InvalidChild
from shared.context import CallMeta, acting_as
from shared.relay import stored_meta
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


def test_register_and_read_a_child_file(registry):
    child_id = registry.register_child(**CHILD)
    child = registry.get_child(child_id)
    assert child["name"] == "李小花" and child["registered_on"] == TODAY
    assert child["without_household_registration"] is False


def test_child_without_household_registration_is_allowed_and_flagged(registry):
    child_id = registry.register_child(**{**CHILD, "id_number": None})
    assert registry.get_child(child_id)["without_household_registration"] is True


def test_same_id_number_is_refused_with_the_existing_file_id(registry):
    first = registry.register_child(**CHILD)
    head = registry.head_position()
    with pytest.raises(DuplicateIdNumber) as refused:
        registry.register_child(**{**CHILD, "name": "李花"})
    assert refused.value.existing_child_id == str(first)
    assert registry.head_position() == head


@pytest.mark.parametrize(
    "change,field",
    [
        ({"date_of_birth": date(2026, 1, 1)}, "date_of_birth"),
        ({"date_of_birth": date(2007, 5, 31), "id_number": None}, "date_of_birth"),
        ({"categories": []}, "categories"),
        ({"categories": ["orphan"]}, "categories"),
        ({"gender": "male"}, "id_number"),
        ({"id_number": "640502201503040022"}, "id_number"),
    ],
)
def test_rules_refuse_bad_data_and_store_nothing(registry, change, field):
    with pytest.raises(InvalidChild) as refused:
        registry.register_child(**{**CHILD, **change})
    assert field in refused.value.fields
    assert registry.head_position() == 0


def test_unknown_child_is_not_found(registry):
    import uuid

    with pytest.raises(ChildNotFound):
        registry.get_child(uuid.uuid4())


def test_every_stored_event_records_who_and_which_request(registry):
    with acting_as(CallMeta("u-42", "child_director", correlation_id="req-7")):
        registry.register_child(**CHILD)
    notifications = registry.recorder.select_notifications(start=1, limit=10)
    assert len(notifications) == 2  # the file and the ID-number claim
    for notification in notifications:
        meta = stored_meta(registry, notification)
        assert meta["actor_id"] == "u-42" and meta["actor_role"] == "child_director"
        assert meta["correlation_id"] == "req-7"
