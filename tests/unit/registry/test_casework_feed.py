"""Help records (关爱帮扶记录) from casework's published contracts: each event
lands once in the files of the children it concerns."""

import uuid
from datetime import UTC, date, datetime

import pytest

from shared import envelope
from shared.consumer import APPLIED, DUPLICATE
from tests.support.feeds import dev_consumer, sign_as_source

TODAY = date(2025, 6, 1)
CHILD = dict(
    gender="female",
    date_of_birth=date(2015, 3, 4),
    id_number=None,
    town="镇罗镇",
    village="观音村",
    categories=["distressed"],
    distress_reasons=["serious_illness"],
)
WORKER = {"actor_id": "sw-1", "actor_role": "provider_staff", "correlation_id": "c-1"}


class Upstream:
    """Casework's published feed, as envelopes built to its contracts."""

    def __init__(self):
        self.published: list[dict] = []

    def publish(self, event_type: str, payload: dict) -> dict:
        number = len(self.published) + 1
        message = sign_as_source(
            envelope.build(
                type=event_type,
                source="casework",
                notification_id=number,
                previous_notification_id=number - 1,
                originator_id=str(uuid.uuid4()),
                originator_version=1,
                occurred_at=datetime(2025, 6, 1, 9, tzinfo=UTC),
                meta=WORKER,
                payload=payload,
            )
        )
        self.published.append(message)
        return message

    def pull(self, after: int, limit: int):
        batch = self.published[after : after + limit]
        return batch, batch[-1]["notification_id"] if batch else after


@pytest.fixture
def upstream():
    return Upstream()


@pytest.fixture
def consumer(registry, upstream):
    return dev_consumer(registry, "casework", registry.handle_casework_event, upstream.pull)


def care_service(child_id):
    return {
        "service_id": uuid.uuid4(),
        "child_id": child_id,
        "contract_id": None,
        "given_on": date(2025, 5, 30),
        "service_line": "life_care",
        "kind": "homework_help",
        "value_fen": None,
        "resource": "volunteers",
    }


def test_a_service_to_a_child_becomes_a_help_record_in_the_file_once(registry, upstream, consumer):
    child_id = registry.register_child(name="马兰", **CHILD)
    message = upstream.publish("casework.care_service_given.v1", care_service(child_id))
    assert consumer.receive(message) == APPLIED
    assert consumer.receive(message) == DUPLICATE
    (record,) = registry.get_child(child_id)["help_records"]
    assert record["type"] == "care_service_given" and record["service_line"] == "life_care"
    assert record["on"] == date(2025, 5, 30) and record["details"]["kind"] == "homework_help"
    assert record["event_id"] == message["event_id"]
    (change,) = [c for c in registry.child_history(child_id) if c["event"] == "help_recorded"]
    assert change["actor"] == {"id": "sw-1", "role": "provider_staff"}


def test_group_sessions_and_activities_reach_every_child_who_attended(registry, upstream, consumer):
    a = registry.register_child(name="马兰", **CHILD)
    b = registry.register_child(name="马梅", **CHILD)
    upstream.publish(
        "casework.group_session_held.v1",
        {
            "group_id": uuid.uuid4(),
            "session_id": uuid.uuid4(),
            "held_on": date(2025, 5, 20),
            "service_line": "spiritual_literacy",
            "attended_child_ids": [a, b, a],
        },
    )
    upstream.publish(
        "casework.activity_held.v1",
        {
            "activity_id": uuid.uuid4(),
            "contract_id": None,
            "kind": "safety_education",
            "title": "防溺水",
            "held_on": date(2025, 5, 25),
            "service_line": "safety_education",
            "child_ids": [b],
            "guardian_count": 3,
            "community_count": 10,
            "town": "镇罗镇",
            "village": "观音村",
        },
    )
    upstream.publish(
        "casework.supervision_held.v1",
        {
            "supervision_id": uuid.uuid4(),
            "held_on": date(2025, 5, 26),
            "kind": "supervision",
            "director_ids": [uuid.uuid4()],
        },
    )
    assert consumer.catch_up() == 3
    assert len(registry.get_child(a)["help_records"]) == 1
    assert [r["type"] for r in registry.get_child(b)["help_records"]] == ["group_session_held", "activity_held"]
    assert registry.list_children(limit=10, q="马梅")["items"][0]["help_records"] == 2


def test_a_gap_is_filled_from_the_upstream_before_the_next_event(registry, upstream, consumer):
    child_id = registry.register_child(name="马兰", **CHILD)
    upstream.publish("casework.care_service_given.v1", care_service(child_id))  # lost in the broker
    later = upstream.publish("casework.care_service_given.v1", care_service(child_id))
    assert consumer.receive(later) == APPLIED
    assert len(registry.get_child(child_id)["help_records"]) == 2


def test_help_for_a_merged_file_goes_to_the_survivor_and_unknown_children_are_skipped(registry, upstream, consumer):
    survivor = registry.register_child(name="马兰", **CHILD)
    merged = registry.register_child(name="马蓝", **CHILD)
    registry.merge_files(survivor_id=survivor, merged_id=merged, reason="same child")
    consumer.receive(upstream.publish("casework.care_service_given.v1", care_service(merged)))
    assert consumer.receive(upstream.publish("casework.care_service_given.v1", care_service(uuid.uuid4()))) == APPLIED
    assert len(registry.get_child(survivor)["help_records"]) == 1
    assert consumer.position == 2
