"""Files stored before the full child file existed (Registered v1: identity
and place only) still load, with the new facts empty."""

import json
from dataclasses import replace
from datetime import date

from services.registry.application import RegistryApplication
from services.registry.domain.child import Child
from tests.support.children import MIGRANT_PARENTS

V2_ONLY = (
    "school",
    "school_status",
    "household",
    "guardian",
    "guardianship_status",
    "mental_health",
    "distress_reasons",
    "campaign_id",
)


def as_v1(app, stored):
    """The stored Registered event as the first release wrote it."""
    state = json.loads(stored.state)
    for field in V2_ONLY:
        state.pop(field)
    state.pop("class_version", None)
    return replace(stored, state=json.dumps(state).encode())


def test_a_v1_registration_is_upcast_with_empty_new_facts():
    app = RegistryApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.clock = lambda: date(2025, 6, 1)
    child_id = app.register_child(
        name="王小明",
        gender="male",
        date_of_birth=date(2015, 3, 4),
        id_number=None,
        town="滨河镇",
        village="新北村",
        categories=["left_behind"],
        household=MIGRANT_PARENTS,
    )
    (stored,) = app.recorder.select_events(child_id)
    assert b"class_version" in stored.state
    event = app.mapper.to_domain_event(as_v1(app, stored))
    assert isinstance(event, Child.Registered)
    assert event.household is None and event.distress_reasons == [] and event.campaign_id is None
    child = event.mutate(None)
    assert child.name == "王小明" and child.pending_facts == ["household"]


def test_a_file_stored_before_the_aggregates_moved_into_the_domain_package_still_loads():
    app = RegistryApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.clock = lambda: date(2025, 6, 1)
    child_id = app.register_child(
        name="王小明",
        gender="male",
        date_of_birth=date(2015, 3, 4),
        id_number=None,
        town="滨河镇",
        village="新北村",
        categories=["left_behind"],
        household=MIGRANT_PARENTS,
    )
    app.record_visit(child_id, visited_on=date(2025, 5, 30), visitor="马主任", findings="ok")
    stored = app.recorder.select_events(child_id)
    assert {s.topic.partition(":")[0] for s in stored} == {"services.registry.domain.child"}
    old, new = "services.registry.domain:", "services.registry.domain.child:"
    as_before = [
        replace(s, topic=s.topic.replace(new, old), state=s.state.replace(new.encode(), old.encode())) for s in stored
    ]
    assert old.encode() + b"Child" in as_before[0].state  # the aggregate's topic, in the Registered event
    child = None
    for event in map(app.mapper.to_domain_event, as_before):
        child = event.mutate(child)
    assert isinstance(child, Child) and child.visits[0]["visitor"] == "马主任"
