"""Line 1 (摸底走访建档, 卫沙民社函〔2025〕11号 §三.(四).1) in the quarterly report: a
contract is credited with the files opened and the visits made under it, and
nothing else; a contract with none shows a gap. Registry events from before
line 1 carried a contract (v1) are still consumed, and credit no contract."""

import json
from dataclasses import replace
from datetime import date

from services.casework.domain.roster import RosterChild
from tests.support.casework import OTHER, C

THIRD = C.__class__(int=3)


def line(report, name="screening_and_files"):
    return next(row for row in report["service_lines"] if row["line"] == name)


def test_only_the_contracts_own_files_and_visits_are_credited(casework, registry):
    ours = registry.register(registered_on=date(2025, 8, 1), contract_id=C)
    theirs = registry.register(registered_on=date(2025, 8, 2), contract_id=OTHER, town="迎水桥镇", village="沙坡头村")
    bureau = registry.register(registered_on=date(2025, 8, 3))  # v1: no contract
    registry.visit(ours, date(2025, 8, 5), contract_id=C, household="马家")
    registry.visit(bureau, date(2025, 8, 6), contract_id=C, household="马家")  # the same household again
    registry.visit(bureau, date(2025, 8, 7), contract_id=C)  # no household named: the child's own
    registry.visit(ours, date(2025, 8, 8))  # a director's visit: the district's
    registry.visit(theirs, date(2025, 8, 9), contract_id=OTHER)
    registry.visit(ours, date(2025, 10, 2), contract_id=C)  # next quarter

    report = casework.quarterly_report(C, 2025, 3)
    assert report["screening_and_files"] == {
        "children_reached": 2,
        "households_visited": 2,
        "visits": 3,
        "files_opened": 1,
    }
    assert (line(report)["records"], line(report)["delivered"]) == (4, True)
    assert report["registry"]["visits"] == 5  # the district's figures count every visitor

    other = casework.quarterly_report(OTHER, 2025, 3)
    assert other["screening_and_files"] == {
        "children_reached": 1,
        "households_visited": 1,
        "visits": 1,
        "files_opened": 1,
    }
    nothing = casework.quarterly_report(THIRD, 2025, 3)
    assert nothing["screening_and_files"]["children_reached"] == 0
    assert {"line": "screening_and_files", "title": "摸底走访建档", "reason": "nothing delivered this quarter"} in (
        nothing["gaps"]
    )
    q4 = casework.quarterly_report(C, 2025, 4)
    assert q4["screening_and_files"]["visits"] == 1 and q4["screening_and_files"]["files_opened"] == 0


def test_the_roster_keeps_the_contract_a_file_was_opened_under(casework, registry):
    child = registry.register(contract_id=C)
    assert casework.find(RosterChild, child).opened_under == C
    assert casework.find(RosterChild, registry.register()).opened_under is None


def test_roster_events_stored_before_they_carried_a_contract_still_load(casework, registry):
    child = registry.register(contract_id=C)
    registry.visit(child, date(2025, 8, 5), contract_id=C, household="马家")
    enrolled, visited = casework.recorder.select_events(child)[:2]

    def old(stored, fields, version):
        state = json.loads(stored.state)
        for field in fields:
            state.pop(field)
        state["class_version"] = version
        return casework.mapper.to_domain_event(replace(stored, state=json.dumps(state).encode()))

    assert old(enrolled, ("contract_id",), 2).contract_id is None
    event = old(visited, ("contract_id", "household"), 1)
    assert isinstance(event, RosterChild.Visited) and event.contract_id is None and event.household is None
