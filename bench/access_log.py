"""What recording reads of child files costs: one transaction each, or grouped.

    .venv/bin/python bench/access_log.py [--clients 32] [--each 25]

Every read of a child's file is recorded in the gateway's access log before it
is answered (DESIGN §3 gateway, §7). This bench writes those records from
`--clients` concurrent green threads (as the gateway's workers are), in one
process, into a throwaway PostgreSQL schema, two ways, each twice, alternating:

* alone: `GatewayApplication.save(ChildFileRead(...))`, one transaction (one
  table lock, one commit) per read, as the gateway did before;
* grouped: `GatewayApplication.record_child_read(...)`, which hands the record
  to the group commit (shared/group_commit.py): reads arriving while a write is
  under way are written together by the next; each caller returns once its own
  record is committed.

It prints records per second, CPU ms per record (this process, which does the
encoding and the MAC in both ways), the ratio grouped ÷ alone, and one JSON line.
One run on a shared machine: read the ratio, not the absolute figures.
"""

from __future__ import annotations

import os

os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"  # psycopg chooses its wait function when first imported

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.gateway.application import GatewayApplication  # noqa: E402
from services.gateway.domain import ChildFileRead  # noqa: E402
from shared import pg  # noqa: E402
from shared.eventstore import open_application  # noqa: E402
from tests.support.infra import isolated_pg_store  # noqa: E402

AT = datetime(2026, 3, 1, tzinfo=UTC)
ROUTE = "GET /children/{child_id}"


def timed(clients: int, each: int, write: Callable[[int], None]) -> dict[str, float]:
    def client(n: int) -> None:
        for _ in range(each):
            write(n)

    started, cpu = time.perf_counter(), time.process_time()
    pool = eventlet.GreenPool(clients)
    for n in range(clients):
        pool.spawn(client, n)
    pool.waitall()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    count = clients * each
    return {"per_s": round(count / wall, 1), "cpu_ms": round(cpu * 1000 / count, 3)}


def run(clients: int, each: int) -> dict[str, object]:
    with isolated_pg_store() as store:
        with pg.connect(store) as conn:
            pg.create_schema(conn, store.schema_for("gateway"))
        app = open_application(GatewayApplication, store)
        try:

            def alone(n: int) -> None:
                app.save(ChildFileRead(f"reader-{n}", "auditor", f"child-{n}", ROUTE, f"/children/child-{n}", 200, AT))

            def grouped(n: int) -> None:
                app.record_child_read(f"reader-{n}", "auditor", f"child-{n}", ROUTE, f"/children/child-{n}", 200, AT)

            rounds = [("alone", alone), ("grouped", grouped), ("alone", alone), ("grouped", grouped)]
            measured: dict[str, list[dict[str, float]]] = {"alone": [], "grouped": []}
            for name, write in rounds:
                measured[name].append(timed(clients, each, write))
        finally:
            app.close()
    best = {name: max(runs, key=lambda r: r["per_s"]) for name, runs in measured.items()}
    return {
        "bench": "access_log",
        "single_run": True,
        "clients": clients,
        "records_per_round": clients * each,
        "rounds": measured,
        "ratio_grouped_over_alone": round(best["grouped"]["per_s"] / best["alone"]["per_s"], 2),
    }


def report(result: dict[str, object]) -> None:
    print(f"Access-log records from {result['clients']} concurrent writers, {result['records_per_round']} a round")
    print("way      round  records/s  CPU ms/record (this process)")
    print("-------  -----  ---------  ----------------------------")
    rounds = result["rounds"]
    assert isinstance(rounds, dict)
    for name, runs in rounds.items():
        for index, figures in enumerate(runs, 1):
            print(f"{name:<7}  {index:>5}  {figures['per_s']:>9}  {figures['cpu_ms']:>28}")
    print(f"grouped ÷ alone (best round of each): {result['ratio_grouped_over_alone']}")
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent writers (default %(default)s)")
    parser.add_argument("--each", type=int, default=25, help="records per writer per round (default %(default)s)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.each < 1:
        parser.error("--clients and --each must be at least 1")
    report(run(args.clients, args.each))
    return 0


if __name__ == "__main__":
    sys.exit(main())
