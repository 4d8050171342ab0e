"""A district roster's import (issue 17) at go-live scale, next to a bare
`Application.save` loop of the same children in the same run.

    .venv/bin/python bench/roster_import.py [--rows 10000] [--batch 200]

A generated roster (tests/support/rosters.py: every 7th row broken — bad check
character, birth date not matching the ID number, unknown village, missing
name, formula in a cell — and now and then a row repeated) is written as .xlsx
and then, through RegistryApplication on PostgreSQL in throwaway schemas
(dropped at the end, also on error or Ctrl-C):

* read: the gateway's reader (services/gateway/roster_file.py, openpyxl
  read_only) turning the file into rows;
* preview: every row checked by the registry (check_roster_rows, batches of
  200 as the gateway sends them), nothing stored;
* import: the import itself (start_roster_import, then import_roster_batch in
  batches of `--batch`, as the gateway sends them): each clean row created by
  the rules of POST /children with its ID-number and row claims, one save per
  batch with the import's tally;
* bare save: the same clean children registered by Child.register and saved
  one `Application.save(child)` each into a second fresh schema: no claims, no
  duplicate checks, no tally — but one transaction per child;
* bare batched save: the same, `Application.save(*children)` per `--batch`
  children into a third schema: one transaction per batch as the import has —
  the floor of what storing them costs.

RPC and HTTP are not in these figures (the e2e tests cover that path); the
rates say what the rules and the idempotency records cost over a bare save.
Figures come from a single run on a machine shared with other work; read them
as indications.
"""

from __future__ import annotations

import os

os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.gateway import roster_file  # noqa: E402
from services.registry import schemas as s  # noqa: E402
from services.registry.application import RegistryApplication  # noqa: E402
from services.registry.domain import Child  # noqa: E402
from shared.eventstore import open_application  # noqa: E402
from tests.support import rosters  # noqa: E402
from tests.support.infra import drop_schemas, postgres_store, unique  # noqa: E402

TODAY = date(2025, 9, 1)
CHECK_BATCH = 200  # as the gateway sends them


def wire(rows):
    return [{"row": number, "facts": facts} for number, facts in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    rows = rosters.mixed(args.rows, today=TODAY)
    data = rosters.workbook(rows)
    print(f"roster of {args.rows} rows ({sum(1 for r in rows if r.refused_with)} broken), {len(data):,} bytes")
    stores = [postgres_store(unique("bench") + "_") for _ in range(3)]
    apps = []
    try:
        imported, bare, batched = (open_application(RegistryApplication, store) for store in stores)
        apps += [imported, bare, batched]
        for app in apps:
            app.clock = lambda: TODAY

        t = time.perf_counter()
        roster = roster_file.read(data)
        read_s = time.perf_counter() - t

        t = time.perf_counter()
        refused_in_preview = len(roster.problems)
        for start in range(0, len(roster.rows), CHECK_BATCH):
            loaded, refused = s.roster_rows(wire(roster.rows[start : start + CHECK_BATCH]))
            checked = imported.check_roster_rows(loaded)
            refused_in_preview += len(refused) + sum(1 for found in checked.values() if found)
        preview_s = time.perf_counter() - t

        t = time.perf_counter()
        started = imported.start_roster_import(file_sha256=roster.file_sha256, rows=roster.total, started_by="bench")
        edge_refused = sorted(roster.problems.items())
        for start in range(0, max(len(roster.rows), len(edge_refused)), args.batch):
            loaded, refused = s.roster_rows(wire(roster.rows[start : start + args.batch]))
            refused.update(dict(edge_refused[start : start + args.batch]))
            imported.import_roster_batch(started["import_id"], loaded, refused)
        import_s = time.perf_counter() - t
        done = imported.roster_import(started["import_id"])
        assert done["finished"] and done["refused"] == refused_in_preview, done

        refused_rows = {entry["row"] for entry in done["refusals"]}
        clean = [(n, facts) for n, facts in s.roster_rows(wire(roster.rows))[0] if n not in refused_rows]
        t = time.perf_counter()
        for _, facts in clean:
            bare.save(Child.register(today=TODAY, places=bare.places, **facts))
        bare_s = time.perf_counter() - t
        t = time.perf_counter()
        for start in range(0, len(clean), args.batch):
            children = [
                Child.register(today=TODAY, places=batched.places, **f) for _, f in clean[start : start + args.batch]
            ]
            batched.save(*children)
        batched_s = time.perf_counter() - t
        created = done["created"]

        figures = {
            "read": (roster.total, read_s),
            "preview": (roster.total, preview_s),
            "import": (roster.total, import_s),
            "bare save loop": (len(clean), bare_s),
            "bare batched save": (len(clean), batched_s),
        }
        bare_rate = len(clean) / bare_s
        batched_rate = len(clean) / batched_s
        print(f"\n{'step':<18} {'rows':>7} {'seconds':>8} {'rows/s':>9} {'÷ bare save':>12} {'÷ batched':>10}")
        for name, (count, seconds) in figures.items():
            rate = count / seconds
            ratios = f"{rate / bare_rate:>12.2f} {rate / batched_rate:>10.2f}"
            print(f"{name:<18} {count:>7} {seconds:>8.2f} {rate:>9,.0f} {ratios}")
        created_rate = created / import_s
        print(
            f"\nimport created {created} and refused {done['refused']} of {roster.total} rows; "
            f"children created/s {created_rate:,.0f} = {created_rate / bare_rate:.2f} × bare save, "
            f"{created_rate / batched_rate:.2f} × bare batched save"
        )
        result = {
            "rows": roster.total,
            "created": created,
            "refused": done["refused"],
            "batch": args.batch,
            "read_rows_per_s": round(roster.total / read_s, 1),
            "preview_rows_per_s": round(roster.total / preview_s, 1),
            "import_rows_per_s": round(roster.total / import_s, 1),
            "import_created_per_s": round(created_rate, 1),
            "bare_save_per_s": round(bare_rate, 1),
            "bare_batched_save_per_s": round(batched_rate, 1),
            "import_over_bare": round(created_rate / bare_rate, 3),
            "import_over_bare_batched": round(created_rate / batched_rate, 3),
        }
        print()
        print(json.dumps({"bench": "roster_import", "single_run": True, **result}, ensure_ascii=False))
        return 0
    finally:
        for app in apps:
            app.close()
        for store in stores:
            drop_schemas(store, ("registry",))


if __name__ == "__main__":
    sys.exit(main())
