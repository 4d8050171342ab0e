"""Lists from the projection: filters, cursor pagination, statistics, rebuild.
List rows never carry ID numbers or mental-health data."""

from datetime import date

import pytest

from services.registry.views import ChildrenView
from shared.errors import InvalidInput

TODAY = date(2025, 6, 1)
MIGRANTS = {
    "father": {"status": "migrant", "whereabouts": None},
    "mother": {"status": "migrant", "whereabouts": None},
    "economic_status": "dibao",
}


def child(name, town="滨河镇", village="新北村", categories=("left_behind",), **extra):
    reasons = ["poverty"] if "distressed" in categories else []
    return dict(
        name=name,
        gender="male",
        date_of_birth=date(2014, 1, 1),
        id_number=None,
        town=town,
        village=village,
        categories=list(categories),
        distress_reasons=reasons,
        household=MIGRANTS,
        **extra,
    )


@pytest.fixture(autouse=True)
def four_children(registry):
    """Every test here lists these four; `registry.ids` names them."""
    ids = {
        "张三": registry.register_child(**child("张三", guardianship_status="entrusted")),
        "张四": registry.register_child(**child("张四", village="黄湾村", categories=("distressed",))),
        "李五": registry.register_child(
            **child(
                "李五",
                town="香山乡",
                village="红泉村",
                mental_health={"screened_on": TODAY, "result": "referral", "notes": "x"},
            )
        ),
        "王六": registry.register_child(**child("王六", categories=("left_behind", "distressed"))),
    }
    registry.assess_risk(ids["李五"], level=1, reasons=["alone"])
    registry.ids = ids


def names(page):
    return sorted(item["name"] for item in page["items"])


@pytest.mark.parametrize(
    "filters,expected",
    [
        ({}, ["张三", "张四", "李五", "王六"]),
        ({"town": "香山乡"}, ["李五"]),
        ({"village": "新北村"}, ["张三", "王六"]),
        ({"category": "distressed"}, ["张四", "王六"]),
        ({"tier": 1}, ["李五"]),
        ({"guardianship_status": "entrusted"}, ["张三"]),
        ({"q": "张"}, ["张三", "张四"]),
        ({"town": "滨河镇", "category": "left_behind", "q": "王"}, ["王六"]),
    ],
)
def test_filters(registry, filters, expected):
    assert names(registry.list_children(limit=50, **filters)) == expected


def test_cursor_pagination_visits_every_row_once(registry):
    seen, cursor = [], None
    while True:
        page = registry.list_children(limit=3, cursor=cursor)
        seen += [item["child_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(str(i) for i in registry.ids.values()) and len(seen) == 4


def test_a_forged_cursor_is_bad_input(registry):
    with pytest.raises(InvalidInput) as refused:
        registry.list_children(limit=3, cursor="not-ours!")
    assert "cursor" in refused.value.fields


def test_rows_carry_no_id_number_or_mental_health(registry):
    for item in registry.list_children(limit=50)["items"]:
        assert "id_number" not in item and "mental_health" not in item and "household" not in item


def test_statistics_count_active_files_by_town_category_guardianship_and_tier(registry):
    stats = registry.statistics()
    assert stats["active"] == 4 and stats["by_town"] == {"滨河镇": 3, "香山乡": 1}
    assert stats["by_category"] == {"left_behind": 3, "distressed": 2}
    assert stats["by_tier"] == {"1": 1, "unassessed": 3}
    assert stats["by_guardianship_status"]["entrusted"] == 1


def test_a_rebuilt_projection_equals_the_one_kept_up_to_date(registry):
    registry.correct_child(registry.ids["张三"], field="village", value="黄湾村", reason="moved")
    live = registry.list_children(limit=50)
    fresh = ChildrenView(registry, registry.cadence)
    assert fresh.rebuild() == registry.head_position()
    assert {**fresh.list_children(limit=50, cursor=None), "as_of_position": fresh.position} == live
