"""The children's ledger export (issue 17) at programme scale, next to a bare
projection read of the same children in the same run.

    .venv/bin/python bench/ledger_export.py [--children 10000] [--repeat 3]

What is loaded, through RegistryApplication on PostgreSQL in a throwaway
schema (dropped at the end, also on error or Ctrl-C): N children by the rules
of POST /children (register_child) spread over every village of the reference
list, half with ID numbers, one visit each, a third assessed into a risk tier
(so the overdue column has rows).

What is measured (best of `--repeat` rounds after a warm-up one, the steps in
turn within each round):
* bare projection read: the children list read from the ChildrenView
  projection page by page (500 a page, as the export reads it), nothing else;
* list RPCs: the same pages as the registry's list_children RPC answers them
  (the page schema's dump), and the overdue list the ledger joins;
* ledger export: the gateway's own export handler (api/exports.py
  export_children, unwrapped from its route) on those RPCs called in-process:
  every page, the overdue join, masking for an auditor (guard.as_seen_by), the
  .xlsx written by services/gateway/workbook.py — the bytes a user downloads.
  Its pages after the first are read at the first page's position, so they
  fit together: that too rebuilds the list from the log (a cold cache);
* ledger export as it stood: the same with ?as_of_position= the head, so the
  list is rebuilt from the log first (shared/past_registers.py; a cold cache:
  the rebuilt copies are dropped before each run).

The gateway refuses an export of more than EXPORT_MAX_ROWS (5000) rows and asks
to narrow it (by town); the bench lifts that cap to export all N in one go.
RPC and HTTP are not in these figures (the e2e tests cover that path).
Figures come from a single run on a machine shared with other work; read them
as indications.
"""

from __future__ import annotations

import os

os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"

import argparse  # noqa: E402
import inspect  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook  # noqa: E402

from services.gateway.api import exports  # noqa: E402
from services.gateway.web.caller import Caller  # noqa: E402
from services.registry.application import RegistryApplication  # noqa: E402
from services.registry.domain import places  # noqa: E402
from services.registry.domain.id_number import check_character  # noqa: E402
from services.registry.service import RegistryService  # noqa: E402
from shared.eventstore import open_application  # noqa: E402
from shared.pagination import MAX_LIMIT  # noqa: E402
from tests.support.infra import drop_schemas, postgres_store, unique  # noqa: E402

TODAY = date(2025, 9, 1)
SURNAMES = "马李王张刘杨田赵周吴"
GIVEN = "小兰花明刚军丽芳伟强娟静磊洋艳勇"
MIGRANT = {"status": "migrant", "whereabouts": "银川市"}


def id_number(born: date, male: bool, serial: int) -> str:
    first17 = f"6405{serial // 500 % 100:02d}{born:%Y%m%d}{(serial % 500) * 2 + (1 if male else 0):03d}"
    return first17 + check_character(first17)


def load(app: RegistryApplication, children: int, rng: random.Random) -> float:
    villages = [(town, village) for town, names in sorted(places.load().items()) for village in sorted(names)]
    started = time.perf_counter()
    for n in range(children):
        male = n % 2 == 0
        town, village = villages[n % len(villages)]
        distressed = n % 3 == 0
        born = TODAY - timedelta(days=rng.randrange(365 * 2, 365 * (17 if distressed else 15)))
        child_id = app.register_child(
            name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            gender="male" if male else "female",
            date_of_birth=born,
            id_number=id_number(born, male, n) if n % 2 == 0 else None,
            town=town,
            village=village,
            categories=["distressed"] if distressed else ["left_behind"],
            distress_reasons=["poverty"] if distressed else [],
            household={"father": MIGRANT, "mother": MIGRANT, "economic_status": "dibao" if distressed else "ordinary"},
            guardianship_status=rng.choice(["parents", "entrusted", "improper"]),
        )
        app.record_visit(
            child_id, visited_on=TODAY - timedelta(days=rng.randrange(1, 200)), visitor=f"主任{n % 97}", findings="在家"
        )
        if n % 3 == 0:
            app.assess_risk(child_id, level=1 + (n // 3) % 3, reasons=["benchmark"])
        if n % 1000 == 999:
            print(f"  {n + 1} children", flush=True)
    return time.perf_counter() - started


class InProcessExport(exports.ExportRoutes):
    """The gateway's export handler with its RPCs answered in-process by the
    registry service's own entrypoints (the page schemas' dumps included)."""

    def __init__(self, app: RegistryApplication, filters: dict[str, str]):
        self.service = RegistryService()
        self.service.store = app
        self.filters = filters
        self.caller = Caller(user_id="bench", username="bench", role="auditor")

    def query_args(self, request) -> dict[str, str]:
        return dict(self.filters)

    def call(self, service: str, method: str, *args):
        assert service == "registry"
        return getattr(self.service, method)(*args)


EXPORT_CHILDREN = inspect.unwrap(exports.ExportRoutes.export_children)


def bare_read(app: RegistryApplication) -> int:
    count, cursor = 0, None
    while True:
        found = app.children.list_children(limit=MAX_LIMIT, cursor=cursor)
        count += len(found["items"])
        cursor = found["next_cursor"]
        if cursor is None:
            return count


def list_rpcs(app: RegistryApplication) -> int:
    reader = InProcessExport(app, {})
    children = reader.every_page("registry", "list_children", {})
    reader.every_page("registry", "overdue_contacts", {})
    return len(children)


def export(app: RegistryApplication, filters: dict[str, str]) -> tuple[int, bytes]:
    app.past.views.clear()  # as it stood: rebuilt from the log each run (a cold cache)
    response = EXPORT_CHILDREN(InProcessExport(app, filters), None)
    data = response.get_data()
    return len(response.exported["items"]), data


def best_of(steps: dict, repeat: int) -> dict[str, tuple[float, object]]:
    """Each step's best time and its result: one warm-up round, then `repeat`
    rounds running the steps in turn, so each faces the same machine load."""
    results = {name: run() for name, run in steps.items()}
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for name, run in steps.items():
            t = time.perf_counter()
            results[name] = run()
            best[name] = min(best[name], time.perf_counter() - t)
    return {name: (best[name], results[name]) for name in steps}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exports.EXPORT_MAX_ROWS = args.children + 1  # the gateway's cap (5000) lifted: all N in one export
    rng = random.Random(17)
    store = postgres_store(unique("bench") + "_")
    app = None
    try:
        app = open_application(RegistryApplication, store)
        app.clock = lambda: TODAY
        print(f"loading {args.children} children into schema {store.schema_for('registry')} ...", flush=True)
        seconds = load(app, args.children, rng)
        head = app.head_position()
        print(f"loaded {head} events in {seconds:.1f} s\n")

        timed = best_of(
            {
                "bare": lambda: bare_read(app),
                "rpcs": lambda: list_rpcs(app),
                "export": lambda: export(app, {}),
                "past": lambda: export(app, {"as_of_position": str(head)}),
            },
            args.repeat,
        )
        bare_s, bare_n = timed["bare"]
        rpc_s, rpc_n = timed["rpcs"]
        export_s, (export_n, data) = timed["export"]
        past_s, (past_n, past_data) = timed["past"]
        assert bare_n == rpc_n == export_n == past_n == args.children, (bare_n, rpc_n, export_n, past_n)
        rows = sum(1 for _ in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
        assert rows == args.children + 2, rows  # title, headers, one row per child

        figures = {
            "bare projection read": (bare_n, bare_s),
            "list RPCs (+overdue)": (rpc_n, rpc_s),
            "ledger export": (export_n, export_s),
            "export as it stood": (past_n, past_s),
        }
        bare_rate = bare_n / bare_s
        print(f"{'step':<22} {'rows':>7} {'seconds':>8} {'rows/s':>10} {'÷ bare read':>12}")
        for name, (count, took) in figures.items():
            rate = count / took
            print(f"{name:<22} {count:>7} {took:>8.3f} {rate:>10,.0f} {rate / bare_rate:>12.3f}")
        print(f"\nworkbook {len(data):,} bytes ({len(past_data):,} as it stood), {head} events in the log")
        result = {
            "children": args.children,
            "events": head,
            "repeat": args.repeat,
            "workbook_bytes": len(data),
            "bare_read_rows_per_s": round(bare_rate, 1),
            "list_rpcs_rows_per_s": round(rpc_n / rpc_s, 1),
            "export_rows_per_s": round(export_n / export_s, 1),
            "export_as_of_rows_per_s": round(past_n / past_s, 1),
            "export_seconds": round(export_s, 3),
            "export_as_of_seconds": round(past_s, 3),
            "export_over_bare_read": round((export_n / export_s) / bare_rate, 4),
            "export_as_of_over_bare_read": round((past_n / past_s) / bare_rate, 4),
        }
        print()
        print(json.dumps({"bench": "ledger_export", "single_run": True, **result}, ensure_ascii=False))
        return 0
    finally:
        if app is not None:
            app.close()
        drop_schemas(store, ("registry",))


if __name__ == "__main__":
    sys.exit(main())
