"""What signing in and the per-request guard cost, each against a bare baseline.

    .venv/bin/python bench/auth.py [--quick] [--signins N] [--reads N]

What is measured, in one run, at 1 and 8 concurrent clients:

* sign-in: POST /auth/token with the right password, signed-in (HTTP 200) per
  second of wall-clock time, and p50/p99 latency. In the gateway that is: count
  the attempt (one LoginAttempts event saved), argon2id verify of the stored hash
  (argon2-cffi defaults, run in eventlet's thread pool, at most two hashes at
  once across the gateway: services/gateway/passwords.py), record the success
  (a second LoginAttempts event), issue an HS256 token. Each client thread signs
  in as its own auditor account, fresh for each level, so the lock-out never
  comes into play and no two clients contend for one LoginAttempts aggregate.
* bare verify/s, its baseline: `argon2.PasswordHasher().verify(hash, password)`
  with the same number of threads in this process, on the very hashes the
  gateway stores for those accounts (no cap on concurrent hashes here).
* guarded read: GET /auth/me with a bearer token from the sign-in level, reads
  (HTTP 200) per second and p50/p99. In the gateway: JWT check, account read
  from the gateway's store, role policy, the handler (which reads the account
  again by name), JSON, masking for the auditor role.
* bare guard/s, its baseline: `services.gateway.web.tokens.decode(secret, token)`
  plus `GatewayApplication.repository.get(user_id)` with the same number of
  threads, straight from this process into the gateway's own PostgreSQL schema
  (opened with shared.eventstore.open_application and the bench's store
  settings). The services get a known AUTH_TOKEN_SECRET so this is possible.

The ratio is gateway rate / bare rate: the share of the bare operation's
throughput the whole HTTP path keeps. Every figure is measured in this run.

Isolation, start-up, clean-up and the machine facts come from
bench/throughput.py (its own RabbitMQ vhost and PostgreSQL schema prefix, all
five services as `nameko run` processes with EVENT_STORE=postgres). A bureau
administrator is made with the admin CLI; the auditor accounts are opened with
POST /users under the administrator's token. Unlike throughput.py, this process
imports eventlet (the gateway application's password module does, for its
thread pool and semaphore) but never patches anything and never calls it.

Figures come from a single run on a machine shared by the client, the
services, PostgreSQL and RabbitMQ: read them as indications.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any
from uuid import UUID

import requests  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from argon2.exceptions import VerificationError  # noqa: E402

# bench/ is on sys.path when this runs as a script; importing throughput also
# sets PSYCOPG_WAIT_FUNC before psycopg loads and puts the repository on sys.path.
from throughput import (
    Outcome,
    log,
    machine_facts,
    opened,
    percentile,
    postgres_schemas,
    rabbit_vhost,
    requests_for,
    rounded,
    run_and_report,
    run_concurrently,
    running_services,
    table,
)

with warnings.catch_warnings():  # eventlet announces its deprecation on import
    warnings.simplefilter("ignore")
    from services.gateway import passwords  # noqa: E402
    from services.gateway.application import GatewayApplication  # noqa: E402
    from services.gateway.domain import LoginAttempts  # noqa: E402
    from services.gateway.web import tokens  # noqa: E402

LEVELS = (1, 8)
DEFAULT_SIGNINS, DEFAULT_READS = 160, 2000  # per level with several clients; 1 client does 3/8
QUICK_SIGNINS, QUICK_READS = 40, 400
WARM_UP_CLIENTS, WARM_UP_SIGNINS, WARM_UP_READS = 2, 4, 40
ROLE = "auditor"
# The gateway's cap on concurrent hashes, read from its semaphore rather than restated.
HASHES_AT_ONCE = getattr(passwords._hashing, "counter", None)


# --------------------------------------------------------------------------- accounts and clients


@dataclass
class Account:
    username: str
    password: str
    user_id: str
    password_hash: str
    token: str | None = None


class Clients:
    """One account and one requests.Session per client thread, for one level.
    Each phase (`run`) has its own threads; each thread takes the next unused
    account the first time it asks, so no two threads share an account."""

    def __init__(self, url: str, timeout: float, accounts: Sequence[Account]):
        self.url = url
        self.timeout = timeout
        self.accounts = list(accounts)
        self.sessions = [requests.Session() for _ in self.accounts]
        self._lock = threading.Lock()
        self._local = threading.local()
        self._taken = 0

    def run(self, task: Callable[[int], Outcome], count: int) -> tuple[list[Outcome], float]:
        """`count` calls of task on as many threads as there are accounts."""
        self._local, self._taken = threading.local(), 0
        return run_concurrently(task, range(count), len(self.accounts))

    def mine(self) -> tuple[Account, requests.Session]:
        local = self._local
        if getattr(local, "index", None) is None:
            with self._lock:
                local.index, self._taken = self._taken, self._taken + 1
        return self.accounts[local.index], self.sessions[local.index]

    def sign_in(self, _: int) -> Outcome:
        account, session = self.mine()
        started = time.perf_counter()
        try:
            answer = session.post(
                f"{self.url}/auth/token",
                timeout=self.timeout,
                json={"username": account.username, "password": account.password},
            )
        except requests.RequestException as error:
            return Outcome(False, time.perf_counter() - started, error=type(error).__name__)
        seconds = time.perf_counter() - started
        if answer.status_code != 200:
            return Outcome(False, seconds, error=f"HTTP {answer.status_code}")
        account.token = answer.json()["access_token"]
        return Outcome(True, seconds)

    def read_me(self, _: int) -> Outcome:
        account, session = self.mine()
        started = time.perf_counter()
        try:
            answer = session.get(
                f"{self.url}/auth/me", timeout=self.timeout, headers={"Authorization": f"Bearer {account.token}"}
            )
        except requests.RequestException as error:
            return Outcome(False, time.perf_counter() - started, error=type(error).__name__)
        seconds = time.perf_counter() - started
        if answer.status_code != 200 or answer.json().get("username") != account.username:
            return Outcome(False, seconds, error=f"HTTP {answer.status_code}")
        return Outcome(True, seconds)

    def bare_verify(self, hasher: PasswordHasher) -> Callable[[int], Outcome]:
        def verify(_: int) -> Outcome:
            account, _session = self.mine()
            started = time.perf_counter()
            try:
                hasher.verify(account.password_hash, account.password)
            except VerificationError as error:
                return Outcome(False, time.perf_counter() - started, error=type(error).__name__)
            return Outcome(True, time.perf_counter() - started)

        return verify

    def bare_guard(self, secret: str, gateway: GatewayApplication) -> Callable[[int], Outcome]:
        def guard(_: int) -> Outcome:
            account, _session = self.mine()
            started = time.perf_counter()
            claims = tokens.decode(secret, account.token)
            user = gateway.repository.get(UUID(claims.user_id))
            seconds = time.perf_counter() - started
            ok = str(user.id) == account.user_id
            return Outcome(ok, seconds, error=None if ok else "another account")

        return guard

    def close(self) -> None:
        for session in self.sessions:
            session.close()


class Admin:
    """Opens auditor accounts with POST /users under the bench administrator's token."""

    def __init__(self, url: str, token: str, gateway: GatewayApplication):
        self.url = url
        self.token = token
        self.gateway = gateway

    def open_accounts(self, prefix: str, count: int) -> list[Account]:
        accounts = []
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {self.token}"
            for i in range(count):
                username, password = f"{prefix}-{i}", secrets.token_urlsafe(24)
                answer = session.post(
                    f"{self.url}/users",
                    timeout=60,
                    json={"username": username, "display_name": username, "role": ROLE, "password": password},
                )
                if answer.status_code != 201:
                    raise RuntimeError(f"POST /users {username}: HTTP {answer.status_code} {answer.text[:300]}")
                user_id = answer.json()["user_id"]
                stored = self.gateway.repository.get(UUID(user_id)).password_hash
                accounts.append(Account(username, password, user_id, stored))
        return accounts


# --------------------------------------------------------------------------- figures


def rate(outcomes: Sequence[Outcome], seconds: float) -> float:
    return sum(o.ok for o in outcomes) / seconds


def figures(
    outcomes: Sequence[Outcome],
    seconds: float,
    bare: Sequence[Outcome],
    bare_seconds: float,
) -> dict[str, Any]:
    ok_ms = [o.seconds * 1000 for o in outcomes if o.ok]
    bare_ms = [o.seconds * 1000 for o in bare if o.ok]
    gateway_rate, bare_rate = rate(outcomes, seconds), rate(bare, bare_seconds)
    return {
        "requests": len(outcomes),
        "ok": len(ok_ms),
        "errors": dict(Counter(o.error for o in outcomes if not o.ok)),
        "seconds": round(seconds, 3),
        "per_s": round(gateway_rate, 1),
        "p50_ms": rounded(percentile(ok_ms, 50)),
        "p99_ms": rounded(percentile(ok_ms, 99)),
        "bare_calls": len(bare),
        "bare_errors": dict(Counter(o.error for o in bare if not o.ok)),
        "bare_seconds": round(bare_seconds, 3),
        "bare_per_s": round(bare_rate, 1),
        "bare_p50_ms": rounded(percentile(bare_ms, 50), 2),
        "bare_p99_ms": rounded(percentile(bare_ms, 99), 2),
        "ratio": round(gateway_rate / bare_rate, 3) if bare_rate else None,
    }


# --------------------------------------------------------------------------- the run


@dataclass
class Bench:
    url: str
    admin: Admin
    gateway: GatewayApplication
    secret: str
    args: argparse.Namespace

    def clients(self, name: str, count: int, stack: ExitStack) -> Clients:
        clients = Clients(self.url, self.args.timeout, self.admin.open_accounts(name, count))
        stack.callback(clients.close)
        return clients

    def warm_up(self) -> None:
        with ExitStack() as stack:
            clients = self.clients("bench-warm", WARM_UP_CLIENTS, stack)
            for task, count in (
                (clients.bare_verify(PasswordHasher()), WARM_UP_SIGNINS),
                (clients.sign_in, WARM_UP_SIGNINS),
                (clients.bare_guard(self.secret, self.gateway), WARM_UP_READS),
                (clients.read_me, WARM_UP_READS),
            ):
                outcomes, _ = clients.run(task, count)
                failed = Counter(o.error for o in outcomes if not o.ok)
                if failed:
                    raise RuntimeError(f"warm-up failed: {dict(failed)}")

    def level(self, clients_count: int) -> dict[str, Any]:
        with ExitStack() as stack:
            clients = self.clients(f"bench-{clients_count}c", clients_count, stack)
            signins = requests_for(clients_count, self.args.signins)
            reads = requests_for(clients_count, self.args.reads)
            tag = f"[{clients_count} client{'s' if clients_count > 1 else ''}]"

            log(f"{tag} bare argon2 verify x{signins} ...")
            bare_verifies, bare_verify_s = clients.run(clients.bare_verify(PasswordHasher()), signins)
            log(f"{tag} POST /auth/token x{signins} ...")
            signed_in, signin_s = clients.run(clients.sign_in, signins)
            if any(a.token is None for a in clients.accounts):
                raise RuntimeError(f"{tag} not every account signed in: {Counter(o.error for o in signed_in)}")
            log(f"{tag} bare token decode + repository.get x{reads} ...")
            bare_guards, bare_guard_s = clients.run(clients.bare_guard(self.secret, self.gateway), reads)
            log(f"{tag} GET /auth/me x{reads} ...")
            read, read_s = clients.run(clients.read_me, reads)

            attempts = [
                self.gateway.repository.get(LoginAttempts.create_id(a.username)).version for a in clients.accounts
            ]
            return {
                "clients": clients_count,
                "signin": {
                    **figures(signed_in, signin_s, bare_verifies, bare_verify_s),
                    "login_attempts_events_per_account": max(attempts),
                },
                "read": figures(read, read_s, bare_guards, bare_guard_s),
            }


def run(args: argparse.Namespace, stack: ExitStack) -> dict[str, Any]:
    vhost = stack.enter_context(rabbit_vhost())
    store = stack.enter_context(postgres_schemas())
    log(f"vhost {vhost}, schema prefix {store.schema_prefix}; starting the services ...")
    services = stack.enter_context(running_services(f"amqp://guest:guest@127.0.0.1:5672/{vhost}", store))
    log("services healthy; creating the bench administrator with the admin CLI and signing in ...")
    admin_token = services.sign_in_admin()
    gateway = stack.enter_context(opened(GatewayApplication, store))
    bench = Bench(
        services.url, Admin(services.url, admin_token, gateway), gateway, services.env["AUTH_TOKEN_SECRET"], args
    )
    log("warming up ...")
    bench.warm_up()
    levels = []
    for clients in args.levels:
        levels.append(bench.level(clients))
        services.check_alive()
    facts = machine_facts(store, services.env)
    hasher = PasswordHasher()
    facts["argon2"] = {
        "argon2_cffi": version("argon2-cffi"),
        "type": hasher.type.name.lower(),
        "time_cost": hasher.time_cost,
        "memory_cost_kib": hasher.memory_cost,
        "parallelism": hasher.parallelism,
        "gateway_hashes_at_once": HASHES_AT_ONCE,
    }
    facts["pyjwt"] = version("PyJWT")
    return {"facts": facts, "vhost": vhost, "schema_prefix": store.schema_prefix, "quick": args.quick, "levels": levels}


# --------------------------------------------------------------------------- report


def rows(levels: Sequence[dict[str, Any]], part: str) -> list[list[Any]]:
    return [
        [
            lv["clients"],
            lv[part]["requests"],
            lv[part]["ok"],
            sum(lv[part]["errors"].values()),
            lv[part]["per_s"],
            lv[part]["bare_per_s"],
            lv[part]["ratio"],
            lv[part]["p50_ms"],
            lv[part]["p99_ms"],
            lv[part]["bare_p50_ms"],
        ]
        for lv in levels
    ]


def report(result: dict[str, Any]) -> None:
    facts, levels, a2 = result["facts"], result["levels"], result["facts"]["argon2"]
    settings = ", ".join(f"{k}={v}" for k, v in facts["service_settings"].items())
    print(
        f"Machine: nproc={facts['nproc']} ({facts['cpu']}); Python {facts['python']}, "
        f"PostgreSQL {facts['postgres']}, RabbitMQ {facts['rabbitmq']}"
    )
    print(f"Services: 5 processes on this machine, EVENT_STORE=postgres, {settings}")
    print(
        f"Hashing: argon2-cffi {a2['argon2_cffi']} defaults ({a2['type']}, {a2['memory_cost_kib'] // 1024} MiB, "
        f"{a2['time_cost']} passes, {a2['parallelism']} lanes); the gateway runs at most "
        f"{a2['gateway_hashes_at_once']} hashes at once, this process's baseline has no such cap"
    )
    print(
        "Figures are from ONE run (no repetitions, no averaging)"
        f"{' of --quick' if result['quick'] else ''}; client, services, "
        "PostgreSQL and RabbitMQ share the CPUs.\n"
    )
    print(
        "Sign-in: POST /auth/token, right password, one fresh auditor account per client thread -> "
        "LoginAttempts save, argon2 verify, LoginAttempts save, HS256 token;\n"
        "baseline: bare PasswordHasher().verify(stored hash, password), same threads, in this process"
    )
    print(
        table(
            [
                "clients",
                "requests",
                "ok",
                "errors",
                "signed-in/s",
                "bare verify/s",
                "ratio",
                "p50 ms",
                "p99 ms",
                "bare p50 ms",
            ],
            rows(levels, "signin"),
        )
    )
    print(
        "LoginAttempts events per account after each level (read twice per sign-in, from a snapshot every 50 events): "
        + ", ".join(f"{lv['clients']} client(s): {lv['signin']['login_attempts_events_per_account']}" for lv in levels)
    )
    print(
        "\nGuarded read: GET /auth/me, bearer token -> JWT check, account read, role policy, handler "
        "(reads the account again), JSON, auditor masking;\n"
        "baseline: bare tokens.decode + GatewayApplication.repository.get(user_id), same threads, "
        "same PostgreSQL store, in this process"
    )
    print(
        table(
            [
                "clients",
                "requests",
                "ok",
                "errors",
                "reads/s",
                "bare guard/s",
                "ratio",
                "p50 ms",
                "p99 ms",
                "bare p50 ms",
            ],
            rows(levels, "read"),
        )
    )
    errors = {
        f"{lv['clients']}:{part}": {**lv[part]["errors"], **lv[part]["bare_errors"]}
        for lv in levels
        for part in ("signin", "read")
        if lv[part]["errors"] or lv[part]["bare_errors"]
    }
    if errors:
        print(f"\nErrors by level: {errors}")
    print()
    print(json.dumps({"bench": "auth", "single_run": True, **result}, ensure_ascii=False))


# --------------------------------------------------------------------------- entry point


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a short run: --signins {QUICK_SIGNINS} --reads {QUICK_READS} unless given",
    )
    parser.add_argument(
        "--signins",
        type=int,
        default=None,
        help=f"sign-ins per level with several clients; 1 client does 3/8 (default {DEFAULT_SIGNINS})",
    )
    parser.add_argument(
        "--reads",
        type=int,
        default=None,
        help=f"guarded reads per level with several clients; 1 client does 3/8 (default {DEFAULT_READS})",
    )
    parser.add_argument(
        "--levels",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        default=LEVELS,
        help="concurrent clients per level (default 1,8)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request (default %(default)s)")
    args = parser.parse_args(argv)
    if args.signins is None:
        args.signins = QUICK_SIGNINS if args.quick else DEFAULT_SIGNINS
    if args.reads is None:
        args.reads = QUICK_READS if args.quick else DEFAULT_READS
    if args.signins < 1 or args.reads < 1 or not args.levels or min(args.levels) < 1:
        parser.error("--signins, --reads and every level must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return run_and_report(parse_args(argv), run, report)


if __name__ == "__main__":
    sys.exit(main())
