"""Casework's unit-test fixtures: a casework application on each store kind
(popo, SQLite, PostgreSQL), dated tests.support.casework.TODAY, the registry
feeding it, and the hand-counted quarter reported."""

import pytest

from tests.support.apps import make_app, store_kind  # noqa: F401 - fixtures for this area
from tests.support.casework import C, Registry, casework_app, scenario


@pytest.fixture
def casework(make_app):  # noqa: F811
    return casework_app(make_app)


@pytest.fixture
def registry(casework):
    return Registry(casework)


@pytest.fixture
def reported(casework):
    """The report of tests.support.casework.scenario's quarter under contract C,
    the children it names, and the application."""
    children = scenario(casework)
    return casework.quarterly_report(C, 2025, 3), children, casework
