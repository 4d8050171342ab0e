"""The gateway's own application on each store kind (POPO, SQLite, PostgreSQL)."""

import pytest

from services.gateway.application import GatewayApplication
from tests.support.apps import make_app, store_kind  # noqa: F401 - fixtures


@pytest.fixture
def gateway(make_app):  # noqa: F811
    return make_app(GatewayApplication)
