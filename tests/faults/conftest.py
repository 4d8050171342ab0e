import pytest

from tests.support.processes import System


@pytest.fixture
def make_system(amqp_uri, pg_store, tmp_path, rabbit_vhost):
    """make_system(**env) → services as processes on PostgreSQL, isolated per test."""
    made = []

    def make(**extra_env):
        system = System(amqp_uri, pg_store, tmp_path, **extra_env)
        system.vhost = rabbit_vhost
        system.store = pg_store
        made.append(system)
        return system

    yield make
    for system in made:
        system.stop_all()
