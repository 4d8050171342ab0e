import pytest

from tests.support.processes import ALL, System


@pytest.fixture
def system(amqp_uri, pg_store, tmp_path):
    """All five services as processes on PostgreSQL, isolated per test."""
    running = System(amqp_uri, pg_store, tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


@pytest.fixture
def full_system(system):
    system.start(*ALL)
    return system
