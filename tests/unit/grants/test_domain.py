"""The grants domain's pure parts: credit codes, money splits, grades, notice
periods, bans and indicator trees (its layering is checked with every other
service's by tests/unit/test_architecture.py)."""

from datetime import date
from decimal import Decimal

import pytest

from services.grants.domain import calls, contracts, credit_code, notices, organizations
from shared.contracts import common
from shared.contracts import grants as grants_contracts
from tests.support.grants import credit_code as make_code


@pytest.mark.parametrize("code", ["9144030071526726XG", "91110108551385082Q"])
def test_published_real_codes_pass_both_checks(code):
    assert credit_code.problems(code) == []


@pytest.mark.parametrize(
    "code,problem",
    [
        ("52640502MJ000001", "18 characters"),
        ("52640502MJ0000I1XX", "outside"),  # I is not in the charset
        ("52640502MJ0000O1XX", "outside"),  # nor O
        ("5264050ZMJ00000101", "outside"),
        ("5264050AMJ00000101", "administrative division"),
    ],
)
def test_malformed_codes_are_refused(code, problem):
    assert problem in credit_code.problems(code)[0]


def test_a_wrong_check_character_is_refused():
    good = make_code("52")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert "GB 32100" in credit_code.problems(wrong)[0]


def test_a_wrong_organization_code_check_is_refused():
    good = make_code("52")
    bad_org = good[:16] + ("0" if good[16] != "0" else "1")
    first17 = bad_org[:17]
    assert "GB 11714" in credit_code.problems(first17 + credit_code.check_character(first17))[0]


@pytest.mark.parametrize(
    "prefix,kind",
    [
        ("51", "social_group"),
        ("52", "private_non_enterprise"),
        ("53", "foundation"),
        ("59", "other_civil_affairs"),
        ("91", "not_civil_affairs"),
        ("11", "not_civil_affairs"),
    ],
)
def test_registration_type_comes_from_the_first_two_characters(prefix, kind):
    assert credit_code.registration_type(make_code(prefix)) == kind


def test_the_seed_budget_splits_40_30_30_with_the_remainder_last():
    plan = calls.DEFAULT_TRANCHES
    assert [t["amount_fen"] for t in calls.tranche_amounts(25_000_000, plan)] == [10_000_000, 7_500_000, 7_500_000]
    odd = calls.tranche_amounts(1_001, plan)
    assert [t["amount_fen"] for t in odd] == [400, 300, 301] and sum(t["amount_fen"] for t in odd) == 1_001


@pytest.mark.parametrize(
    "score,grade",
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.9", "good"),
        ("80", "good"),
        ("79.9", "fair"),
        ("60", "fair"),
        ("59.9", "poor"),
        ("0", "poor"),
    ],
)
def test_grades_follow_the_bands(score, grade):
    assert contracts.grade(Decimal(score)) == grade


def test_a_five_day_calendar_notice_ends_on_its_fifth_day():
    assert notices.notice_end(date(2025, 6, 16), 5, "calendar", [], []) == date(2025, 6, 20)


def test_working_day_notices_skip_weekends_and_holidays_and_count_adjusted_workdays():
    friday = date(2025, 6, 20)
    assert notices.notice_end(friday, 5, "working", [], []) == date(2025, 6, 26)
    assert notices.notice_end(friday, 5, "working", [date(2025, 6, 23)], []) == date(2025, 6, 27)
    assert notices.notice_end(friday, 5, "working", [], [date(2025, 6, 21)]) == date(2025, 6, 25)


def test_a_ban_lasts_three_years_and_a_leap_day_ends_on_28_february():
    assert organizations.ban_end(date(2025, 11, 20)) == date(2028, 11, 20)
    assert organizations.ban_end(date(2028, 2, 29)) == date(2031, 2, 28)


def test_indicator_trees_must_add_up():
    assert contracts.indicator_problems(contracts.DEFAULT_INDICATORS) == []
    nested = [{**i, "children": []} for i in contracts.DEFAULT_INDICATORS]
    nested[1]["children"] = [
        {"code": "coverage", "name": "覆盖", "max_points": 30, "children": []},
        {"code": "activities", "name": "活动", "max_points": 15, "children": []},
    ]
    assert "children's points must add up to 50" in contracts.indicator_problems(nested)[0]
    assert "add up to 100" in contracts.indicator_problems(contracts.DEFAULT_INDICATORS[:3])[0]


def test_quarters_of_the_seed_contract():
    assert contracts.quarters_between(date(2025, 7, 1), date(2026, 6, 30)) == [
        (2025, 3),
        (2025, 4),
        (2026, 1),
        (2026, 2),
    ]


def test_domain_vocabulary_matches_the_public_contracts():
    assert calls.SERVICE_LINES == common.SERVICE_LINES
    assert calls.GATES == grants_contracts.GATES
    assert contracts.SANCTION_REASONS == grants_contracts.SANCTION_REASONS
    assert (*contracts.TERMINATION_REASONS, contracts.WITHOUT_FAULT) == grants_contracts.TERMINATION_REASONS


def test_builders_make_valid_credit_codes_of_the_requested_type():
    for type_code in ("51", "52", "53", "91"):
        code = make_code(type_code)
        assert credit_code.problems(code) == [] and code.startswith(type_code)
