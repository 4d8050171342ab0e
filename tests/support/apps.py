"""Applications on each persistence kind, for tests that must pass on all."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared.config import load_store_settings
from shared.eventstore import ServiceApplication, open_application

STORE_KINDS = ("popo", "sqlite", "postgres")


@pytest.fixture(params=STORE_KINDS)
def store_kind(request):
    return request.param


@pytest.fixture
def make_app(store_kind, request, tmp_path):
    """make_app(AppClass) → an application on the parametrised store kind."""
    opened = []

    def make(app_class: type[ServiceApplication], **env):
        if store_kind == "popo":
            app = app_class(env={"PERSISTENCE_MODULE": "eventsourcing.popo", **env})
        elif store_kind == "sqlite":
            store = replace(load_store_settings(), kind="sqlite", data_dir=tmp_path / "data")
            app = open_application(app_class, store)
        else:
            # The same test still runs on the in-memory and SQLite stores.
            if request.getfixturevalue("postgres_unreachable"):
                pytest.skip("PostgreSQL is not reachable here")
            store = request.getfixturevalue("pg_store")
            app = open_application(app_class, store)
        opened.append(app)
        return app

    yield make
    for app in opened:
        app.close()
