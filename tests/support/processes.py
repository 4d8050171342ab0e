"""Runs the real services as `nameko run` processes, as the launcher does, so
tests can stop, restart and SIGKILL them."""

from __future__ import annotations

import ctypes
import itertools
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from nameko.exceptions import RpcTimeout, UnknownService

from shared.config import SERVICES, StoreSettings
from shared.launcher import ROOT, child_env, service_command
from shared.rpc_proxies import ClusterRpcProxy
from tests.support.api import Api
from tests.support.infra import store_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def die_with_the_test_run() -> None:
    """A test run killed by a timeout cannot stop its services: the kernel does
    (PR_SET_PDEATHSIG), so no orphan keeps the shared servers' connections.
    SIGKILL, because a nameko process may wait for ever on a graceful stop."""
    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


class System:
    """A set of service processes sharing one vhost and one store."""

    def __init__(self, amqp_uri: str, store: StoreSettings, log_dir: Path, **extra_env: str):
        self.amqp_uri = amqp_uri
        self.store = store
        self.port = free_port()
        self.env = {
            **child_env(),
            **store_env(store),
            "AMQP_URI": amqp_uri,
            "GATEWAY_HOST": "127.0.0.1",
            "GATEWAY_PORT": str(self.port),
            "RELAY_INTERVAL": "0.5",
            "RPC_TIMEOUT": "10",
            "LOG_LEVEL": "INFO",
            "AUTH_TOKEN_SECRET": secrets.token_urlsafe(48),
            # Every store signs its events, as production requires.
            "EVENT_MAC_KEY": secrets.token_urlsafe(48),
            "CLAIM_KEY": secrets.token_urlsafe(48),
            **extra_env,
        }
        self.log_dir = log_dir
        # Settings for one service only (e.g. its own broker user): name -> env.
        self.service_env: dict[str, dict[str, str]] = {}
        self.procs: dict[str, list[subprocess.Popen]] = {}
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def config(self) -> dict:
        return {"AMQP_URI": self.amqp_uri}

    def start(self, *names: str, wait: bool = True) -> None:
        for name in names:
            index = len(self.procs.get(name, []))
            log = open(self.log_dir / f"{name}-{index}.log", "ab")
            proc = subprocess.Popen(
                service_command(name),
                cwd=ROOT,
                env={**self.env, **self.service_env.get(name, {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_the_test_run,
            )
            self.procs.setdefault(name, []).append(proc)
        if wait:
            for name in names:
                self.wait_ready(name)

    def wait_ready(self, name: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._check_alive(name)
            if name == "gateway":
                try:  # the first answer builds the document: slow on a busy machine
                    self.anonymous.get("/openapi.json", timeout=10)
                    return
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.2)
                    continue
            try:
                with ClusterRpcProxy(self.config, timeout=5) as rpc:
                    getattr(rpc, name).health()
                return
            except UnknownService:
                time.sleep(0.2)
            except RpcTimeout:
                # A restarted service's queue outlives it: the call waited there
                # while the process was still starting.
                continue
        raise TimeoutError(f"{name} did not become ready:\n{self.log_tail(name)}")

    def _check_alive(self, name: str) -> None:
        proc = self.procs[name][-1]
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.log_dir / f"{name}-{len(self.procs.get(name, [1])) - 1}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self, *names: str) -> None:
        procs = [proc for name in names for proc in self.procs.get(name, [])]
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def kill(self, name: str, index: int = -1) -> None:
        proc = self.procs[name][index]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        self.stop(*self.procs)

    def rpc(self, timeout: float = 10) -> ClusterRpcProxy:
        return ClusterRpcProxy(self.config, timeout=timeout)

    @property
    def api(self) -> Api:
        """A bureau administrator's client (the first account, made with the admin CLI)."""
        if getattr(self, "_admin", None) is None:
            create_user_with_cli(self.env, "admin", "bureau_admin", PASSWORD)
            self._admin = self.sign_in("admin", PASSWORD)
        return self._admin

    def sign_in(self, username: str, password: str = None) -> Api:
        response = self.anonymous.post(
            "/auth/token", json={"username": username, "password": password or PASSWORD}, timeout=30
        )
        assert response.status_code == 200, response.text
        return Api(self.url, response.json()["access_token"])

    def login(self, role: str, **scope) -> Api:
        """A client signed in as a new user with this role and scope
        (e.g. organization_id=..., town=..., village=..., panel_member_ids=[...])."""
        username = f"{role.replace('_', '-')}-{next(_user_serial)}"
        created = self.api.post(
            "/users",
            json={"username": username, "display_name": username, "role": role, "scope": scope, "password": PASSWORD},
        )
        assert created.status_code == 201, created.text
        return self.sign_in(username)

    @property
    def anonymous(self) -> Api:
        return Api(self.url)

    def health(self) -> dict:
        return self.anonymous.get("/health", timeout=10).json()


PASSWORD = "test password 一二三四"
_user_serial = itertools.count(1)


def create_user_with_cli(env: dict, username: str, role: str, password: str, *options: str) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.gateway.users",
            "create",
            username,
            "--role",
            role,
            "--password-stdin",
            *options,
        ],
        cwd=ROOT,
        env=env,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"creating {username} failed: {done.stderr[-2000:]}")
    return done.stdout


def wait_until(predicate, seconds: float = 30, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {seconds}s waiting for {message} (last: {last!r})")


ALL = SERVICES + ("gateway",)
