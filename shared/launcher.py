"""Starts the whole system locally: one `nameko run` process per service plus
the gateway, and stops them all on Ctrl-C.

    python -m shared.launcher
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kombu.connection import Connection

from shared.config import SERVICES, load_settings

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


def main() -> int:
    settings = load_settings()
    if not rabbitmq_reachable(settings.amqp_uri):
        print(
            f"RabbitMQ is not reachable at {settings.amqp_uri.split('@')[-1]}: start it "
            "(for example `rabbitmq-server -detached`, or `docker compose up -d rabbitmq`) "
            "or set AMQP_URI, then run this again.",
            file=sys.stderr,
        )
        return 1
    env = child_env()
    children = {name: subprocess.Popen(service_command(name), cwd=ROOT, env=env) for name in PROCESSES}
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
    print("Stopped.")
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
