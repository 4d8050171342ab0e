"""deploy/postgres/provision.py's refusals, before it connects to anything
(the real-server checks are in tests/integration/test_postgres_roles.py)."""

import pytest

from deploy.postgres import provision

ALL_PASSWORDS = {provision.password_variable(service): f"{service}-pw" for service in provision.OWNERS}


@pytest.fixture
def env(monkeypatch):
    for name, value in ALL_PASSWORDS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POSTGRES_USER", "postgres")
    monkeypatch.delenv("POSTGRES_SCHEMA_PREFIX", raising=False)
    monkeypatch.setattr(provision, "provision", lambda admin, passwords: list(passwords))
    return monkeypatch


def test_every_service_and_the_gateway_needs_its_password(env, capsys):
    env.delenv("POSTGRES_GATEWAY_PASSWORD")
    env.setenv("POSTGRES_FINANCE_PASSWORD", "  ")
    assert provision.main() == 2
    assert "set POSTGRES_FINANCE_PASSWORD, POSTGRES_GATEWAY_PASSWORD" in capsys.readouterr().err


def test_it_runs_as_the_administrator_not_as_a_service_role(env, capsys):
    env.setenv("POSTGRES_USER", "casework")
    assert provision.main() == 2
    assert "administrator" in capsys.readouterr().err


def test_with_everything_set_it_provisions_every_role(env, capsys):
    assert provision.main() == 0
    assert "registry, grants, casework, finance, gateway" in capsys.readouterr().out


def test_roles_are_named_as_their_schemas():
    from dataclasses import replace

    from shared.config import load_store_settings

    store = replace(load_store_settings(), schema_prefix="p1_")
    assert provision.role_for(store, "grants") == store.schema_for("grants") == "p1_grants"
