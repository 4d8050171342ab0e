"""The containers' healthcheck (`python -m shared.healthcheck <service>`): 0
when the service answers, 1 with one line when it does not; a service asks
its own health as its own broker user (production has no guest)."""

import subprocess
import sys

from shared.launcher import ROOT
from tests.support.broker_users import service_users
from tests.support.processes import System


def healthcheck(env: dict, service: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.healthcheck", service, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_alive_services_pass_and_a_missing_one_fails_in_one_line(rabbit_vhost, amqp_uri, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path)
    try:
        system.start("registry", "gateway")
        for service in ("registry", "gateway"):  # the gateway is 503 here (grants is down): alive all the same
            done = healthcheck(system.env, service)
            assert done.returncode == 0, done.stderr
            assert f"{service} is alive" in done.stdout
        absent = healthcheck(system.env, "grants", "--timeout", "2")
        assert absent.returncode == 1
        assert absent.stderr.startswith("grants did not answer its health RPC within 2s")
        assert len(absent.stderr.strip().splitlines()) == 1 and "Traceback" not in absent.stderr
        with service_users(rabbit_vhost) as own:
            mine = healthcheck({**system.env, "APP_ENV": "production", "AMQP_URI": own["registry"]}, "registry")
            assert mine.returncode == 0, mine.stderr
            # not another service's: the broker refuses grants' user the routing key registry.health
            theirs = healthcheck({**system.env, "AMQP_URI": own["grants"]}, "registry", "--timeout", "2")
            assert theirs.returncode == 1
    finally:
        system.stop_all()
    stopped = healthcheck(system.env, "gateway", "--timeout", "2")
    assert stopped.returncode == 1 and "did not answer" in stopped.stderr


def test_an_unknown_service_is_a_usage_error():
    done = healthcheck({}, "nosuch")
    assert done.returncode == 2 and "invalid choice" in done.stderr
