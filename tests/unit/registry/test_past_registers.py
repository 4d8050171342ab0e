"""Registers as they stood: the children list, visits and overdue contacts
rebuilt from the log up to a position or a date's end equal the lists read
then, whatever changed since; a point ahead of the log is refused."""

from datetime import timedelta

import pytest

from shared.clock import programme_today
from shared.errors import RuleViolation
from tests.unit.registry.test_lists import child


@pytest.fixture
def now(registry, clock):
    clock.today = programme_today()
    first = registry.register_child(**child("张三"))
    second = registry.register_child(**child("李四", village="黄湾村"))
    registry.assess_risk(first, level=1, reasons=["alone"])
    registry.record_visit(second, visited_on=clock.today - timedelta(days=3), visitor="马主任", findings="祖母照料")
    return {
        "children": registry.list_children(limit=50),
        "visits": registry.list_visits(limit=50),
        "overdue": registry.overdue_contacts(limit=50),
        "ids": (first, second),
    }


def change_everything(registry, first, second, clock):
    registry.register_child(**child("王五"))
    registry.correct_child(first, field="name", value="张三丰", reason="户口本为准")
    registry.assess_risk(second, level=2, reasons=["illness"])
    registry.record_visit(first, visited_on=clock.today, visitor="李主任", findings="在家")
    registry.transfer_out(second, destination="外省", reason="随父母迁出")


def test_the_lists_rebuilt_at_a_position_are_the_lists_read_then(registry, clock, now):
    position = now["children"]["as_of_position"]
    assert position == registry.head_position() and now["visits"]["as_of_position"] == position
    change_everything(registry, *now["ids"], clock)
    assert registry.list_children(limit=50) != now["children"]
    assert registry.list_children(limit=50, as_of_position=position) == now["children"]
    assert registry.list_visits(limit=50, as_of_position=position) == now["visits"]
    assert registry.overdue_contacts(limit=50, as_of_position=position) == now["overdue"]
    # filters apply to the rows as they stood: 李四 was in 黄湾村 and active then
    (then,) = registry.list_children(limit=50, as_of_position=position, village="黄湾村")["items"]
    assert then["name"] == "李四" and then["status"] == "active"


def test_a_page_read_at_a_position_continues_at_it(registry, clock, now):
    position = now["children"]["as_of_position"]
    change_everything(registry, *now["ids"], clock)
    first = registry.list_children(limit=1, as_of_position=position)
    second = registry.list_children(limit=1, as_of_position=position, cursor=first["next_cursor"])
    assert first["items"] + second["items"] == now["children"]["items"] and second["next_cursor"] is None


def test_position_zero_is_the_empty_register(registry, now):
    assert registry.list_children(limit=50, as_of_position=0) == {"items": [], "next_cursor": None, "as_of_position": 0}


def test_a_date_gives_the_last_position_recorded_by_its_end(registry, clock, now):
    today = registry.list_children(limit=50, as_of=clock.today)
    assert today == now["children"]
    yesterday = registry.list_children(limit=50, as_of=clock.today - timedelta(days=1))
    assert yesterday == {"items": [], "next_cursor": None, "as_of_position": 0}


def test_a_point_ahead_of_the_log_is_refused(registry, clock, now):
    with pytest.raises(RuleViolation) as refused:
        registry.list_children(limit=50, as_of_position=registry.head_position() + 1)
    assert "as_of_position" in refused.value.fields
    with pytest.raises(RuleViolation) as refused:
        registry.list_visits(limit=50, as_of=clock.today + timedelta(days=1))
    assert "as_of" in refused.value.fields


def test_rebuilt_lists_are_kept_only_a_few_at_a_time(registry, now):
    for position in range(registry.head_position() + 1):
        registry.list_children(limit=1, as_of_position=position)
    assert (
        len(registry.past.kept_of(registry.children)) == 4
        and max(registry.past.kept_of(registry.children)) == registry.head_position()
    )


def test_the_schema_refuses_both_points_and_a_bad_date(registry):
    from services.registry.schemas import ChildListQuery

    errors = ChildListQuery().validate({"as_of": "2025-06-01", "as_of_position": "3"})
    assert "as_of_position" in errors
    assert "as_of" in ChildListQuery().validate({"as_of": "yesterday"})
    assert "as_of_position" in ChildListQuery().validate({"as_of_position": "-1"})


def test_a_list_folded_on_from_an_earlier_one_equals_one_rebuilt_from_the_start(registry, clock, now):
    position = now["children"]["as_of_position"]
    change_everything(registry, *now["ids"], clock)
    head = registry.head_position()
    earlier = registry.list_children(limit=50, as_of_position=position)
    folded_on = registry.list_children(limit=50, as_of_position=head)
    assert (
        registry.past.kept_of(registry.children)[head].rows
        is not registry.past.kept_of(registry.children)[position].rows
    )
    assert registry.list_children(limit=50, as_of_position=position) == earlier  # the earlier copy is untouched
    from_start = registry.children.as_at(head)
    assert {**from_start.list_children(limit=50, cursor=None), "as_of_position": head} == folded_on
    assert folded_on == registry.list_children(limit=50)
