"""The bureau's desk: tranches held by an evaluation not yet passed
(GET /tranches/awaiting-evaluation), as finance knows them from the grants
events of one contract (tests/support/finance.py)."""

from datetime import date

from tests.support.finance import deliver


def awaiting(app) -> list[tuple[int, str, bool]]:
    rows = app.tranches_awaiting_evaluation(limit=50)
    return [(row["number"], row["gate"], row["evaluation_failed"]) for row in rows]


def test_a_started_contract_waits_on_its_mid_term_and_its_effectiveness_evaluation(app, feed):
    # in tranche id order (the page's cursor), not by number
    assert sorted(awaiting(app)) == [(2, "mid_term_passed", False), (3, "final_passed", False)]
    [row] = [r for r in app.tranches_awaiting_evaluation(limit=50) if r["number"] == 2]
    assert row["contract_id"] == feed.contract_id and row["organization_id"] is not None
    assert row["amount_fen"] == 7_500_000 and row["status"] == "pending"


def test_a_passed_mid_term_lets_its_tranche_go_and_a_failed_one_keeps_it_marked_failed(app, feed, clock):
    clock.today = date(2026, 2, 1)
    deliver(app, feed, feed.mid_term(passed=False, on=date(2026, 1, 10)))
    assert sorted(awaiting(app)) == [(2, "mid_term_passed", True), (3, "final_passed", False)]
    deliver(app, feed, feed.mid_term(passed=True, on=date(2026, 1, 20)))
    assert awaiting(app) == [(3, "final_passed", False)]


def test_the_last_tranche_leaves_once_the_effectiveness_evaluation_passes_even_before_completion(app, feed, clock):
    clock.today = date(2026, 8, 1)
    deliver(app, feed, feed.mid_term(passed=True, on=date(2026, 1, 10)), feed.effectiveness(on=date(2026, 7, 15)))
    assert awaiting(app) == []  # tranche 3 now waits on completion, not on an evaluation


def test_a_suspended_contract_waits_on_its_reinstatement_not_on_an_evaluation(app, feed):
    deliver(app, feed, feed.suspended(on=date(2025, 7, 8)))
    assert awaiting(app) == []
    deliver(app, feed, feed.reinstated(on=date(2025, 7, 9)))
    assert sorted(awaiting(app)) == [(2, "mid_term_passed", False), (3, "final_passed", False)]


def test_pages_follow_the_tranche_id(app, feed):
    first = app.tranches_awaiting_evaluation(limit=1)
    rest = app.tranches_awaiting_evaluation(limit=5, after=str(first[0]["tranche_id"]))
    assert len(first) == 1 and len(rest) == 1
    assert str(rest[0]["tranche_id"]) > str(first[0]["tranche_id"])
