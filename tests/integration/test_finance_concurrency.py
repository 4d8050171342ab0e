"""Two finance officers (two replicas of the service) pay at the same moment,
on real PostgreSQL: optimistic concurrency lets exactly one payment through and
the other is told why (409), never paid twice."""

import threading
from datetime import date

import pytest

from services.finance.application import FinanceApplication
from services.finance.exceptions import DuplicateVoucher, TrancheAlreadyPaid
from shared.errors import ConcurrentChange, Conflict
from shared.eventstore import open_application
from tests.support.finance import GrantsFeed, deliver

TODAY = date(2026, 2, 1)


class RacingFinance(FinanceApplication):
    """Holds every save at a barrier, so each racer has read the same version
    and passed every check before any of them writes."""

    name = "finance"
    barrier: threading.Barrier | None = None

    passed = threading.local()

    def save(self, *objs, **kwargs):
        # Only each racer's first save waits; a retry after losing goes straight on.
        if self.barrier is not None and not getattr(self.passed, "barrier", False):
            self.passed.barrier = True
            self.barrier.wait(timeout=30)
        return super().save(*objs, **kwargs)


@pytest.fixture
def replicas(pg_store):
    opened = [open_application(RacingFinance, pg_store) for _ in range(3)]
    for app in opened:
        app.clock = lambda: TODAY
    yield opened
    for app in opened:
        app.close()


@pytest.fixture
def feed(replicas):
    grants = GrantsFeed()
    deliver(replicas[0], grants, *grants.signed_up_to_contract(), grants.mid_term(True, date(2026, 1, 10)))
    return grants


def race(calls):
    """Run each call in its own thread at once; returns results and errors by index."""
    results, errors = {}, {}

    def run(i, call):
        try:
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - collected for the assertions
            errors[i] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def tranche_ids(app, feed):
    return [t["tranche_id"] for t in app.get_funding(feed.contract_id)["tranches"]]


def test_two_officers_paying_the_same_tranche_at_once_pay_it_once(replicas, feed):
    a, b, _ = replicas
    t1 = tranche_ids(a, feed)[0]
    RacingFinance.barrier = threading.Barrier(2)
    try:
        results, errors = race(
            [
                lambda: a.pay_tranche(t1, amount_fen=10_000_000, voucher="PV-A"),
                lambda: b.pay_tranche(t1, amount_fen=10_000_000, voucher="PV-B"),
            ]
        )
    finally:
        RacingFinance.barrier = None
    assert len(results) == 1 and len(errors) == 1, (results, errors)
    [error] = errors.values()
    assert isinstance(error, TrancheAlreadyPaid)
    [winner] = results.values()
    assert error.voucher == winner["voucher"]
    funding = a.get_funding(feed.contract_id)
    assert funding["fiscal"]["paid_fen"] == 10_000_000
    assert a.trial_balance(TODAY)["balanced"]
    assert a.reconciliation()["reconciled"] is True


def test_one_voucher_used_for_two_tranches_at_once_pays_one(replicas, feed):
    a, b, _ = replicas
    t1, t2, _ = tranche_ids(a, feed)
    RacingFinance.barrier = threading.Barrier(2)
    try:
        results, errors = race(
            [
                lambda: a.pay_tranche(t1, amount_fen=10_000_000, voucher="PV-SAME"),
                lambda: b.pay_tranche(t2, amount_fen=7_500_000, voucher="PV-SAME"),
            ]
        )
    finally:
        RacingFinance.barrier = None
    assert len(results) == 1 and [type(e) for e in errors.values()] == [DuplicateVoucher]


def test_many_officers_at_once_still_pay_one_and_every_other_one_hears_409(replicas, feed):
    t1 = tranche_ids(replicas[0], feed)[0]
    RacingFinance.barrier = threading.Barrier(6)
    try:
        results, errors = race(
            [
                (lambda app=app, n=n: app.pay_tranche(t1, amount_fen=10_000_000, voucher=f"PV-{n}"))
                for n, app in enumerate(replicas * 2)
            ]
        )
    finally:
        RacingFinance.barrier = None
    assert len(results) == 1 and len(errors) == 5
    assert all(
        isinstance(e, (TrancheAlreadyPaid, ConcurrentChange)) and isinstance(e, Conflict) for e in errors.values()
    ), errors
    assert replicas[2].get_funding(feed.contract_id)["fiscal"]["paid_fen"] == 10_000_000


def test_concurrent_spending_on_one_contract_is_all_kept(replicas, feed):
    """Different writes to one contract do not refuse each other: the loser re-runs on the fresh state."""
    a, b, c = replicas
    RacingFinance.barrier = threading.Barrier(3)
    try:
        results, errors = race(
            [
                (
                    lambda app=app, n=n: app.record_expenditure(
                        feed.contract_id, budget_line="staff", fund="fiscal", amount_fen=1_000, voucher=f"E-{n}"
                    )
                )
                for n, app in enumerate((a, b, c))
            ]
        )
    finally:
        RacingFinance.barrier = None
    assert errors == {} and len(results) == 3
    assert a.get_funding(feed.contract_id)["fiscal"]["spent_fen"] == 3_000
