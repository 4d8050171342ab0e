"""Starts the whole system locally: one `nameko run` process per service plus
the gateway, and stops them all on Ctrl-C.

    python -m shared.launcher            # refuses if another run uses the port, data or queues
    python -m shared.launcher --join     # more replicas beside a running one (PostgreSQL store)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kombu.connection import Connection

from shared.config import SERVICES, Settings, load_settings
from shared.launch_checks import consumed_rpc_queues, lock_data_dir, port_in_use
from shared.locks import FileLock

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = SERVICES + ("gateway",)


def rabbitmq_reachable(amqp_uri: str) -> bool:
    try:
        with Connection(amqp_uri, connect_timeout=3) as conn:  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
            conn.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def service_command(service: str) -> list[str]:
    nameko = Path(sys.executable).with_name("nameko")
    return [str(nameko), "run", "--config", str(ROOT / "config.yml"), f"services.{service}.service"]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
    return env


def own_metrics_port(env: dict[str, str], index: int) -> dict[str, str]:
    """With METRICS_PORT=P, the processes of one run serve metrics on P, P+1, ...
    in the order of PROCESSES (registry, grants, casework, finance, gateway)."""
    port = env.get("METRICS_PORT", "").strip()
    if not port.isdigit():
        return env
    return {**env, "METRICS_PORT": str(int(port) + index)}


def wait_until_healthy(url: str, seconds: float) -> bool:
    """True once the gateway reports every service and store healthy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def refusal(settings: Settings, join: bool) -> tuple[str | None, FileLock | None]:
    """Why this run must not start beside another (one sentence), or None and
    the data directory's lock, held until the run ends."""
    host, port = settings.gateway_host, settings.gateway_port
    if port_in_use(host, port):
        return (
            f"Port {port} on {host} is already in use (another `make run`?): stop it, "
            "or set GATEWAY_PORT to a free port, then run this again."
        ), None
    lock = None
    if settings.store.kind == "sqlite":
        lock = lock_data_dir(settings.store.data_dir)
        if lock is None:
            return (
                f"The data directory {settings.store.data_dir} is in use by another run: stop it, "
                "or set DATA_DIR to another directory, then run this again."
            ), None
    if not join:
        consumed = consumed_rpc_queues(settings.amqp_uri, PROCESSES)
        if consumed:
            if lock is not None:
                lock.release()
            vhost = settings.amqp_uri.rsplit("/", 1)[-1] or "/"
            return (
                f"Another copy of the services is already running on RabbitMQ vhost {vhost!r} "
                f"(consuming {', '.join(consumed)}): stop it, use another vhost in AMQP_URI, "
                "or add --join to run these as extra replicas beside it."
            ), None
    return None, lock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.launcher", description=__doc__)
    parser.add_argument(
        "--join",
        action="store_true",
        help="start beside services already consuming this vhost, as extra replicas (needs EVENT_STORE=postgres)",
    )
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.join and settings.store.kind != "postgres":
        print("--join runs replicas on one shared store: set EVENT_STORE=postgres.", file=sys.stderr)
        return 1
    if not rabbitmq_reachable(settings.amqp_uri):
        print(
            f"RabbitMQ is not reachable at {settings.amqp_uri.split('@')[-1]}: start it "
            "(for example `rabbitmq-server -detached`, or `docker compose up -d rabbitmq`) "
            "or set AMQP_URI, then run this again.",
            file=sys.stderr,
        )
        return 1
    refused, data_lock = refusal(settings, args.join)
    if refused:
        print(refused, file=sys.stderr)
        return 1
    env = child_env()
    children = {
        name: subprocess.Popen(service_command(name), cwd=ROOT, env=own_metrics_port(env, index))
        for index, name in enumerate(PROCESSES)
    }
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    url = f"http://{settings.gateway_host}:{settings.gateway_port}"
    if wait_until_healthy(url, 90):
        print(f"\nAll services are up. Gateway: {url}  (health: {url}/health, API: {url}/openapi.json)")
    else:
        print(f"\nNot every service reported healthy yet; see {url}/health. Gateway: {url}")
    where = f" under {settings.store.data_dir}" if settings.store.kind == "sqlite" else ""
    print(f"Store: {settings.store.kind}{where}.")
    print("Sign in with POST /auth/token; the first account: `make admin` (in another terminal).")
    print("Press Ctrl-C to stop.\n", flush=True)
    while not stopping:
        exited = [name for name, proc in children.items() if proc.poll() is not None]
        if exited:
            print(f"{', '.join(exited)} stopped unexpectedly; stopping the rest.", file=sys.stderr)
            break
        time.sleep(0.5)
    for proc in children.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in children.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    if data_lock is not None:
        data_lock.release()
    print("Stopped.")
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
