"""Events already stored name their class by topic (module:QualName). When a
class moves or is renamed, the old topic must still resolve (each service's
application registers it), or every record written before the move stops
loading and the audit replay breaks. `stored_topics.txt` lists every aggregate
and event topic the services have ever written under: never remove a line, and
add the topics of each new class (the second test says which)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORED = sorted(set((Path(__file__).parent / "stored_topics.txt").read_text().split()))

# Runs in a fresh interpreter: a topic resolved earlier in this test process is
# cached, and the cache would hide a registration that shadows a new module.
PROBE = """
import importlib, inspect, json, pkgutil, sys
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import construct_topic, resolve_topic
import services
for service in ("registry", "grants", "casework", "finance", "gateway"):
    importlib.import_module(f"services.{service}.application")  # registers moved topics
answers = {}
for topic in json.loads(sys.stdin.read()):
    try:
        found = resolve_topic(topic)
        ok = isinstance(found, type) and issubclass(found, (Aggregate, DomainEvent))
        answers[topic] = construct_topic(found) if ok else f"not an event or aggregate: {found!r}"
    except Exception as error:  # noqa: BLE001 - reported per topic
        answers[topic] = f"unresolvable: {error}"
defined = set()
for service in pkgutil.iter_modules(services.__path__):
    package = importlib.import_module(f"services.{service.name}.domain")
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        stack = [obj for obj in vars(module).values() if inspect.isclass(obj)]
        while stack:
            cls = stack.pop()
            if issubclass(cls, (Aggregate, DomainEvent)) and cls.__module__ == module.__name__:
                defined.add(construct_topic(cls))
                stack += [v for v in vars(cls).values() if inspect.isclass(v)]
print(json.dumps({"answers": answers, "defined": sorted(defined)}))
"""


@pytest.fixture(scope="module")
def probe():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps(STORED),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_topic_ever_stored_still_resolves_to_an_event_or_aggregate(probe):
    unresolved = {t: a for t, a in probe["answers"].items() if a.startswith(("unresolvable", "not an"))}
    assert unresolved == {}


def test_todays_topics_resolve_to_themselves_and_are_listed(probe):
    defined = probe["defined"]
    assert {t: probe["answers"].get(t) for t in defined if probe["answers"].get(t) != t} == {}, (
        "add each new class's topic to tests/unit/stored_topics.txt"
    )


def test_a_moved_class_keeps_its_meaning(probe):
    # Spot checks of the moves made so far: the old name answers with the new class.
    assert probe["answers"]["services.grants.applications:Application.Submitted"].endswith("Proposal.Submitted")
    assert (
        probe["answers"]["services.registry.domain:Child.Registered"]
        == "services.registry.domain.child:Child.Registered"
    )
    assert probe["answers"]["services.casework.cases:Case.Opened"] == "services.casework.domain.cases:Case.Opened"
