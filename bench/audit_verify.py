"""Audit speed on a large log: sealing, verification (with and without the
check of each event's MAC) and full replay of a service's events, each next to
a bare scan of the same PostgreSQL table measured in the same run (the floor:
reading the rows and nothing else). The log is signed with EVENT_MAC_KEY as a
production store's is.

    .venv/bin/python bench/audit_verify.py [--events 1000000] [--per-aggregate 100]

The log is written straight into a throwaway schema with COPY (rows encoded by
the application's own mapper, so they replay like any other), then dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.domain import Aggregate, event  # noqa: E402

from shared import pg  # noqa: E402
from shared.audit.decode import log_events  # noqa: E402
from shared.audit.sealer import Sealer  # noqa: E402
from shared.audit.seals import SealStore  # noqa: E402
from shared.audit.verify import log_rows, verify, verify_log  # noqa: E402
from shared.config import load_store_settings  # noqa: E402
from shared.event_mac import LogSignatures  # noqa: E402
from shared.eventstore import ServiceApplication, open_application  # noqa: E402


class Account(Aggregate):
    @event("Opened")
    def __init__(self, holder: str):
        self.holder = holder
        self.balance_fen = 0

    @event("Posted")
    def post(self, amount_fen: int, memo: str):
        self.balance_fen += amount_fen


class LedgerLog(ServiceApplication):
    name = "finance"


def fill(app, store, events: int, per_aggregate: int) -> float:
    """Write `events` stored events with COPY; returns seconds."""
    started = time.perf_counter()
    table = f'"{store.schema_for(app.name)}".{app.name}_events'
    written = 0
    with pg.connect(store, autocommit=False) as conn:
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY {table} (originator_id, originator_version, topic, state) FROM STDIN") as copy,
        ):
            while written < events:
                account = Account(holder=f"机构{written}")
                for n in range(min(per_aggregate, events - written) - 1):
                    account.post(amount_fen=100 + n, memo="拨付")
                for domain_event in account.collect_events():
                    stored = app.mapper.to_stored_event(domain_event)
                    copy.write_row((stored.originator_id, stored.originator_version, stored.topic, stored.state))
                    written += 1
        conn.commit()
    return time.perf_counter() - started


def timed(label: str, work) -> tuple[str, int, float]:
    started = time.perf_counter()
    count = work()
    return label, count, time.perf_counter() - started


def bare_scan(app, store) -> int:
    table = f'"{store.schema_for(app.name)}".{app.name}_events'
    count = 0
    with pg.connect(store, autocommit=False) as conn, conn.cursor(name="scan") as cur:
        cur.itersize = 10000
        cur.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {table} ORDER BY notification_id"
        )
        for _ in cur:
            count += 1
    return count


def seal(app, seals) -> int:
    sealer, total = Sealer(app, seals, batch=10000), 0
    while n := sealer.run_once():
        total += n
    return total


def verify_all(app, seals) -> int:
    """The chain only: no MAC is checked."""
    result = verify(log_rows(app), seals.iterate(ahead=True), signatures=LogSignatures(b""))
    if not result.ok or result.macs_checked:
        raise SystemExit(f"verification failed: {result.as_dict()}")
    return result.checked


def verify_with_macs(app, seals) -> int:
    """What `audit verify` does with EVENT_MAC_KEY: the chain and every event's MAC."""
    result = verify_log(app, seals)
    if not result.ok or not result.macs_checked:
        raise SystemExit(f"verification failed: {result.as_dict()}")
    return result.checked


def replay_all(app) -> int:
    """Decode every event and rebuild every aggregate from the log, in log order."""
    aggregates, count = {}, 0
    for domain_event in log_events(app):
        aggregates[domain_event.originator_id] = domain_event.mutate(aggregates.get(domain_event.originator_id))
        count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-aggregate", type=int, default=100)
    args = parser.parse_args()
    store = replace(
        load_store_settings(),
        kind="postgres",
        schema_prefix=f"bench_{uuid.uuid4().hex[:8]}_",
        event_mac_key="bench-event-mac-key-" + uuid.uuid4().hex,
    )
    app = open_application(LedgerLog, store)
    try:
        print(f"writing {args.events:,} events ({args.per_aggregate} per aggregate) ...", flush=True)
        fill_seconds = fill(app, store, args.events, args.per_aggregate)
        seals = SealStore(app, store)
        results = [
            timed("bare scan (SELECT, no processing)", lambda: bare_scan(app, store)),
            timed("seal (hash chain written)", lambda: seal(app, seals)),
            timed("verify (re-hash + compare seals)", lambda: verify_all(app, seals)),
            timed("verify + MACs (audit verify)", lambda: verify_with_macs(app, seals)),
            timed("full replay (decode + rebuild)", lambda: replay_all(app)),
        ]
        baseline = results[0][1] / results[0][2]
        print(f"\nMachine: nproc={os.cpu_count()}; one run; log filled by COPY in {fill_seconds:.1f} s\n")
        print(f"{'operation':<36} {'events':>10} {'seconds':>8} {'events/s':>10} {'ratio to scan':>14}")
        for label, count, seconds in results:
            rate = count / seconds
            print(f"{label:<36} {count:>10,} {seconds:>8.2f} {rate:>10,.0f} {rate / baseline:>14.3f}")
        seconds_of = {label.split(" (")[0]: seconds for label, _, seconds in results}
        print(
            f"\nverify time / bare scan time: {seconds_of['verify'] / seconds_of['bare scan']:.2f} without MACs, "
            f"{seconds_of['verify + MACs'] / seconds_of['bare scan']:.2f} with MACs "
            f"(MACs add {seconds_of['verify + MACs'] / seconds_of['verify'] - 1:+.0%})"
        )
        print(
            json.dumps(
                {
                    "at": datetime.now(UTC).isoformat(),
                    "events": args.events,
                    "per_second": {label.split(" (")[0]: round(count / seconds) for label, count, seconds in results},
                    "ratio_to_scan": {
                        label.split(" (")[0]: round(count / seconds / baseline, 3) for label, count, seconds in results
                    },
                },
                ensure_ascii=False,
            )
        )
    finally:
        app.close()
        with pg.connect(store) as conn:
            pg.drop_schema(conn, store.schema_for(app.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
