"""Near-duplicate candidates, and merging two files as an event: the merged-away
id leads to the survivor."""
import uuid
from datetime import date

import pytest

from services.registry.application import RegistryApplication
from services.registry.exceptions import ChildNotFound, InvalidChild
from tests.support.apps import make_app, store_kind  # noqa: F401
from tests.support.children import MIGRANT_PARENTS

TODAY = date(2025, 6, 1)
BASE = dict(gender="female", date_of_birth=date(2015, 3, 4), town="滨河镇", village="新北村",
            categories=["left_behind"], household=MIGRANT_PARENTS)


@pytest.fixture
def registry(make_app):  # noqa: F811
    app = make_app(RegistryApplication)
    app.clock = lambda: TODAY
    return app


def test_similar_names_born_the_same_day_in_the_same_village_are_candidates(registry):
    a = registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    b = registry.register_child(name="李晓花", id_number=None, **BASE)
    registry.register_child(name="张伟", id_number=None, **BASE)  # different name
    registry.register_child(name="李小花", id_number=None, **{**BASE, "village": "黄湾村"})  # other village
    registry.register_child(name="李小花", id_number=None, **{**BASE, "date_of_birth": date(2015, 3, 5)})
    (pair,) = registry.duplicates(min_score=0.6, limit=10)["items"]
    assert {pair["first"]["child_id"], pair["second"]["child_id"]} == {str(a), str(b)}
    assert 0.6 <= pair["score"] < 1
    assert "id_number" not in pair["first"] and "mental_health" not in pair["first"]


def test_two_files_with_id_numbers_are_never_candidates(registry):
    registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    registry.register_child(name="李小花", id_number="640502201503040048", **BASE)
    assert registry.duplicates(min_score=0.1, limit=10)["items"] == []


def test_merge_is_an_event_and_the_merged_id_leads_to_the_survivor(registry):
    survivor = registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    merged = registry.register_child(name="李晓花", id_number=None, **BASE)
    registry.record_visit(merged, visited_on=date(2025, 5, 30), visitor="马主任", findings="ok")
    registry.merge_files(survivor_id=survivor, merged_id=merged, reason="same child, name misspelt")

    assert registry.get_child(merged)["child_id"] == survivor
    assert registry.get_child(survivor)["merged_from"] == [merged]
    assert registry.duplicates(min_score=0.1, limit=10)["items"] == []
    listed = registry.list_children(limit=10)["items"]
    assert [c["child_id"] for c in listed] == [str(survivor)]
    assert listed[0]["last_contact_on"] == date(2025, 5, 30)
    assert registry.child_history(merged)[-1]["event"] == "merged_into"
    assert registry.child_history(merged)[-1]["reason"] == "same child, name misspelt"
    with pytest.raises(InvalidChild) as refused:
        registry.record_visit(merged, visited_on=TODAY, visitor="x", findings="y")
    assert str(survivor) in refused.value.fields["child_id"][0]


MERGE_REFUSALS = {
    "into itself": lambda reg, a, b: (a, a, "merged_id"),
    "different ID numbers": lambda reg, a, b: (
        a, reg.register_child(name="李花", id_number="640502201503040048", **BASE), "merged_id"),
    "already merged": lambda reg, a, b: (
        a, (reg.merge_files(survivor_id=a, merged_id=b, reason="dup"), b)[1], "merged_id"),
    "closed survivor": lambda reg, a, b: (
        (reg.transfer_out(a, destination="银川", reason="moved"), a)[1], b, "survivor_id"),
}


@pytest.mark.parametrize("case", MERGE_REFUSALS, ids=list(MERGE_REFUSALS))
def test_merges_are_refused_with_a_reason_and_store_nothing(registry, case):
    a = registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    b = registry.register_child(name="李晓花", id_number=None, **BASE)
    survivor, merged, field = MERGE_REFUSALS[case](registry, a, b)
    head = registry.head_position()
    with pytest.raises(InvalidChild) as refused:
        registry.merge_files(survivor_id=survivor, merged_id=merged, reason="dup")
    assert field in refused.value.fields
    assert registry.head_position() == head


def test_merging_an_unknown_file_is_not_found(registry):
    a = registry.register_child(name="李小花", id_number=None, **BASE)
    with pytest.raises(ChildNotFound):
        registry.merge_files(survivor_id=a, merged_id=uuid.uuid4(), reason="dup")
