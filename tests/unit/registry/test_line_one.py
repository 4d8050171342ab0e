"""Line 1 (摸底走访建档, 卫沙民社函〔2025〕11号 §三.(四).1) as the provider's work: files,
visits and campaigns carry the contract they were done under; paper forms typed
in later keep the day the child was found (§五.(三)), and still count toward the
campaign that found them. Events stored before these facts existed still load."""

import json
import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.domain.child import Child
from services.registry.exceptions import InvalidChild
from shared.relay import envelopes_after

TODAY = date(2025, 7, 20)
CONTRACT, OTHER = uuid.UUID(int=11), uuid.UUID(int=12)
CHILD = dict(
    name="马小军",
    gender="male",
    date_of_birth=date(2016, 1, 1),
    id_number=None,
    town="滨河镇",
    village="新北村",
    categories=["distressed"],
    distress_reasons=["disability"],
)
TARGETS = [{"town": "滨河镇", "village": "新北村", "households": 4}]


@pytest.fixture
def today():
    return TODAY


def campaign(registry, contract_id=CONTRACT, **change):
    return registry.plan_campaign(
        **{
            "name": "2025年夏季摸底",
            "starts_on": date(2025, 6, 1),
            "ends_on": date(2025, 6, 30),  # ended before TODAY
            "targets": TARGETS,
            "contract_id": contract_id,
            **change,
        }
    )


def refused(call, **kwargs) -> dict:
    with pytest.raises(InvalidChild) as error:
        call(**kwargs)
    return error.value.fields


def test_a_file_and_a_visit_carry_the_contract_they_were_done_under(registry):
    child = registry.register_child(**CHILD, contract_id=CONTRACT)
    registry.record_visit(child, visited_on=TODAY, visitor="社工甲", findings="ok", contract_id=CONTRACT)
    registry.record_visit(child, visited_on=TODAY, visitor="马主任", findings="ok")  # a director's: none
    file = registry.get_child(child)
    assert file["contract_id"] == CONTRACT and file["found_on"] == TODAY
    assert [v["contract_id"] for v in file["visits"]] == [CONTRACT, None]

    messages, _ = envelopes_after(registry, registry.public_events, 0, 100, previous=0)
    registered = [m["payload"] for m in messages if m["type"] == "registry.child_registered.v2"]
    visits = [m["payload"] for m in messages if m["type"] == "registry.visit_recorded.v2"]
    assert registered[0]["contract_id"] == str(CONTRACT) and registered[0]["found_on"] == TODAY.isoformat()
    assert [v["contract_id"] for v in visits] == [str(CONTRACT), None]


def test_a_campaign_carries_its_contract(registry):
    campaign_id = campaign(registry)
    assert registry.campaign_coverage(campaign_id)["contract_id"] == CONTRACT
    [listed] = registry.list_campaigns(limit=10)["items"]
    assert listed["contract_id"] == CONTRACT


def test_campaigns_are_listed_by_contract(registry):
    ours, theirs, bureaus = (
        campaign(registry),
        campaign(registry, contract_id=OTHER),
        campaign(registry, contract_id=None),
    )
    assert [c["campaign_id"] for c in registry.list_campaigns(limit=10, contract_id=CONTRACT)["items"]] == [str(ours)]
    assert [c["campaign_id"] for c in registry.list_campaigns(limit=10, contract_id=OTHER)["items"]] == [str(theirs)]
    assert registry.list_campaigns(limit=10, contract_id=uuid.UUID(int=99))["items"] == []
    assert {c["campaign_id"] for c in registry.list_campaigns(limit=10)["items"]} == {
        str(ours),
        str(theirs),
        str(bureaus),
    }


def test_a_paper_form_typed_after_the_campaign_keeps_the_day_found_and_counts_toward_it(registry):
    campaign_id = campaign(registry)
    child = registry.register_child(**CHILD, campaign_id=campaign_id, contract_id=CONTRACT, found_on=date(2025, 6, 12))
    file = registry.get_child(child)
    assert file["found_on"] == date(2025, 6, 12) and file["registered_on"] == TODAY
    coverage = registry.campaign_coverage(campaign_id)
    assert coverage["children_found"] == 1


def test_a_file_entered_after_the_campaign_without_the_day_found_is_refused(registry):
    campaign_id = campaign(registry)
    fields = refused(registry.register_child, **CHILD, campaign_id=campaign_id, contract_id=CONTRACT)
    assert "2025-06-01 to 2025-06-30" in fields["campaign_id"][0]


@pytest.mark.parametrize(
    "found_on, why",
    [
        (date(2025, 7, 21), "in the future"),
        (date(2015, 12, 31), "before the child's date of birth"),
    ],
)
def test_a_day_found_in_the_future_or_before_birth_is_refused(registry, found_on, why):
    fields = refused(registry.register_child, **CHILD, found_on=found_on)
    assert why in fields["found_on"][0]


def test_a_day_found_outside_the_campaigns_dates_is_refused(registry):
    campaign_id = campaign(registry)
    fields = refused(
        registry.register_child, **CHILD, campaign_id=campaign_id, contract_id=CONTRACT, found_on=date(2025, 7, 1)
    )
    assert "the campaign runs 2025-06-01 to 2025-06-30" in fields["found_on"][0]


def test_work_under_one_contract_does_not_count_toward_anothers_campaign(registry):
    campaign_id = campaign(registry)
    fields = refused(
        registry.register_child, **CHILD, campaign_id=campaign_id, contract_id=OTHER, found_on=date(2025, 6, 12)
    )
    assert fields == {"campaign_id": ["the campaign is run under another contract"]}
    child = registry.register_child(**CHILD, contract_id=OTHER)
    fields = refused(
        registry.record_visit,
        child_id=child,
        visited_on=date(2025, 6, 12),
        visitor="社工乙",
        findings="ok",
        campaign_id=campaign_id,
        contract_id=OTHER,
    )
    assert fields == {"campaign_id": ["the campaign is run under another contract"]}
    fields = refused(  # nor does a director's visit (no contract)
        registry.record_visit,
        child_id=child,
        visited_on=date(2025, 6, 12),
        visitor="马主任",
        findings="ok",
        campaign_id=campaign_id,
    )
    assert fields == {"campaign_id": ["the campaign is run under another contract"]}
    assert registry.campaign_coverage(campaign_id)["children_found"] == 0


def test_a_paper_visit_typed_later_keeps_its_day_and_counts_toward_the_campaign(registry):
    campaign_id = campaign(registry)
    child = registry.register_child(**CHILD, contract_id=CONTRACT)
    registry.record_visit(
        child,
        visited_on=date(2025, 6, 20),
        visitor="社工甲",
        findings="ok",
        campaign_id=campaign_id,
        household="马家",
        contract_id=CONTRACT,
    )
    assert registry.get_child(child)["last_contact_on"] == date(2025, 6, 20)
    assert registry.campaign_coverage(campaign_id)["visited_households"] == 1


@pytest.mark.parametrize(
    "visited_on, why",
    [(date(2025, 7, 21), "is in the future"), (date(2015, 12, 31), "is before the child's date of birth")],
)
def test_a_contract_visit_dated_in_the_future_or_before_birth_is_refused(registry, visited_on, why):
    child = registry.register_child(**CHILD, contract_id=CONTRACT)
    fields = refused(
        registry.record_visit,
        child_id=child,
        visited_on=visited_on,
        visitor="社工甲",
        findings="ok",
        contract_id=CONTRACT,
    )
    assert fields == {"visited_on": [why]}
    assert registry.get_child(child)["visits"] == []


def _stored_without(app, aggregate_id, index, fields, version):
    stored = app.recorder.select_events(aggregate_id)[index]
    state = json.loads(stored.state)
    for field in fields:
        state.pop(field)
    state["class_version"] = version
    return app.mapper.to_domain_event(replace(stored, state=json.dumps(state).encode()))


def test_events_stored_before_line_one_carried_a_contract_still_load(registry):
    child = registry.register_child(**CHILD, contract_id=CONTRACT, found_on=date(2025, 7, 1))
    registry.record_visit(child, visited_on=TODAY, visitor="社工甲", findings="ok", contract_id=CONTRACT)
    registered = _stored_without(registry, child, 0, ("contract_id", "found_on"), 2)
    assert isinstance(registered, Child.Registered)
    assert registered.contract_id is None and registered.found_on is None
    assert registered.mutate(None).found_on == TODAY  # found the day it was opened
    visit = _stored_without(registry, child, 1, ("contract_id",), 1)
    assert isinstance(visit, Child.VisitRecorded) and visit.contract_id is None
    campaign_id = campaign(registry)
    planned = _stored_without(registry, campaign_id, 0, ("contract_id",), 1)
    assert isinstance(planned, ScreeningCampaign.Planned) and planned.contract_id is None
