"""The visit list (GET /visits, and its .xlsx export): every visit, oldest
first, placed by where the child's file stands now, filtered by place and
dates, paged by cursor."""

from datetime import date

import pytest

from shared.errors import InvalidInput
from tests.support.children import MIGRANT_PARENTS

CHILD = dict(
    gender="male",
    date_of_birth=date(2012, 6, 10),
    id_number=None,
    town="东园镇",
    village="金沙村",
    categories=["left_behind"],
    distress_reasons=[],
    household=MIGRANT_PARENTS,
)


@pytest.fixture
def today():
    return date(2025, 6, 1)


def visit(registry, child_id, on, findings="在家"):
    registry.record_visit(child_id, visited_on=on, visitor="马主任", findings=findings, follow_up=None)


def test_visits_are_listed_oldest_first_with_their_child_and_place(registry):
    here = registry.register_child(name="王小明", **CHILD)
    there = registry.register_child(name="李小红", **{**CHILD, "town": "滨河镇", "village": "新北村"})
    visit(registry, here, date(2025, 5, 20))
    visit(registry, there, date(2025, 5, 10), findings="祖母照料")
    visit(registry, here, date(2025, 4, 1))
    listed = registry.list_visits(limit=10)["items"]
    assert [(v["name"], v["visited_on"]) for v in listed] == [
        ("王小明", date(2025, 4, 1)),
        ("李小红", date(2025, 5, 10)),
        ("王小明", date(2025, 5, 20)),
    ]
    assert listed[1]["findings"] == "祖母照料" and listed[1]["village"] == "新北村"
    ours = registry.list_visits(limit=10, village="金沙村", visited_from=date(2025, 5, 1))["items"]
    assert [v["visited_on"] for v in ours] == [date(2025, 5, 20)]
    assert registry.list_visits(limit=10, visited_to=date(2025, 3, 31))["items"] == []


def test_a_childs_visits_follow_the_file_to_its_new_village(registry):
    child_id = registry.register_child(name="王小明", **CHILD)
    visit(registry, child_id, date(2025, 5, 20))
    registry.correct_child(child_id, field="village", value="郭庄村", reason="搬家")
    assert registry.list_visits(limit=10, village="金沙村")["items"] == []
    assert len(registry.list_visits(limit=10, village="郭庄村")["items"]) == 1


def test_pages_follow_the_cursor_and_a_forged_cursor_is_refused(registry):
    child_id = registry.register_child(name="王小明", **CHILD)
    for day in (1, 2, 3):
        visit(registry, child_id, date(2025, 5, day))
    first = registry.list_visits(limit=2)
    second = registry.list_visits(limit=2, cursor=first["next_cursor"])
    assert [v["visited_on"].day for v in first["items"] + second["items"]] == [1, 2, 3]
    assert second["next_cursor"] is None
    with pytest.raises(InvalidInput):
        registry.list_visits(limit=2, cursor="bm90IGEgY3Vyc29y")
