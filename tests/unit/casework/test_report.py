"""The quarterly report against a scenario whose counts are known by hand
(tests.support.casework.scenario), its reproducibility as of a log position,
and gaps (the HTML document: test_report_html.py)."""

from datetime import date

import pytest

from services.casework.application import CaseworkApplication
from services.casework.domain.reports import QuarterlyFold, quarter_bounds
from shared.errors import RuleViolation
from tests.support.casework import OTHER, C, Grants, casework_app, scenario


def lines(report):
    return {row["line"]: row for row in report["service_lines"]}


def test_quarter_bounds():
    assert quarter_bounds(2025, 1) == (date(2025, 1, 1), date(2025, 3, 31))
    assert quarter_bounds(2025, 4) == (date(2025, 10, 1), date(2025, 12, 31))


def test_delivery_per_service_line(reported):
    report, _, _ = reported
    got = {line: (row["records"], row["attendances"], row["children_reached"]) for line, row in lines(report).items()}
    assert got == {
        "screening_and_files": (2, 2, 1),  # two visits under C to (a); the director's visit to (b) is not C's
        "spiritual_literacy": (2, 3, 2),  # theme (a, d) + reading guidance (d)
        "life_care": (2, 2, 2),  # hardship aid (a) + festival visit (c)
        "tiered_management": (7, 10, 4),  # 2 cases opened + 3 sessions + 2 group sessions
        "director_supervision": (2, 0, 0),
        "social_participation": (2, 0, 0),  # one organisation nurtured + its activity
        "safety_education": (2, 3, 3),
        "protection_publicity": (1, 0, 0),
    }
    assert report["gaps"] == []


def test_cases_groups_activities_care_directors(reported):
    report, _, _ = reported
    assert report["cases"] == {
        "opened": 2,
        "closed": 1,
        "sessions": 3,
        "session_minutes": 135,
        "reviews": 1,
        "closed_by_reason": {"aged_out": 1},
        "open_at_end": 1,
    }
    assert report["groups"] == {"formed": 1, "met": 1, "sessions": 2, "attendances": 5}
    activities = report["activities"]
    assert activities["by_kind"]["monthly_theme"] == {"count": 1, "children": 2, "guardians": 3, "community": 10}
    assert activities["monthly_themes"] == [{"month": "2025-07", "theme": "防溺水"}]
    safety = activities["safety_education_by_topic"]
    assert safety["drowning"] == {"sessions": 1, "children": 3, "guardians": 0}
    assert safety["road_safety"] == {"sessions": 1, "children": 3, "guardians": 0}
    assert safety["fire_and_electricity"] == {"sessions": 1, "children": 0, "guardians": 12}
    assert safety["bullying"] == {"sessions": 0, "children": 0, "guardians": 0}
    assert report["care"]["value_fen"] == 70000
    assert report["care"]["by_kind"]["hardship_aid"] == {"count": 1, "value_fen": 50000}
    assert report["directors"] == {
        "supervisions": 1,
        "cross_learning": 1,
        "attendances": 3,
        "directors_reached": 2,
        "directors_known": 2,
    }
    assert report["community_organizations"] == {"nurtured_this_quarter": 1, "nurtured_to_date": 1, "activities": 1}


def test_children_reached_registry_figures_and_funds(reported):
    report, _, _ = reported
    assert report["children"] == {
        "reached": 5,
        "by_category": {"distressed": 2, "left_behind": 3, "unattended": 1},
        "by_town": {"滨河镇": 3, "迎水桥镇": 2},
        "by_tier": {"1": 1, "2": 1, "3": 1, "unassessed": 2},
    }
    assert report["screening_and_files"] == {
        "children_reached": 1,
        "households_visited": 1,
        "visits": 2,
        "files_opened": 0,
    }
    assert report["registry"] == {  # the district's: every visitor's visits
        "children_in_programme": 5,
        "visits": 3,
        "children_visited": 2,
        "tiers_at_end": {"1": 1, "2": 1, "3": 1, "unassessed": 2},
        "overdue_contacts_at_end": 2,
        "overdue_by_tier": {"1": 0, "2": 1, "3": 1, "unassessed": 0},
    }
    assert report["funds"] == {
        "received_fen": {"fiscal": 10_000_000, "donation": 500_000, "total": 10_500_000},
        "spent_fen": {"fiscal": 1_234_500, "donation": 200_000, "total": 1_434_500},
        "received_to_date_fen": {"fiscal": 10_000_000, "donation": 500_000, "total": 10_500_000},
        "spent_to_date_fen": {"fiscal": 1_234_500, "donation": 200_000, "total": 1_434_500},
        "balance_fen": 9_065_500,
        "spent_by_budget_line_fen": {"materials": 200_000, "personnel": 1_234_500},
    }


def test_other_contract_shows_its_gaps(reported):
    _, _, app = reported
    other = app.quarterly_report(OTHER, 2025, 3)
    assert {g["line"] for g in other["gaps"]} == {
        "screening_and_files",  # no file opened or visit made under OTHER
        "spiritual_literacy",
        "life_care",
        "director_supervision",
        "social_participation",
        "safety_education",
        "protection_publicity",
    }
    assert other["cases"]["opened"] == 1 and other["children"]["reached"] == 1
    assert other["funds"]["received_fen"]["fiscal"] == 7_777
    scoped = app.quarterly_report(OTHER, 2025, 3, expected_lines=["tiered_management", "life_care"])
    assert [g["line"] for g in scoped["gaps"]] == ["life_care"]
    assert not lines(scoped)["safety_education"]["expected"]


def test_another_quarter_counts_only_its_own_work(reported):
    _, _, app = reported
    q4 = app.quarterly_report(C, 2025, 4)
    assert all(not row["delivered"] for row in q4["service_lines"])
    assert q4["funds"]["received_fen"]["total"] == 0
    assert q4["funds"]["received_to_date_fen"]["total"] == 10_500_000
    assert q4["cases"]["open_at_end"] == 1


def test_same_numbers_as_of_a_position_after_more_work(reported):
    report, children, app = reported
    position = report["as_of_position"]
    assert position == app.head_position()
    app.give_care_service(
        child_id=children["b"],
        contract_id=C,
        kind="homework_help",
        given_on=date(2025, 9, 20),
        value_fen=None,
        resource=None,
        occasion=None,
        worker="w",
        notes="",
    )
    later = app.quarterly_report(C, 2025, 3)
    assert later["care"]["by_kind"]["homework_help"] == {"count": 1, "value_fen": 0}
    again = app.quarterly_report(C, 2025, 3, as_of_position=position)
    assert again == report
    # and again from a fresh process reading the same log
    fresh = QuarterlyFold()
    app.fold_log(fresh, position)
    assert fresh.report(C, 2025, 3)["children"] == report["children"]


def test_position_beyond_the_log_is_refused(casework):
    with pytest.raises(RuleViolation) as error:
        casework.quarterly_report(C, 2025, 3, as_of_position=casework.head_position() + 1)
    assert set(error.value.fields) == {"as_of_position"}


def test_report_survives_a_restart_on_the_same_store(store_kind, make_app, tmp_path):
    if store_kind == "popo":
        pytest.skip("in-memory store does not outlive the application")
    first = make_app(CaseworkApplication)
    first.clock = lambda: date(2025, 9, 30)
    scenario(first)
    before = first.quarterly_report(C, 2025, 3)
    second = make_app(CaseworkApplication)
    assert second.quarterly_report(C, 2025, 3, as_of_position=before["as_of_position"]) == before


def test_reports_as_of_any_position_match_a_fold_from_the_start(casework, monkeypatch):
    from services.casework.use_cases import reports as report_queries

    monkeypatch.setattr(report_queries, "CHECKPOINT_EVERY", 16)
    scenario(casework)
    head = casework.head_position()
    assert casework.warm_reports() == head
    assert len(casework._checkpoints) == head // 16
    assert head > 48
    for position in sorted({1, 15, 16, 17, 33, 48, head // 2, head - 1, head}):
        fresh = casework.fold_log(QuarterlyFold(), position)
        for contract in (C, OTHER):
            expected = fresh.report(contract, 2025, 3)
            got = casework.quarterly_report(contract, 2025, 3, as_of_position=position)
            assert got["service_lines"] == [dict(r) for r in expected["service_lines"]], position
            assert got["children"] == expected["children"] and got["funds"] == expected["funds"], position
            assert got["as_of_position"] == position


def test_gaps_follow_the_signed_contracts_scope(casework):
    grants = Grants(casework)
    scenario(casework)
    unsigned = casework.quarterly_report(OTHER, 2025, 3)
    assert unsigned["contract"] == {"signed": False, "period": None, "expected_lines_from": "default"}
    assert len(unsigned["gaps"]) == 7
    assert grants.contract_signed(OTHER, ["tiered_management", "life_care"]) == "applied"
    assert (
        grants.publish("grants.contract_suspended.v1", contract_id=OTHER, reason="r", suspended_on=date(2025, 8, 1))
        == "applied"
    )  # not casework's concern
    signed = casework.quarterly_report(OTHER, 2025, 3)
    assert signed["contract"] == {
        "signed": True,
        "period": {"start": "2025-07-01", "end": "2026-06-30"},
        "expected_lines_from": "contract",
    }
    assert [g["line"] for g in signed["gaps"]] == ["life_care"]
    asked = casework.quarterly_report(OTHER, 2025, 3, expected_lines=["safety_education"])
    assert asked["contract"]["expected_lines_from"] == "request"
    assert [g["line"] for g in asked["gaps"]] == ["safety_education"]
    head = casework.head_position()
    grants.contract_signed(OTHER, ["safety_education"])  # a contract is signed once: ignored
    assert casework.head_position() == head


def test_overdue_contacts_count_by_the_one_cadence_setting_the_registry_uses(make_app, monkeypatch):
    """CONTACT_CADENCE_DAYS dates the registry's contacts and this report's
    overdue count alike: at a 1-day tier-1 cadence, child a (visited 09-28) is
    overdue at the quarter's end, where at the default 7 days it was not."""
    monkeypatch.setenv("CONTACT_CADENCE_DAYS", "1,30,90")
    app = casework_app(make_app)
    scenario(app)
    figures = app.quarterly_report(C, 2025, 3)["registry"]
    assert figures["overdue_contacts_at_end"] == 3
    assert figures["overdue_by_tier"] == {"1": 1, "2": 1, "3": 1, "unassessed": 0}
