"""Fixtures for finance's unit tests: the application on each store kind with
a clock the test drives, and a contract signed through published grants events
(tests/support/finance.py)."""

from datetime import date

import pytest

from services.finance.application import FinanceApplication
from shared.consumer import APPLIED
from tests.support.apps import make_app, store_kind  # noqa: F401 - fixtures
from tests.support.finance import GrantsFeed, deliver


class Clock:
    def __init__(self, today=date(2025, 7, 10)):
        self.today = today

    def __call__(self):
        return self.today


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(make_app, clock):  # noqa: F811
    finance = make_app(FinanceApplication)
    finance.clock = clock
    return finance


@pytest.fixture
def feed(app):
    grants = GrantsFeed()
    assert deliver(app, grants, *grants.signed_up_to_contract()) == [APPLIED] * 3
    return grants
