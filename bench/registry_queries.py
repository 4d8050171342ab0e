"""Registry read-model queries at programme scale, and the projection rebuild
rate next to a bare scan of the same notification log.

    .venv/bin/python bench/registry_queries.py [--children 10000] [--visits-per-child 10]

What is loaded, through RegistryApplication on PostgreSQL in a throwaway schema
(dropped at the end, also on error or Ctrl-C): N children spread over every
village of the reference list (half with ID numbers, so half the intakes also
save an ID-number claim), every child visited `visits-per-child` times (one
save per child holding all its visit events, to keep loading time reasonable:
the events are the same ones `record_visit` stores), a third assessed into a
risk tier, and a few near-duplicate pairs.

What is measured:
* query latency: each list/filter/overdue/duplicates/statistics query answered
  from the ChildrenView projection, `--repeat` times after one warm-up call,
  reported as median and max in milliseconds. The projection refreshes from the
  log before every read, so the figures include that (empty) catch-up.
* rebuild: a fresh ChildrenView replaying the whole log, in events/s, next to
  two baselines over the same log in the same run: a bare notification scan
  (select_notifications in batches of 1000, nothing decoded) and a scan that
  also decodes each notification into its domain event (what any projection
  must at least do). The ratios say how much the projection's own work costs.

Figures come from a single run on a machine shared with other work; read them
as indications.
"""

from __future__ import annotations

import os

os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.registry.application import RegistryApplication  # noqa: E402
from services.registry.domain import Child, places  # noqa: E402
from services.registry.domain.id_number import check_character  # noqa: E402
from services.registry.exceptions import ChildNotFound  # noqa: E402
from services.registry.views import ChildrenView  # noqa: E402
from shared.audit.replay import position_before  # noqa: E402
from shared.eventstore import open_application  # noqa: E402
from tests.support.infra import drop_schemas, postgres_store, unique  # noqa: E402

TODAY = date(2025, 9, 1)
SURNAMES = "马李王张刘杨田赵周吴"
GIVEN = "小兰花明刚军丽芳伟强娟静磊洋艳勇"
MIGRANT = {"status": "migrant", "whereabouts": "银川市"}
SCAN_BATCH = 1000


def id_number(born: date, male: bool, serial: int) -> str:
    # region code and order number together are unique per serial (below 50,000)
    first17 = f"6405{serial // 500 % 100:02d}{born:%Y%m%d}{(serial % 500) * 2 + (1 if male else 0):03d}"
    return first17 + check_character(first17)


def load(app: RegistryApplication, children: int, visits_per_child: int, rng: random.Random) -> tuple[list, float]:
    villages = [(town, village) for town, names in sorted(places.load().items()) for village in sorted(names)]
    ids, started = [], time.perf_counter()
    for n in range(children):
        male = n % 2 == 0
        town, village = villages[n % len(villages)]
        distressed = n % 3 == 0
        # left-behind children are under 16; distressed ones up to 17
        born = TODAY - timedelta(days=rng.randrange(365 * 2, 365 * (17 if distressed else 15)))
        ids.append(
            app.register_child(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                gender="male" if male else "female",
                date_of_birth=born,
                id_number=id_number(born, male, n) if n % 2 == 0 else None,
                town=town,
                village=village,
                categories=["distressed"] if distressed else ["left_behind"],
                distress_reasons=["poverty"] if distressed else [],
                household={
                    "father": MIGRANT,
                    "mother": MIGRANT,
                    "economic_status": "dibao" if distressed else "ordinary",
                },
                guardianship_status=rng.choice(["parents", "entrusted", "improper"]),
            )
        )
        if n % 500 == 250:  # a near-duplicate: same child entered again, name misspelt, no ID number
            twin = app.get_child(ids[-1])
            ids.append(
                app.register_child(
                    name=twin["name"][:-1] + rng.choice(GIVEN),
                    gender=twin["gender"],
                    date_of_birth=born,
                    id_number=None,
                    town=town,
                    village=village,
                    categories=twin["categories"],
                    distress_reasons=twin["distress_reasons"],
                    household=twin["household"],
                )
            )
        if n % 1000 == 999:
            print(f"  {n + 1} children", flush=True)
    for n, child_id in enumerate(ids):
        child = app.load(Child, child_id, ChildNotFound)
        for _ in range(visits_per_child):
            child.record_visit(
                visit_id=uuid.uuid4(),
                visited_on=TODAY - timedelta(days=rng.randrange(1, 365)),
                visitor=f"主任{n % 97}",
                findings="在家",
                follow_up=None,
                campaign_id=None,
                household=None,
                today=TODAY,
            )
        if n % 3 == 0:
            last = child.last_contact["visited_on"] if child.visits else TODAY
            level = 1 + (n // 3) % 3
            child.assess_risk(
                level=level,
                reasons=["benchmark"],
                assessed_on=TODAY,
                next_contact_due=last + timedelta(days=app.cadence[level]),
                today=TODAY,
            )
        app.save(child)
        if n % 1000 == 999:
            print(f"  {(n + 1) * visits_per_child} visits", flush=True)
    return ids, time.perf_counter() - started


def timed(call, repeat: int) -> tuple[float, float, int]:
    call()  # warm-up
    samples, size = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - t) * 1000)
        size = len(result.get("items", result)) if isinstance(result, dict) else len(result)
    return statistics.median(samples), max(samples), size


def scan(app, decode: bool) -> tuple[int, float]:
    position, count, started = 0, 0, time.perf_counter()
    while True:
        batch = app.recorder.select_notifications(start=position, limit=SCAN_BATCH, inclusive_of_start=False)
        if not batch:
            return count, time.perf_counter() - started
        if decode:
            for notification in batch:
                app.mapper.to_domain_event(notification)
        count += len(batch)
        position = batch[-1].id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--visits-per-child", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(7)
    store = postgres_store(unique("bench") + "_")
    app = None
    try:
        app = open_application(RegistryApplication, store)
        app.clock = lambda: TODAY
        print(
            f"loading {args.children} children and {args.children * args.visits_per_child} visits "
            f"into schema {store.schema_for('registry')} ...",
            flush=True,
        )
        ids, seconds = load(app, args.children, args.visits_per_child, rng)
        head = app.head_position()
        print(f"loaded {head} events in {seconds:.1f} s\n")

        first = time.perf_counter()
        app.children.refresh()
        print(f"first projection catch-up of {head} events: {time.perf_counter() - first:.2f} s")
        some = app.list_children(limit=1, town="滨河镇")["items"][0]
        second_page = app.list_children(limit=50)["next_cursor"]
        queries = {
            "list, first page (50)": lambda: app.list_children(limit=50),
            "list, second page (cursor)": lambda: app.list_children(limit=50, cursor=second_page),
            "filter town": lambda: app.list_children(limit=50, town="滨河镇"),
            "filter village": lambda: app.list_children(limit=50, town=some["town"], village=some["village"]),
            "filter category": lambda: app.list_children(limit=50, category="distressed"),
            "filter tier": lambda: app.list_children(limit=50, tier=1),
            "filter guardianship status": lambda: app.list_children(limit=50, guardianship_status="improper"),
            "search name": lambda: app.list_children(limit=50, q="马小"),
            "combined filters": lambda: app.list_children(limit=50, town="滨河镇", category="left_behind", q="王"),
            "overdue contacts (50)": lambda: app.overdue_contacts(limit=50),
            "overdue contacts, tier 1": lambda: app.overdue_contacts(limit=50, tier=1),
            "duplicate candidates": lambda: app.duplicates(min_score=0.6, limit=50),
            "statistics": lambda: app.statistics(),
        }
        print(f"\n{'query':<30} {'median ms':>10} {'max ms':>9} {'rows':>6}")
        for name, call in queries.items():
            median, worst, rows = timed(call, args.repeat)
            print(f"{name:<30} {median:>10.2f} {worst:>9.2f} {rows:>6}")

        raw_count, raw_s = scan(app, decode=False)
        decoded_count, decoded_s = scan(app, decode=True)
        view = ChildrenView(app, app.cadence)
        t = time.perf_counter()
        rebuilt = view.rebuild()
        rebuild_s = time.perf_counter() - t
        raw_rate, decoded_rate, rebuild_rate = raw_count / raw_s, decoded_count / decoded_s, rebuilt / rebuild_s
        print(f"\n{'log pass over ' + str(head) + ' events':<36} {'events/s':>10} {'seconds':>8}")
        print(f"{'bare notification scan':<36} {raw_rate:>10,.0f} {raw_s:>8.2f}")
        print(f"{'scan + decode to domain events':<36} {decoded_rate:>10,.0f} {decoded_s:>8.2f}")
        print(f"{'projection rebuild (ChildrenView)':<36} {rebuild_rate:>10,.0f} {rebuild_s:>8.2f}")
        print(
            f"\nrebuild / bare scan = {rebuild_rate / raw_rate:.2f}; "
            f"rebuild / scan+decode = {rebuild_rate / decoded_rate:.2f}"
        )

        # Registers as they stood (use_cases/past.py): a list at a past position
        # folds the log that far once; the next page reads the kept fold. A
        # date first finds its position with a pass that decodes every event.
        half = head // 2
        t = time.perf_counter()
        app.list_children(limit=50, as_of_position=half)
        past_first = time.perf_counter() - t
        median, _worst, _rows = timed(lambda: app.list_children(limit=50, as_of_position=half), args.repeat)
        t = time.perf_counter()
        position_before(app, datetime.now(UTC))
        date_s = time.perf_counter() - t
        print(f"\nlist as of position {half}: first {past_first:.2f} s (rebuild), then {median:.2f} ms (kept)")
        print(f"a date's position (pass over {head} events): {date_s:.2f} s")
        return 0
    finally:
        if app is not None:
            app.close()
        drop_schemas(store, ("registry",))


if __name__ == "__main__":
    sys.exit(main())
