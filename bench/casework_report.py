"""How long the casework quarterly report takes for a district-scale quarter,
next to a bare scan of the same notification log.

    .venv/bin/python bench/casework_report.py [--children 10000] [--events 200000]

What it does, in one run:

* Loads a quarter (2025 Q3) of casework into a throwaway PostgreSQL schema
  through the application (`CaseworkApplication.save`, many aggregates per
  transaction): every child enrolled from the registry, assessed and visited;
  level-1 children with cases, assessments, plans, sessions and reviews;
  groups with sessions; community activities with attendance; supervision;
  finance records; and life-care services filling up to the event total. The
  aggregates are the domain's own, so the log is what the service would hold.
* bare scan: `recorder.select_notifications` over the whole log in pages of
  1,000, nothing decoded. This is the floor for anything that reads the log.
* scan + decode: the same, turning each notification into its domain event
  (`mapper.to_domain_event`), which every projection must do.
* report (first, from zero): a fresh application on the same schema, with no
  checkpoint in the store yet, generates the report for one contract and
  quarter: fold of the whole log (keeping a checkpoint every 50,000
  notifications, in memory and in the store) plus assembly.
* report (warm): the same request again (the fold is kept; nothing new).
* then --past more events (default 9,999) are stored, and the service's
  background warmer runs once: it folds them but stores a copy at the head
  only when the fold is 10,000 past the last stored checkpoint, so by default
  the restart below has the most left to fold that it can have.
* report (cold, after a restart): another fresh application on the same
  schema, as after a restart: it loads the nearest checkpoint stored at or
  before the head (checking its MAC) and folds only the rest. This is the
  cold figure of issue 19. In the service a background warmer does this at
  start, so requests normally find the fold warm.
* report as of 3/4 of the log (checkpoint): an earlier position, folded from
  the nearest checkpoint before it.
* report as of 3/4 of the log (from zero): the same, folded from the start,
  as a process with no checkpoints would.

The ratios compare the cold report with the bare scan and with scan + decode;
the last line is the same figures as JSON.
Figures come from a single run on a machine shared with other work; read them
as indications. The schema is dropped at the end, also on error or Ctrl-C.
"""

from __future__ import annotations

import os

# psycopg chooses its wait function when first imported; match the services.
os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.casework.application import CaseworkApplication  # noqa: E402
from services.casework.domain.activities import KINDS as ACTIVITY_KINDS  # noqa: E402
from services.casework.domain.activities import SAFETY_KINDS, Activity
from services.casework.domain.care import KINDS as CARE_KINDS  # noqa: E402
from services.casework.domain.care import MONEY_KINDS, CareService
from services.casework.domain.cases import Case  # noqa: E402
from services.casework.domain.directors import ChildDirector, Supervision  # noqa: E402
from services.casework.domain.funds import ContractFunds  # noqa: E402
from services.casework.domain.groups import Group  # noqa: E402
from services.casework.domain.reports import QuarterlyFold  # noqa: E402
from services.casework.domain.roster import RosterChild  # noqa: E402
from services.casework.use_cases.reports import LATEST_EVERY  # noqa: E402
from shared.eventstore import open_application  # noqa: E402
from shared.jsonable import jsonable  # noqa: E402
from shared.report_reference import content_hash  # noqa: E402
from tests.support.infra import drop_schemas, postgres_store, unique  # noqa: E402 - plain helpers

YEAR, QUARTER = 2025, 3
START = date(2025, 7, 1)
DAYS = 92
TOWNS = {
    "滨河镇": ("新北村", "黑林村", "张洪村"),
    "文昌镇": ("文昌村", "新星村"),
    "东园镇": ("东园村", "金沙村"),
    "柔远镇": ("柔远村", "沙滩村"),
    "镇罗镇": ("镇罗村", "观音村"),
    "宣和镇": ("宣和村", "喜沟村"),
    "永康镇": ("永康村", "彩达村"),
    "常乐镇": ("常乐村", "上滩村"),
    "迎水桥镇": ("沙坡头村", "鸣沙村"),
    "兴仁镇": ("兴仁村", "团结村"),
    "香山乡": ("红圈村", "景庄村"),
}
CATEGORY_SETS = (["left_behind"], ["distressed"], ["left_behind", "distressed"], ["unattended"])
SAVE_BATCH = 400


def day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange(DAYS))


class Loader:
    """Saves aggregates in batches and counts the events it stored."""

    def __init__(self, app: CaseworkApplication):
        self.app = app
        self.pending: list[Any] = []
        self.events = 0

    def add(self, *aggregates: Any) -> None:
        self.pending.extend(aggregates)
        if len(self.pending) >= SAVE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            recordings = self.app.save(*self.pending)
            self.events += len(recordings)
            self.pending = []


def load_quarter(
    app: CaseworkApplication,
    contract_id: uuid.UUID,
    children: int,
    events: int,
    rng: random.Random,
    progress: Callable[[str], None],
) -> tuple[int, list[uuid.UUID]]:
    loader = Loader(app)
    roster: list[RosterChild] = []
    for n in range(children):
        town = rng.choice(list(TOWNS))
        child = RosterChild(
            child_id=uuid.uuid4(),
            name=f"儿童{n}",
            date_of_birth=date(2008, 1, 1) + timedelta(days=rng.randrange(6000)),
            town=town,
            village=rng.choice(TOWNS[town]),
            categories=rng.choice(CATEGORY_SETS),
            registered_on=date(2025, 6, 1),
        )
        assessed_on = day(rng)
        level = rng.choices((1, 2, 3), weights=(6, 30, 64))[0]
        child.assess_risk(
            level=level,
            assessed_on=assessed_on,
            next_contact_due=assessed_on + timedelta(days={1: 7, 2: 30, 3: 90}[level]),
        )
        for _ in range(3):
            child.record_visit(visit_id=uuid.uuid4(), visited_on=day(rng))
        roster.append(child)
    progress("children")
    level_one = [c for c in roster if c.risk_level == 1]
    for child in level_one:
        case = Case(
            child_id=child.id,
            contract_id=contract_id,
            worker="社工",
            opened_on=START,
            referral_source="registry",
            presenting_needs="监护缺失",
        )
        child.case_opened(case_id=case.id)
        case.assess(today=date(2025, 9, 30), assessed_on=START, worker="社工", summary="评估", needs=["监护"])
        case.set_plan(
            today=date(2025, 9, 30),
            planned_on=START,
            worker="社工",
            goals=[{"goal_id": uuid.uuid4(), "description": "稳定监护", "target_date": None}],
        )
        for _ in range(6):
            case.record_session(
                today=date(2025, 9, 30),
                session_id=uuid.uuid4(),
                held_on=day(rng),
                worker="社工",
                session_type="home_visit",
                duration_minutes=60,
                notes="",
            )
        case.review(
            today=date(2025, 9, 30),
            reviewed_on=date(2025, 9, 30),
            worker="社工",
            notes="",
            goal_progress=[{"goal_id": case.goals[0]["goal_id"], "status": "in_progress"}],
        )
        loader.add(case)
    for child in roster:
        loader.add(child)
    loader.flush()
    progress("cases")
    for _ in range(100):
        members = [c.id for c in rng.sample(roster, 10)]
        group = Group(
            name="小组",
            purpose="成长",
            service_line="tiered_management",
            contract_id=contract_id,
            min_age=0,
            max_age=17,
            formed_on=START,
            worker="社工",
            member_ids=members,
        )
        for _ in range(12):
            group.hold_session(
                today=date(2025, 9, 30),
                session_id=uuid.uuid4(),
                held_on=day(rng),
                topic="t",
                worker="社工",
                duration_minutes=90,
                attended_child_ids=rng.sample(members, 8),
            )
        loader.add(group)
    kinds = [k for k in ACTIVITY_KINDS if k != "social_organization_activity"]
    for _ in range(3000):
        kind = rng.choice(kinds)
        town = rng.choice(list(TOWNS))
        loader.add(
            Activity(
                kind=kind,
                title="活动",
                held_on=day(rng),
                contract_id=contract_id,
                town=town,
                village=None,
                child_ids=[c.id for c in rng.sample(roster, 20)],
                guardian_count=rng.randrange(10),
                community_count=rng.randrange(30),
                topics=["drowning", "road_safety"] if kind in SAFETY_KINDS else [],
                theme="防溺水" if kind == "monthly_theme" else None,
                organization_id=None,
                worker="社工",
            )
        )
    directors = [
        ChildDirector(name=f"主任{n}", town=t, village=v, phone=None, appointed_on=date(2025, 1, 1))
        for n, (t, v) in enumerate((t, v) for t, vs in TOWNS.items() for v in vs)
    ]
    loader.add(*directors)
    for _ in range(200):
        loader.add(
            Supervision(
                kind="supervision",
                held_on=day(rng),
                contract_id=contract_id,
                topic="督导",
                supervisor="督导",
                director_ids=[d.id for d in rng.sample(directors, 5)],
                duration_minutes=120,
                notes="",
            )
        )
    funds = ContractFunds(contract_id=contract_id)
    funds.tranche_paid(tranche_id=uuid.uuid4(), number=1, amount_fen=10_000_000, paid_on=START)
    for _ in range(200):
        funds.expenditure_recorded(
            expenditure_id=uuid.uuid4(),
            budget_line="personnel",
            fund="fiscal",
            amount_fen=rng.randrange(1, 20_000),
            spent_on=day(rng),
        )
    loader.add(funds)
    loader.flush()
    progress("groups, activities, supervision, funds")
    add_care(loader, [c.id for c in roster], contract_id, events, rng)
    progress("care services")
    return loader.events, [c.id for c in roster]


def add_care(
    loader: Loader, child_ids: list[uuid.UUID], contract_id: uuid.UUID, events: int, rng: random.Random
) -> None:
    """Life-care services until the loader has stored `events` events."""
    while loader.events + len(loader.pending) < events:
        kind = rng.choice(CARE_KINDS)
        loader.add(
            CareService(
                child_id=rng.choice(child_ids),
                contract_id=contract_id,
                kind=kind,
                given_on=day(rng),
                value_fen=rng.randrange(1000, 100_000) if kind in MONEY_KINDS else None,
                resource="爱心企业",
                occasion=None,
                worker="社工",
                notes="",
            )
        )
    loader.flush()


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def bare_scan(app: CaseworkApplication, decode: bool) -> int:
    position, seen = 0, 0
    while True:
        batch = app.recorder.select_notifications(start=position, limit=1000, inclusive_of_start=False)
        if not batch:
            return seen
        if decode:
            for notification in batch:
                app.mapper.to_domain_event(notification)
        seen += len(batch)
        position = batch[-1].id


def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    store = postgres_store(unique("bench_cw_") + "_")
    contract_id = uuid.UUID(int=rng.getrandbits(128))
    period = f"{YEAR}-Q{QUARTER}"
    try:
        app = open_application(CaseworkApplication, store)
        app.clock = lambda: date(2025, 9, 30)
        started = time.perf_counter()

        def progress(what: str) -> None:
            print(f"  loaded {what} ({time.perf_counter() - started:.1f} s)", flush=True)

        print(
            f"Loading {args.children:,} children and {args.events:,} events into schema "
            f"{store.schema_for('casework')} ...",
            flush=True,
        )
        stored_events, child_ids = load_quarter(app, contract_id, args.children, args.events, rng, progress)
        load_seconds = time.perf_counter() - started
        head = app.head_position()
        app.close()

        reader = open_application(CaseworkApplication, store)
        scan_seconds, scanned = timed(lambda: bare_scan(reader, decode=False))
        decode_seconds, _ = timed(lambda: bare_scan(reader, decode=True))
        reader.close()

        fresh = open_application(CaseworkApplication, store)
        first_seconds, report = timed(lambda: fresh.quarterly_report(contract_id, YEAR, QUARTER))
        warm_seconds, warm = timed(lambda: fresh.quarterly_report(contract_id, YEAR, QUARTER))
        earlier = head * 3 // 4 - 1
        checkpoint_seconds, as_of = timed(
            lambda: fresh.quarterly_report(contract_id, YEAR, QUARTER, as_of_position=earlier)
        )
        zero_seconds, from_zero = timed(
            lambda: jsonable(fresh.fold_log(QuarterlyFold(), earlier).report(contract_id, YEAR, QUARTER))
        )
        # More work after the last checkpoint, then the service's warmer (every
        # 5 s), which stores a copy at the head only once the fold is
        # LATEST_EVERY past the last stored copy: --past just under it is the
        # most a restart has to fold.
        more = Loader(fresh)
        add_care(more, child_ids, contract_id, args.past, rng)
        stored_events += more.events
        store_seconds, _ = timed(fresh.warm_reports)
        head = fresh.head_position()
        latest = fresh.quarterly_report(contract_id, YEAR, QUARTER)
        fresh.close()
        restarted = open_application(CaseworkApplication, store)
        stored_at = restarted.report_checkpoints.positions()
        cold_seconds, cold = timed(lambda: restarted.quarterly_report(contract_id, YEAR, QUARTER))
        nearest = restarted.report_checkpoints.nearest(0, head)
        copy_bytes = len(nearest[1]) if nearest else 0
        restarted.close()
        assert warm == report, "the same report twice must give the same numbers"
        assert cold == latest, "a stored checkpoint must give the same report, content_hash included"
        from_zero["content_hash"] = content_hash(from_zero)
        assert as_of == from_zero, "a checkpoint must give the report a fold from the start gives"
        loaded_from = max((p for p in stored_at if p <= head), default=0)

        lines = {row["line"]: row["records"] for row in report["service_lines"]}
        print()
        print(f"casework quarterly report, {period}, PostgreSQL {store.postgres_host}:{store.postgres_port}")
        print(
            f"  log: {stored_events:,} events stored, head notification {head:,}; "
            f"loaded in {load_seconds:.1f} s ({stored_events / load_seconds:,.0f} events/s)"
        )
        print(
            f"  report: {report['children']['reached']:,} children reached, "
            f"{report['registry']['visits']:,} visits, {report['cases']['sessions']:,} case sessions, "
            f"{sum(lines.values()):,} delivery records, {len(report['gaps'])} gaps"
        )
        print()
        print(f"  {'measurement':<34}{'seconds':>9}{'events/s':>12}{'x bare scan':>13}")
        figures = (
            ("bare scan (no decode)", scan_seconds),
            ("scan + decode", decode_seconds),
            ("report, first (fold whole log)", first_seconds),
            ("report, cold (stored checkpoint)", cold_seconds),
            ("report, warm (fold kept)", warm_seconds),
            ("report as of 3/4 (checkpoint)", checkpoint_seconds),
            ("report as of 3/4 (from zero)", zero_seconds),
            (f"warmer after {args.past:,} more events", store_seconds),
        )
        for name, seconds in figures:
            rate = f"{scanned / seconds:,.0f}" if "whole log" in name or "scan" in name else "-"
            print(f"  {name:<34}{seconds:>9.3f}{rate:>12}{seconds / scan_seconds:>13.2f}")
        print()
        print(f"  (the cold report reads a log {args.past:,} events longer than the scans)")
        print(f"  ratio report(cold) / bare scan     = {cold_seconds / scan_seconds:.2f}")
        print(f"  ratio report(cold) / scan + decode = {cold_seconds / decode_seconds:.2f}")
        print(f"  ratio report(first) / bare scan    = {first_seconds / scan_seconds:.2f}")
        print(f"  cold: loaded the checkpoint stored at {loaded_from:,}, folded {head - loaded_from:,} notifications")
        positions = ", ".join(f"{p:,}" for p in stored_at) or "none"
        print(f"  stored checkpoints at {positions}; {copy_bytes / 1e6:.1f} MB each")
        print(
            json.dumps(
                {
                    "bench": "casework_report",
                    "children": args.children,
                    "events": stored_events,
                    "head": head,
                    "seconds": {name: round(seconds, 4) for name, seconds in figures},
                    "cold_over_bare_scan": round(cold_seconds / scan_seconds, 3),
                    "cold_over_scan_decode": round(cold_seconds / decode_seconds, 3),
                    "first_over_bare_scan": round(first_seconds / scan_seconds, 3),
                    "cold_loaded_checkpoint_at": loaded_from,
                    "checkpoint_bytes": copy_bytes,
                }
            )
        )
    finally:
        drop_schemas(store, ("casework",))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--past", type=int, default=LATEST_EVERY - 1, help="events added after the checkpoints, before the restart"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    run(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
