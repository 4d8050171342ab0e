"""Screening campaigns (摸底排查): target villages and households, visits
against the campaign, coverage per village and children found."""

from datetime import date

import pytest

from services.registry.exceptions import CampaignNotFound, InvalidCampaign, InvalidChild

TODAY = date(2025, 6, 10)
TARGETS = [
    {"town": "滨河镇", "village": "新北村", "households": 4},
    {"town": "香山乡", "village": "红泉村", "households": 2},
]
CHILD = dict(
    gender="male",
    date_of_birth=date(2016, 1, 1),
    id_number=None,
    town="滨河镇",
    village="新北村",
    categories=["distressed"],
    distress_reasons=["disability"],
)


@pytest.fixture
def today():
    return TODAY


def plan(registry, **change):
    return registry.plan_campaign(
        **{
            "name": "2025年夏季摸底",
            "starts_on": date(2025, 6, 1),
            "ends_on": date(2025, 6, 30),
            "targets": TARGETS,
            **change,
        }
    )


def test_coverage_counts_households_visited_per_village_and_children_found(registry):
    campaign = plan(registry)
    found = registry.register_child(name="马一", campaign_id=campaign, **CHILD)
    sibling = registry.register_child(name="马二", campaign_id=campaign, **CHILD)
    other = registry.register_child(name="马三", **CHILD)
    for child_id, household in ((found, "马家"), (sibling, "马家"), (other, None)):
        registry.record_visit(
            child_id,
            visited_on=date(2025, 6, 5),
            visitor="马主任",
            findings="ok",
            campaign_id=campaign,
            household=household,
        )
    registry.record_visit(other, visited_on=date(2025, 6, 6), visitor="马主任", findings="ok")

    coverage = registry.campaign_coverage(campaign)
    xinbei, hongquan = coverage["villages"]
    assert (xinbei["visited_households"], xinbei["target_households"]) == (2, 4)
    assert xinbei["coverage_percent"] == 50.0 and xinbei["children_found"] == 3
    assert hongquan["visited_households"] == 0 and hongquan["coverage_percent"] == 0.0
    assert coverage["coverage_percent"] == round(100 * 2 / 6, 1)
    assert [c["campaign_id"] for c in registry.list_campaigns(limit=5)["items"]] == [str(campaign)]


CAMPAIGN_REFUSALS = {
    "ends before it starts": ({"ends_on": date(2025, 5, 1)}, "ends_on"),
    "no targets": ({"targets": []}, "targets"),
    "unknown village": ({"targets": [{"town": "滨河镇", "village": "不存在村", "households": 3}]}, "targets.0.village"),
    "village twice": ({"targets": [TARGETS[0], TARGETS[0]]}, "targets.1"),
}


@pytest.mark.parametrize("case", CAMPAIGN_REFUSALS, ids=list(CAMPAIGN_REFUSALS))
def test_bad_campaigns_are_refused(registry, case):
    change, field = CAMPAIGN_REFUSALS[case]
    with pytest.raises(InvalidCampaign) as refused:
        plan(registry, **change)
    assert field in refused.value.fields and registry.head_position() == 0


def test_visits_outside_the_campaign_villages_or_dates_are_refused(registry):
    campaign = plan(registry, ends_on=date(2025, 6, 8))
    child_id = registry.register_child(name="马一", **{**CHILD, "village": "黄湾村"})
    head = registry.head_position()
    with pytest.raises(InvalidChild) as elsewhere:
        registry.record_visit(child_id, visited_on=date(2025, 6, 5), visitor="x", findings="y", campaign_id=campaign)
    near = registry.register_child(name="马二", **CHILD)
    with pytest.raises(InvalidChild) as late:
        registry.record_visit(near, visited_on=date(2025, 6, 9), visitor="x", findings="y", campaign_id=campaign)
    with pytest.raises(InvalidChild) as closed:
        registry.register_child(name="马三", campaign_id=campaign, **CHILD)  # today is after the end
    assert "campaign_id" in elsewhere.value.fields and "visited_on" in late.value.fields
    assert "campaign_id" in closed.value.fields
    assert registry.head_position() == head + 1  # only 马二's file


def test_unknown_campaign_is_not_found(registry):
    import uuid

    with pytest.raises(CampaignNotFound):
        registry.campaign_coverage(uuid.uuid4())
