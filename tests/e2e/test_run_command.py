"""The README's run command: the whole system on the embedded store, a clear
sentence when RabbitMQ is missing, a clean stop on Ctrl-C. A second run beside
a running one (same port, same data directory or same vhost) is refused with
one sentence before it starts anything."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time

from shared.launcher import ROOT
from tests.support.api import Api
from tests.support.children import new_child
from tests.support.processes import PASSWORD, create_user_with_cli, free_port, wait_until


def launcher_env(env_overrides, tmp_path) -> dict:
    return {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "EVENT_STORE": "sqlite",
        "AUTH_TOKEN_SECRET": secrets.token_urlsafe(48),
        **env_overrides,
    }


def launcher(env_overrides, tmp_path, env=None):
    return subprocess.Popen(
        [sys.executable, "-m", "shared.launcher"],
        cwd=ROOT,
        env=env or launcher_env(env_overrides, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_unreachable_rabbitmq_is_one_clear_sentence(tmp_path):
    started = time.monotonic()
    proc = launcher({"AMQP_URI": f"amqp://guest:guest@127.0.0.1:{free_port()}/"}, tmp_path)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert time.monotonic() - started < 15
    assert "RabbitMQ is not reachable" in err and "start it" in err
    assert "Traceback" not in err + out


def refused(env, *args) -> str:
    """Runs a second launcher that must refuse at once: its one-sentence reason."""
    proc = subprocess.run(
        [sys.executable, "-m", "shared.launcher", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "All services are up" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    return proc.stderr


def test_a_port_taken_by_a_reuseport_listener_is_one_clear_sentence(amqp_uri, tmp_path):
    """nameko's listener sets SO_REUSEPORT; another such listener could share
    its port, the launcher's check does not."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        err = refused(launcher_env({"AMQP_URI": amqp_uri, "GATEWAY_PORT": str(port)}, tmp_path))
    assert f"Port {port} on 127.0.0.1 is already in use" in err
    assert not (tmp_path / "data").exists()  # nothing was started


def test_join_needs_the_shared_postgresql_store(amqp_uri, tmp_path):
    err = refused(launcher_env({"AMQP_URI": amqp_uri, "GATEWAY_PORT": str(free_port())}, tmp_path), "--join")
    assert "EVENT_STORE=postgres" in err


def test_run_command_serves_the_slice_on_sqlite_and_stops_on_ctrl_c(amqp_uri, tmp_path):
    port = free_port()
    env = launcher_env({"AMQP_URI": amqp_uri, "GATEWAY_PORT": str(port), "RELAY_INTERVAL": "0.5"}, tmp_path)
    proc = launcher({}, tmp_path, env=env)
    try:
        url_line = ""
        deadline = time.monotonic() + 90
        while "Gateway:" not in url_line and time.monotonic() < deadline:
            url_line = proc.stdout.readline()
            assert url_line or proc.poll() is None, proc.stderr.read()
        assert f"http://127.0.0.1:{port}" in url_line
        base = f"http://127.0.0.1:{port}"
        anonymous = Api(base)
        # The first administrator, made with the admin CLI on the launcher's store, signs in.
        create_user_with_cli(env, "admin", "bureau_admin", PASSWORD)
        assert anonymous.post("/children", json=new_child(), timeout=10).status_code == 401
        token = anonymous.post("/auth/token", json={"username": "admin", "password": PASSWORD})
        assert token.status_code == 200, token.text
        api = Api(base, token.json()["access_token"])
        created = api.post("/children", json=new_child(), timeout=10)
        assert created.status_code == 201, created.text
        child_id = created.json()["child_id"]
        wait_until(
            lambda: api.get(f"/casework/children/{child_id}", timeout=10).status_code == 200,
            message="child reaches casework",
        )
        assert (tmp_path / "data" / "registry.sqlite3").exists()
        assert anonymous.get("/health", timeout=10).json()["services"]["registry"]["store"]["kind"] == "sqlite"

        # A second run beside this one starts nothing and says why.
        assert "is already in use" in refused(env)  # the same port
        other_port = {**env, "GATEWAY_PORT": str(free_port())}
        assert "data directory" in refused(other_port) and str(tmp_path / "data") in refused(other_port)
        other_data = {**other_port, "DATA_DIR": str(tmp_path / "other-data")}
        err = refused(other_data)  # the same vhost
        assert "Another copy of the services is already running" in err and "rpc-registry" in err
        assert "--join" in err
        assert api.get(f"/casework/children/{child_id}", timeout=10).status_code == 200  # the first run goes on
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "Stopped." in out
