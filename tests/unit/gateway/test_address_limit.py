"""Failed sign-ins per client address (issue 13, item 11): a burst, then one
per refill interval; other addresses are not affected; memory stays bounded."""

from services.gateway.web import address_limit
from services.gateway.web.address_limit import FailedSignInBudget


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_an_address_may_fail_a_burst_then_waits_for_the_refill():
    clock = Clock()
    budget = FailedSignInBudget(burst=3, per_minute=6, clock=clock)  # one every 10 s
    for _ in range(3):
        assert budget.wait_for("203.0.113.7") == 0
        budget.spend("203.0.113.7")
    assert budget.wait_for("203.0.113.7") == 10
    assert budget.wait_for("198.51.100.1") == 0  # another address is not affected
    clock.now += 4
    assert budget.wait_for("203.0.113.7") == 6
    clock.now += 6
    assert budget.wait_for("203.0.113.7") == 0
    budget.spend("203.0.113.7")
    assert budget.wait_for("203.0.113.7") == 10


def test_forgotten_first_are_the_addresses_whose_budget_is_whole(monkeypatch):
    monkeypatch.setattr(address_limit, "MAX_ADDRESSES", 3)
    clock = Clock()
    budget = FailedSignInBudget(burst=2, per_minute=60, clock=clock)
    budget.spend("old")
    clock.now += 60  # "old" is whole again
    for address in ("a", "b", "c"):
        budget.spend(address)
        budget.spend(address)
    assert set(budget._buckets) == {"a", "b", "c"}
    assert budget.wait_for("a") > 0
