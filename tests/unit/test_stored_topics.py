"""Events already stored name their class by topic (module:qualname). When a
class moves or is renamed, the old topic must still resolve (each service
registers it), or every record written before the move stops loading and the
audit replay breaks. `stored_topics.txt` lists every aggregate and event
topic the services have ever written under; never remove a line."""
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import resolve_topic

import services.casework.application  # noqa: F401 - each registers its moved topics
import services.finance.application  # noqa: F401
import services.gateway.application  # noqa: F401
import services.grants.application  # noqa: F401
import services.registry.application  # noqa: F401

TOPICS = (Path(__file__).parent / "stored_topics.txt").read_text().split()


@pytest.mark.parametrize("topic", TOPICS)
def test_a_topic_stored_before_a_move_still_resolves(topic):
    found = resolve_topic(topic)
    assert isinstance(found, type) and issubclass(found, (Aggregate, DomainEvent)), found
