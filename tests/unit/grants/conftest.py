"""Fixtures for the grants tests: a clock the test moves by hand, and the
grants application on each store kind with that clock."""

from datetime import date

import pytest

from services.grants.application import GrantsApplication
from tests.support.apps import make_app, store_kind  # noqa: F401 - fixtures
from tests.support.grants import Clock


@pytest.fixture
def clock():
    return Clock(date(2025, 5, 10))


@pytest.fixture
def grants(make_app, clock):  # noqa: F811
    app = make_app(GrantsApplication)
    app.clock = clock
    return app
