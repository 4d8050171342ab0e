import uuid
from datetime import UTC, date, datetime

import pytest
from marshmallow import ValidationError

from shared import contracts, envelope

PAYLOAD = {
    "child_id": uuid.uuid4(),
    "name": "王小明",
    "gender": "male",
    "date_of_birth": date(2015, 3, 4),
    "town": "滨河镇",
    "village": "新北村",
    "categories": ["left_behind"],
    "registered_on": date(2025, 6, 1),
}


def build(**overrides):
    args = dict(
        type="registry.child_registered.v1",
        source="registry",
        notification_id=3,
        previous_notification_id=1,
        originator_id=str(uuid.uuid4()),
        originator_version=1,
        occurred_at=datetime(2025, 6, 1, tzinfo=UTC),
        meta={"actor_id": "u1", "actor_role": "bureau_admin", "correlation_id": "c1"},
        payload=PAYLOAD,
    )
    args.update(overrides)
    return envelope.build(**args)


def test_built_envelope_round_trips_and_has_a_stable_event_id():
    first = build()
    again = build(originator_id=first["originator_id"])
    assert first["event_id"] == again["event_id"]
    loaded = envelope.load(first)
    assert loaded["payload"]["child_id"] == PAYLOAD["child_id"]
    assert loaded["actor"] == {"id": "u1", "role": "bureau_admin"}


def test_every_contract_type_follows_the_naming_rule():
    assert contracts.known_types()
    for event_type in contracts.known_types():
        assert envelope.TYPE_PATTERN.match(event_type)


@pytest.mark.parametrize(
    "overrides",
    [
        {"type": "registry.unknown_thing.v1"},
        {"payload": {**PAYLOAD, "gender": "unknown"}},
        {"payload": {k: v for k, v in PAYLOAD.items() if k != "village"}},
        {"notification_id": 0},
    ],
)
def test_invalid_envelopes_are_refused_when_published(overrides):
    with pytest.raises(ValidationError):
        build(**overrides)


def test_fields_outside_the_contract_never_travel():
    message = build(payload={**PAYLOAD, "id_number": "640502201503040013", "mental_health": "x"})
    assert "id_number" not in message["payload"] and "mental_health" not in message["payload"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda e: e.pop("correlation_id"),
        lambda e: e.update(notification_id="3"),
        lambda e: e.update(occurred_at="yesterday"),
        lambda e: e.update(extra=1),
    ],
)
def test_invalid_envelopes_are_refused_when_consumed(mutate):
    message = build()
    mutate(message)
    with pytest.raises(ValidationError):
        envelope.load(message)
