"""Throughput of the command path, and how long the casework projection lags it.

    .venv/bin/python bench/throughput.py [--requests N] [--quick]   (or: make bench)

What is measured, in one run, at 1, 8 and 32 concurrent clients:

* gateway cmd/s: completed commands (HTTP 201) per second of wall-clock time for
  POST /children → gateway → RPC → registry → PostgreSQL (one Child and one
  IdNumberClaim saved in one transaction, after a uniqueness read). Clients are
  plain threads, one requests.Session each, every request with a timeout, all
  signed in as one bureau administrator: each request carries its bearer token,
  which the gateway checks (signature, account, role policy) as for any caller.
* bare save/s, the baseline: `Application.save` of a one-event aggregate, with
  as many threads as clients, straight from this process into the same database
  through the same eventsourcing configuration the services use (a
  ServiceApplication subclass in its own throwaway schema). The ratio
  gateway cmd/s ÷ bare save/s is the share of raw store throughput the whole
  command path keeps.
* projection delay: for every child registered at that level, the casework
  RosterChild.Enrolled timestamp minus the registry Child.Registered timestamp
  (both event timestamps, read back through the two applications from the
  services' own event tables once casework has caught up). It covers the
  registry commit, the relay, RabbitMQ and casework's consumer up to the point
  it creates the roster event (casework's own commit is not included).
* service CPU ms per command: for each of the five service processes, the CPU
  time the OS charged it (utime + stime from /proc/<pid>/stat) from the first
  command of a level until casework has enrolled the level's children, divided
  by the commands completed. Unlike throughput it barely moves when other
  programs share the machine, so it is the figure to compare between runs.
* GET /children/{id}: the same clients read back children registered earlier,
  against a bare `repository.get` of a registry Child in this process (the
  store's own read baseline). CPU ms per read are taken the same way.
* reads during the burst: one more client lists casework's children
  (GET /casework/children?limit=50) every 0.2 s from the first command of a
  level until casework has enrolled them all: latency and errors (a 504 means
  the read waited behind casework's consumption). Its CPU is in the command figures.

Isolation: its own RabbitMQ vhost (management API) and PostgreSQL schema prefix;
all five services run as `nameko run` processes with EVENT_STORE=postgres, as the
test harness does, with their default settings otherwise (except a random
AUTH_TOKEN_SECRET and a token lifetime longer than any run). The administrator
is created with the admin CLI (`python -m services.gateway.users create`) on the
bench's own store once the services are healthy, then signs in via POST
/auth/token. The vhost, schemas and processes are removed at the end, also on
error, Ctrl-C or SIGTERM. Service logs are kept (and their directory printed)
only if the run fails.

The bench process never imports eventlet or nameko; readiness is taken from the
gateway's /health. Figures come from a single run on a machine shared by the
client, the services, PostgreSQL and RabbitMQ: read them as indications.
"""

from __future__ import annotations

import os

# psycopg chooses its wait function when first imported; match the services.
os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from contextlib import ExitStack, contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any
from uuid import UUID  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from eventsourcing.application import AggregateNotFoundError  # noqa: E402
from eventsourcing.domain import Aggregate, event  # noqa: E402

from services.casework.application import CaseworkApplication  # noqa: E402
from services.registry.application import RegistryApplication  # noqa: E402
from services.registry.domain.id_number import check_character  # noqa: E402
from shared import pg  # noqa: E402
from shared.config import SERVICES, StoreSettings  # noqa: E402
from shared.eventstore import ServiceApplication, open_application  # noqa: E402
from shared.launcher import child_env, service_command  # noqa: E402
from tests.support.infra import (  # noqa: E402 - plain helpers; no eventlet, no patching
    RABBIT_API,
    RABBIT_AUTH,
    drop_schemas,
    postgres_store,
    store_env,
    unique,
)

PROCESSES = SERVICES + ("gateway",)
BASELINE = "baseline"
LEVELS = (1, 8, 32)
DEFAULT_REQUESTS = 800
WARM_UP = 20
FIRST_DOB = date(2015, 1, 1)
REGION = "640502"
BENCH_ADMIN = "bench-admin"
TOKEN_TTL_SECONDS = 24 * 3600  # a token outlives any run: no re-sign-in mid-level


# --------------------------------------------------------------------------- isolation


@contextmanager
def rabbit_vhost() -> Iterator[str]:
    """A fresh vhost with full rights for guest; deleted on exit."""
    name = unique("bench-")
    try:
        requests.put(f"{RABBIT_API}/vhosts/{name}", auth=RABBIT_AUTH, timeout=10).raise_for_status()
    except requests.ConnectionError:
        raise SystemExit(
            f"RabbitMQ's management API is not reachable at {RABBIT_API}: run scripts/ensure_servers.sh "
            "(it enables the rabbitmq_management plugin), or use `make bench`, which does."
        ) from None
    try:
        requests.put(
            f"{RABBIT_API}/permissions/{name}/guest",
            json={"configure": ".*", "write": ".*", "read": ".*"},
            auth=RABBIT_AUTH,
            timeout=10,
        ).raise_for_status()
        yield name
    finally:
        requests.delete(f"{RABBIT_API}/vhosts/{name}", auth=RABBIT_AUTH, timeout=10)


@contextmanager
def postgres_schemas() -> Iterator[StoreSettings]:
    """A fresh schema prefix; every schema under it is dropped on exit."""
    store = postgres_store(unique("bench_") + "_")
    try:
        yield store
    finally:
        drop_schemas(store, PROCESSES + (BASELINE,))


@contextmanager
def opened(app_class: type, store: StoreSettings) -> Iterator[Any]:
    app = open_application(app_class, store)
    try:
        yield app
    finally:
        app.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Services:
    """The five service processes on one vhost and one store."""

    def __init__(self, amqp_uri: str, store: StoreSettings, log_dir: Path):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log_dir = log_dir
        self.env = {
            **child_env(),
            **store_env(store),
            "AMQP_URI": amqp_uri,
            "GATEWAY_HOST": "127.0.0.1",
            "GATEWAY_PORT": str(port),
            "AUTH_TOKEN_SECRET": secrets.token_urlsafe(48),
            "AUTH_TOKEN_TTL_SECONDS": str(TOKEN_TTL_SECONDS),
            # The services' own default pool, not the tests' one connection.
            "POSTGRES_POOL_SIZE": "4",
        }
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        for name in PROCESSES:
            with open(self.log_dir / f"{name}.log", "ab") as log:
                # Own session: a terminal Ctrl-C reaches only the bench, which stops them in order.
                self.procs[name] = subprocess.Popen(
                    service_command(name),
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

    def wait_healthy(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        last = "no answer"
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                answer = requests.get(f"{self.url}/health", timeout=5)
                if answer.status_code == 200 and answer.json().get("status") == "ok":
                    return
                last = answer.text[:300]
            except requests.RequestException as error:
                last = type(error).__name__
            time.sleep(0.3)
        raise TimeoutError(f"services not healthy after {seconds:g} s (last: {last}); logs in {self.log_dir}")

    def sign_in_admin(self) -> str:
        """Creates a bureau administrator with the admin CLI on the services' own
        store (same environment), signs in and returns the bearer token."""
        password = secrets.token_urlsafe(24)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "services.gateway.users",
                "create",
                BENCH_ADMIN,
                "--role",
                "bureau_admin",
                "--password-stdin",
            ],
            cwd=ROOT,
            env=self.env,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"creating {BENCH_ADMIN} failed: {done.stderr[-2000:]}")
        answer = requests.post(
            f"{self.url}/auth/token", json={"username": BENCH_ADMIN, "password": password}, timeout=30
        )
        if answer.status_code != 200:
            raise RuntimeError(f"signing in as {BENCH_ADMIN} failed: HTTP {answer.status_code} {answer.text[:300]}")
        return answer.json()["access_token"]

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def running_services(amqp_uri: str, store: StoreSettings) -> Iterator[Services]:
    """Started and healthy services; stopped on exit. Logs are removed unless the run failed."""
    log_dir = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    services = Services(amqp_uri, store, log_dir)
    failed = True
    try:
        services.start()
        services.wait_healthy()
        yield services
        failed = False
    finally:
        services.stop()
        if failed:
            print(f"service logs kept in {log_dir}", file=sys.stderr)
        else:
            shutil.rmtree(log_dir, ignore_errors=True)


# --------------------------------------------------------------------------- CPU per process

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process, in seconds (fields 14 and 15 of /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds the service processes spend between start() and per_unit()."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids
        self.started: dict[str, float] = {}

    def start(self) -> None:
        self.started = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def per_unit(self, units: int) -> dict[str, float | None]:
        """Milliseconds per unit for each process, and their total."""
        spent = {name: cpu_seconds(pid) - self.started[name] for name, pid in self.pids.items()}
        if units <= 0:
            return {**{name: None for name in spent}, "total": None}
        per = {name: round(seconds * 1000 / units, 2) for name, seconds in spent.items()}
        return {**per, "total": round(sum(spent.values()) * 1000 / units, 2)}


# --------------------------------------------------------------------------- workload


def child_payload(n: int) -> dict[str, Any]:
    """The n-th child: a unique, valid resident ID number agreeing with DOB and gender."""
    date_of_birth = FIRST_DOB + timedelta(days=n // 1000)
    sequence = f"{n % 1000:03d}"
    first17 = f"{REGION}{date_of_birth:%Y%m%d}{sequence}"
    return {
        "name": f"测试儿童{n:06d}",
        "gender": "male" if int(sequence[-1]) % 2 else "female",
        "date_of_birth": date_of_birth.isoformat(),
        "id_number": first17 + check_character(first17),
        "town": "滨河镇",
        "village": "新北村",
        "categories": ["left_behind"],
        "household": {
            "father": {"status": "migrant", "whereabouts": "银川市"},
            "mother": {"status": "migrant", "whereabouts": "杭州市"},
            "economic_status": "ordinary",
        },
    }


class Probe(Aggregate):
    """The baseline's aggregate: created with exactly one event."""

    @event("Created")
    def __init__(self, n: int):
        self.n = n


class BaselineApplication(ServiceApplication):
    """Same recorder, transcoder and pool settings as the services' applications."""

    name = BASELINE


@dataclass(frozen=True)
class Outcome:
    ok: bool
    seconds: float
    child_id: str | None = None
    error: str | None = None


def run_concurrently(task: Callable[[Any], Outcome], items: Sequence[Any], clients: int) -> tuple[list[Outcome], float]:
    """Runs task over items on `clients` threads; returns the outcomes and the wall time."""
    executor = ThreadPoolExecutor(max_workers=clients, thread_name_prefix="client")
    started = time.perf_counter()
    try:
        outcomes = list(executor.map(task, items))
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    elapsed = time.perf_counter() - started
    executor.shutdown(wait=True)
    return outcomes, elapsed


class GatewayClient:
    """POST /children with one requests.Session per thread, each sending the bearer token."""

    def __init__(self, url: str, timeout: float, token: str):
        self.url = f"{url}/children"
        self.timeout = timeout
        self.token = token
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["Authorization"] = f"Bearer {self.token}"
            with self._lock:
                self._sessions.append(session)
        return session

    def register(self, payload: dict[str, Any]) -> Outcome:
        started = time.perf_counter()
        try:
            answer = self._session().post(self.url, json=payload, timeout=self.timeout)
        except requests.RequestException as error:
            return Outcome(False, time.perf_counter() - started, error=type(error).__name__)
        seconds = time.perf_counter() - started
        if answer.status_code != 201:
            return Outcome(False, seconds, error=f"HTTP {answer.status_code}")
        return Outcome(True, seconds, child_id=answer.json()["child_id"])

    def read(self, child_id: str) -> Outcome:
        started = time.perf_counter()
        try:
            answer = self._session().get(f"{self.url}/{child_id}", timeout=self.timeout)
        except requests.RequestException as error:
            return Outcome(False, time.perf_counter() - started, error=type(error).__name__)
        seconds = time.perf_counter() - started
        if answer.status_code != 200:
            return Outcome(False, seconds, error=f"HTTP {answer.status_code}")
        return Outcome(True, seconds, child_id=child_id)

    def list_casework(self) -> Outcome:
        """GET /casework/children (first page): the read that stalled behind consumption."""
        started = time.perf_counter()
        try:
            answer = self._session().get(self.casework_url, params={"limit": 50}, timeout=self.timeout)
        except requests.RequestException as error:
            return Outcome(False, time.perf_counter() - started, error=type(error).__name__)
        seconds = time.perf_counter() - started
        if answer.status_code != 200:
            return Outcome(False, seconds, error=f"HTTP {answer.status_code}")
        return Outcome(True, seconds)

    @property
    def casework_url(self) -> str:
        return self.url.rsplit("/", 1)[0] + "/casework/children"

    def close(self) -> None:
        for session in self._sessions:
            session.close()


def bare_save(app: BaselineApplication) -> Callable[[int], Outcome]:
    def save(n: int) -> Outcome:
        started = time.perf_counter()
        app.save(Probe(n))
        return Outcome(True, time.perf_counter() - started)

    return save


def bare_get(app: RegistryApplication) -> Callable[[str], Outcome]:
    def get(child_id: str) -> Outcome:
        started = time.perf_counter()
        app.repository.get(UUID(child_id))
        return Outcome(True, time.perf_counter() - started)

    return get


class ReadProbe:
    """One client that lists casework's children over and over (one every
    PROBE_PAUSE s) from the first command of a level until casework has
    enrolled them all: does a read answer while casework consumes a burst?"""

    def __init__(self, client: GatewayClient):
        self.client = client
        self.outcomes: list[Outcome] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="read-probe", daemon=True)

    def __enter__(self) -> ReadProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.outcomes.append(self.client.list_casework())
            self._stop.wait(PROBE_PAUSE)


PROBE_PAUSE = 0.2


# --------------------------------------------------------------------------- projection delay


def wait_for_enrolment(casework: CaseworkApplication, child_ids: Sequence[str], seconds: float) -> dict[str, Any]:
    """Each child's RosterChild.Enrolled timestamp, once casework has it (or the deadline passes)."""
    pending, enrolled = list(child_ids), {}
    deadline = time.monotonic() + seconds
    while pending and time.monotonic() < deadline:
        still = []
        for child_id in pending:
            try:
                enrolled[child_id] = casework.repository.get(UUID(child_id)).created_on
            except AggregateNotFoundError:
                still.append(child_id)
        pending = still
        if pending:
            time.sleep(0.25)
    return enrolled


def projection_delays_ms(registry: RegistryApplication, enrolled: dict[str, Any]) -> list[float]:
    return [
        (enrolled_at - registry.repository.get(UUID(child_id)).created_on).total_seconds() * 1000
        for child_id, enrolled_at in enrolled.items()
    ]


# --------------------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def requests_for(clients: int, requests_per_level: int) -> int:
    """The single-client level does 3/8 of the others (300 of 800 by default)."""
    return requests_per_level if clients > 1 else max(1, round(requests_per_level * 3 / 8))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the run


@dataclass
class Bench:
    client: GatewayClient
    baseline: BaselineApplication
    registry: RegistryApplication
    casework: CaseworkApplication
    args: argparse.Namespace
    cpu: CpuMeter
    next_child: int = 0
    registered: list[str] = field(default_factory=list)

    def payloads(self, count: int) -> list[dict[str, Any]]:
        batch = [child_payload(n) for n in range(self.next_child, self.next_child + count)]
        self.next_child += count
        return batch

    def warm_up(self) -> None:
        run_concurrently(bare_save(self.baseline), range(WARM_UP), 4)
        outcomes, _ = run_concurrently(self.client.register, self.payloads(WARM_UP), 4)
        failed = Counter(o.error for o in outcomes if not o.ok)
        if failed:
            raise RuntimeError(f"warm-up requests failed: {dict(failed)}")
        ids = [o.child_id for o in outcomes]
        self.registered.extend(ids)
        run_concurrently(bare_get(self.registry), ids, 4)
        run_concurrently(self.client.read, ids, 4)
        if len(wait_for_enrolment(self.casework, ids, self.args.projection_timeout)) < len(ids):
            raise RuntimeError("casework did not enrol the warm-up children")

    def level(self, clients: int) -> dict[str, Any]:
        count = requests_for(clients, self.args.requests)
        log(f"[{clients:>2} clients] bare save x{count} ...")
        saves, save_seconds = run_concurrently(bare_save(self.baseline), range(count), clients)
        log(f"[{clients:>2} clients] POST /children x{count} ...")
        self.cpu.start()
        with ReadProbe(self.client) as probe:
            commands, command_seconds = run_concurrently(self.client.register, self.payloads(count), clients)
            ok = [o for o in commands if o.ok]
            log(f"[{clients:>2} clients] waiting for casework to enrol {len(ok)} children ...")
            enrolled = wait_for_enrolment(self.casework, [o.child_id for o in ok], self.args.projection_timeout)
            command_cpu = self.cpu.per_unit(len(ok))
        probe_ok = [o.seconds * 1000 for o in probe.outcomes if o.ok]
        delays = projection_delays_ms(self.registry, enrolled)
        self.registered.extend(o.child_id for o in ok if o.child_id)
        targets = [self.registered[i % len(self.registered)] for i in range(count)]
        log(f"[{clients:>2} clients] bare repository.get x{count} ...")
        gets, get_seconds = run_concurrently(bare_get(self.registry), targets, clients)
        log(f"[{clients:>2} clients] GET /children/{{id}} x{count} ...")
        self.cpu.start()
        reads, read_seconds = run_concurrently(self.client.read, targets, clients)
        read_ok = [o for o in reads if o.ok]
        read_cpu = self.cpu.per_unit(len(read_ok))
        read_rate = len(read_ok) / read_seconds
        get_rate = len(gets) / get_seconds
        gateway_rate = len(ok) / command_seconds
        save_rate = len(saves) / save_seconds
        latencies = [o.seconds * 1000 for o in ok]
        return {
            "clients": clients,
            "requests": count,
            "ok": len(ok),
            "errors": dict(Counter(o.error for o in commands if not o.ok)),
            "gateway_seconds": round(command_seconds, 3),
            "gateway_cmd_per_s": round(gateway_rate, 1),
            "gateway_p50_ms": rounded(percentile(latencies, 50)),
            "gateway_p99_ms": rounded(percentile(latencies, 99)),
            "bare_saves": len(saves),
            "bare_save_seconds": round(save_seconds, 3),
            "bare_save_per_s": round(save_rate, 1),
            "ratio": round(gateway_rate / save_rate, 3),
            "projection_samples": len(delays),
            "projection_missing": len(ok) - len(delays),
            "projection_p50_ms": rounded(percentile(delays, 50)),
            "projection_p99_ms": rounded(percentile(delays, 99)),
            "command_cpu_ms": command_cpu,
            "reads": count,
            "read_ok": len(read_ok),
            "read_errors": dict(Counter(o.error for o in reads if not o.ok)),
            "read_per_s": round(read_rate, 1),
            "bare_get_per_s": round(get_rate, 1),
            "read_ratio": round(read_rate / get_rate, 3),
            "read_p50_ms": rounded(percentile([o.seconds * 1000 for o in read_ok], 50)),
            "read_p99_ms": rounded(percentile([o.seconds * 1000 for o in read_ok], 99)),
            "read_cpu_ms": read_cpu,
            "casework_list_reads": len(probe.outcomes),
            "casework_list_errors": dict(Counter(o.error for o in probe.outcomes if not o.ok)),
            "casework_list_p50_ms": rounded(percentile(probe_ok, 50)),
            "casework_list_p99_ms": rounded(percentile(probe_ok, 99)),
            "casework_list_max_ms": rounded(max(probe_ok, default=None)),
        }


def run(args: argparse.Namespace, stack: ExitStack) -> dict[str, Any]:
    vhost = stack.enter_context(rabbit_vhost())
    store = stack.enter_context(postgres_schemas())
    log(f"vhost {vhost}, schema prefix {store.schema_prefix}; starting {', '.join(PROCESSES)} ...")
    services = stack.enter_context(running_services(f"amqp://guest:guest@127.0.0.1:5672/{vhost}", store))
    log("services healthy; creating the bench administrator with the admin CLI and signing in ...")
    client = GatewayClient(services.url, args.timeout, services.sign_in_admin())
    stack.callback(client.close)
    bench = Bench(
        client=client,
        baseline=stack.enter_context(opened(BaselineApplication, store)),
        registry=stack.enter_context(opened(RegistryApplication, store)),
        casework=stack.enter_context(opened(CaseworkApplication, store)),
        args=args,
        cpu=CpuMeter({name: proc.pid for name, proc in services.procs.items()}),
    )
    log("signed in; warming up ...")
    bench.warm_up()
    levels = []
    for clients in args.levels:
        levels.append(bench.level(clients))
        services.check_alive()
    return {
        "facts": machine_facts(store, services.env),
        "vhost": vhost,
        "schema_prefix": store.schema_prefix,
        "levels": levels,
    }


def service_settings(env: dict[str, str]) -> dict[str, str]:
    """What the service processes were started with (their environment, else
    the defaults in config.yml and shared/config.py)."""
    settings = {
        name: env.get(name) or default
        for name, default in (
            ("MAX_WORKERS", "10"),
            ("POSTGRES_POOL_SIZE", "4"),
            ("POSTGRES_MAX_OVERFLOW", "10"),
            ("RELAY_INTERVAL", "1.0"),
            ("RPC_TIMEOUT", "10"),
        )
    }
    return {**settings, "CIPHER_KEY": "set" if env.get("CIPHER_KEY") else "unset"}


def machine_facts(store: StoreSettings, service_env: dict[str, str]) -> dict[str, Any]:
    with pg.connect(store) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    overview = requests.get(f"{RABBIT_API}/overview", auth=RABBIT_AUTH, timeout=10).json()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "postgres": postgres,
        "rabbitmq": overview.get("rabbitmq_version"),
        "service_settings": service_settings(service_env),  # the services' own, not this process's
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# --------------------------------------------------------------------------- report


def show(value: Any) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [list(headers)] + [[show(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(result: dict[str, Any]) -> None:
    facts, levels = result["facts"], result["levels"]
    settings = ", ".join(f"{k}={v}" for k, v in facts["service_settings"].items())
    print(
        f"Machine: nproc={facts['nproc']} ({facts['cpu']}); Python {facts['python']}, "
        f"PostgreSQL {facts['postgres']}, RabbitMQ {facts['rabbitmq']}"
    )
    print(f"Services: 5 processes on this machine, EVENT_STORE=postgres, {settings}")
    print(
        "Figures are from ONE run (no repetitions, no averaging); client, services, "
        "PostgreSQL and RabbitMQ share the CPUs.\n"
    )
    print(
        "Commands: POST /children (bearer token of a signed-in bureau administrator) -> gateway -> RPC "
        "-> registry -> PostgreSQL; baseline: bare Application.save of one event, same threads, same database"
    )
    print(
        table(
            [
                "clients",
                "requests",
                "ok",
                "errors",
                "gateway cmd/s",
                "bare save/s",
                "ratio",
                "cmd p50 ms",
                "cmd p99 ms",
            ],
            [
                [
                    lv["clients"],
                    lv["requests"],
                    lv["ok"],
                    sum(lv["errors"].values()),
                    lv["gateway_cmd_per_s"],
                    lv["bare_save_per_s"],
                    lv["ratio"],
                    lv["gateway_p50_ms"],
                    lv["gateway_p99_ms"],
                ]
                for lv in levels
            ],
        )
    )
    print(
        "\nProjection delay: casework RosterChild.Enrolled timestamp - registry "
        "Child.Registered timestamp, per child registered at that level"
    )
    print(
        table(
            ["clients", "samples", "missing", "p50 ms", "p99 ms"],
            [
                [
                    lv["clients"],
                    lv["projection_samples"],
                    lv["projection_missing"],
                    lv["projection_p50_ms"],
                    lv["projection_p99_ms"],
                ]
                for lv in levels
            ],
        )
    )
    print(
        "\nService CPU ms per command (utime+stime from /proc/<pid>/stat, from the first command "
        "until casework has enrolled them all, / commands completed)"
    )
    print(cpu_table(levels, "command_cpu_ms"))
    print(
        "\nReads: GET /children/{id} (same token) -> gateway -> RPC -> registry; baseline: bare "
        "registry repository.get, same threads, same children"
    )
    print(
        table(
            ["clients", "reads", "ok", "errors", "gateway read/s", "bare get/s", "ratio", "p50 ms", "p99 ms"],
            [
                [
                    lv["clients"],
                    lv["reads"],
                    lv["read_ok"],
                    sum(lv["read_errors"].values()),
                    lv["read_per_s"],
                    lv["bare_get_per_s"],
                    lv["read_ratio"],
                    lv["read_p50_ms"],
                    lv["read_p99_ms"],
                ]
                for lv in levels
            ],
        )
    )
    print(
        "\nReads during the burst: GET /casework/children?limit=50, one client, one every "
        f"{PROBE_PAUSE} s, from the first command until casework has enrolled the level's children"
    )
    print(
        table(
            ["clients", "reads", "errors", "p50 ms", "p99 ms", "max ms"],
            [
                [
                    lv["clients"],
                    lv["casework_list_reads"],
                    sum(lv["casework_list_errors"].values()),
                    lv["casework_list_p50_ms"],
                    lv["casework_list_p99_ms"],
                    lv["casework_list_max_ms"],
                ]
                for lv in levels
            ],
        )
    )
    print("\nService CPU ms per read")
    print(cpu_table(levels, "read_cpu_ms"))
    errors = {lv["clients"]: lv["errors"] for lv in levels if lv["errors"]}
    if errors:
        print(f"\nErrors by level: {errors}")
    print()
    print(json.dumps({"bench": "throughput", "single_run": True, **result}, ensure_ascii=False))


def cpu_table(levels: Sequence[dict[str, Any]], key: str) -> str:
    names = [*PROCESSES, "total"]
    return table(["clients", *names], [[lv["clients"], *(lv[key][n] for n in names)] for lv in levels])


# --------------------------------------------------------------------------- entry point


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=DEFAULT_REQUESTS,
        help="commands per level with several clients; the 1-client level "
        "does 3/8 of it (default %(default)s, i.e. 300 for 1 client)",
    )
    parser.add_argument(
        "--levels",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        default=LEVELS,
        help="concurrent clients per level (default 1,8,32)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request (default %(default)s)")
    parser.add_argument(
        "--projection-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for casework to enrol a level's children",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short run: 200 commands per level at 8 and 32 clients (overrides --requests and --levels)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.levels = 200, (8, 32)
    if args.requests < 1 or not args.levels or min(args.levels) < 1:
        parser.error("--requests and every level must be at least 1")
    return args


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def ignore_interrupts() -> None:
    """Clean-up must not be cut short by a second Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def run_and_report(args, run: Callable, report: Callable) -> int:
    """Runs a bench with clean-up that survives Ctrl-C and SIGTERM, then reports."""
    signal.signal(signal.SIGTERM, interrupt)
    try:
        with ExitStack() as stack:  # clean-up sees the exception, so failed runs keep their logs
            try:
                result = run(args, stack)
            finally:
                ignore_interrupts()
    except KeyboardInterrupt:
        log("interrupted; cleaned up")
        return 130
    report(result)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_and_report(parse_args(argv), run, report)


if __name__ == "__main__":
    sys.exit(main())
