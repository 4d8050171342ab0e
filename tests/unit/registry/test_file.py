"""The full child file and the rules that refuse bad data, on POPO, SQLite and
PostgreSQL alike. Every refusal stores nothing."""

from datetime import date

import pytest

from services.registry.domain import places
from services.registry.exceptions import InvalidChild

TODAY = date(2025, 6, 1)
MIGRANT = {"status": "migrant", "whereabouts": "银川市"}
AT_HOME = {"status": "at_home", "whereabouts": None}
DECEASED = {"status": "deceased", "whereabouts": None}
HOUSEHOLD = {"father": MIGRANT, "mother": MIGRANT, "economic_status": "dibao"}
FULL = dict(
    name="李小花",
    gender="female",
    date_of_birth=date(2015, 3, 4),
    id_number="640502201503040021",
    town="滨河镇",
    village="新北村",
    categories=["left_behind", "distressed"],
    distress_reasons=["poverty"],
    school="滨河镇第一小学",
    school_status="in_school",
    household=HOUSEHOLD,
    guardian={"name": "李奶奶", "relation": "grandparent", "age": 67, "health": "fair", "capacity": "limited"},
    guardianship_status="entrusted",
    mental_health={"screened_on": date(2025, 5, 2), "result": "attention", "notes": "withdrawn at school"},
)


def test_a_full_file_keeps_every_fact(registry):
    child = registry.get_child(registry.register_child(**FULL))
    for field in (
        "household",
        "guardian",
        "guardianship_status",
        "mental_health",
        "school",
        "school_status",
        "distress_reasons",
        "categories",
    ):
        assert child[field] == FULL[field], field
    assert child["pending_facts"] == [] and child["status"] == "active"


def test_left_behind_without_the_parents_situation_is_refused(registry):
    with pytest.raises(InvalidChild) as refused:
        registry.register_child(**{**FULL, "categories": ["left_behind"], "distress_reasons": [], "household": None})
    assert "household" in refused.value.fields
    assert registry.head_position() == 0


def test_distressed_without_a_reason_is_refused(registry):
    with pytest.raises(InvalidChild) as refused:
        registry.register_child(**{**FULL, "categories": ["distressed"], "distress_reasons": []})
    assert "distress_reasons" in refused.value.fields
    assert registry.head_position() == 0


REFUSALS = {
    "left-behind aged 16": ({"date_of_birth": date(2009, 1, 1), "id_number": None}, "categories"),
    "left-behind with a parent at home": ({"household": {**HOUSEHOLD, "mother": AT_HOME}}, "household"),
    "unattended with a migrant parent": (
        {"categories": ["unattended"], "distress_reasons": [], "household": {**HOUSEHOLD, "father": DECEASED}},
        "household",
    ),
    "poverty without dibao or tekun": ({"household": {**HOUSEHOLD, "economic_status": "ordinary"}}, "household"),
    "distress reasons without the category": ({"categories": ["left_behind"]}, "distress_reasons"),
    "missing guardianship that is not missing": (
        {"distress_reasons": ["guardianship_missing"], "guardianship_status": "parents"},
        "guardianship_status",
    ),
    "category twice": ({"categories": ["left_behind", "left_behind"], "distress_reasons": []}, "categories"),
    "a minor guardian": ({"guardian": {**FULL["guardian"], "age": 15}}, "guardian.age"),
    "screening in the future": (
        {"mental_health": {**FULL["mental_health"], "screened_on": date(2025, 7, 1)}},
        "mental_health.screened_on",
    ),
    "screening before birth": (
        {"mental_health": {**FULL["mental_health"], "screened_on": date(2014, 1, 1)}},
        "mental_health.screened_on",
    ),
    "in school without a school": ({"school": None}, "school"),
    "unknown town": ({"town": "银川市"}, "town"),
    "village of another town": ({"village": "金沙村"}, "village"),
    "born in the future": ({"date_of_birth": date(2025, 7, 1), "id_number": None}, "date_of_birth"),
    "aged 18": ({"date_of_birth": date(2007, 5, 31), "id_number": None, "categories": ["distressed"]}, "date_of_birth"),
    "ID number disagrees with birth date": ({"date_of_birth": date(2015, 3, 5)}, "id_number"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_rules_refuse_with_a_reason_and_store_nothing(registry, case):
    change, field = REFUSALS[case]
    with pytest.raises(InvalidChild) as refused:
        registry.register_child(**{**FULL, **change})
    assert field in refused.value.fields, refused.value.fields
    assert all(isinstance(r, str) and r for r in refused.value.fields[field])
    assert registry.head_position() == 0


def test_left_behind_with_one_parent_migrant_and_the_other_unable_to_care_is_accepted(registry):
    household = {**HOUSEHOLD, "mother": {"status": "incarcerated", "whereabouts": None}}
    assert registry.register_child(**{**FULL, "household": household})


def test_the_reference_list_names_every_town_of_the_district():
    towns = places.load()
    assert {
        "滨河镇",
        "文昌镇",
        "东园镇",
        "柔远镇",
        "镇罗镇",
        "宣和镇",
        "永康镇",
        "常乐镇",
        "迎水桥镇",
        "兴仁镇",
        "香山乡",
    } <= set(towns)
    assert "新北村" in towns["滨河镇"] and all(towns.values())
