"""Fixtures for the registry's unit tests: the application on each store kind
(POPO, SQLite, PostgreSQL), its clock held on a chosen day."""

from __future__ import annotations

from datetime import date

import pytest

from services.registry.application import RegistryApplication
from tests.support.apps import make_app, store_kind  # noqa: F401 - fixtures


class Clock:
    """The registry's today, which a test may move on (`clock.today = ...`)."""

    def __init__(self, today: date):
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def today() -> date:
    """The day the registry starts on; a module overrides it for another day."""
    return date(2025, 6, 1)


@pytest.fixture
def clock(today):
    return Clock(today)


@pytest.fixture
def registry(make_app, clock):  # noqa: F811
    app = make_app(RegistryApplication)
    app.clock = clock
    return app
