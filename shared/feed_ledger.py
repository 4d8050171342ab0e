"""What a service remembers about the event feeds it follows, beside its events:

- claims: the digest of the envelope first taken at each upstream position, so a
  second, different envelope for that position is refused, not taken for a duplicate;
- refusals: envelopes refused as forged or conflicting, until an operator acknowledges them;
- parked events: events that could not be taken in (undecodable, or their handler
  fails), and the later events of the same record held behind them, until an
  operator has them retried or skips them with a reason.

A feed is an upstream service's name on the consumer side, or `relay` for the
service's own outgoing log. Stored in the service's PostgreSQL schema or SQLite
file; the in-memory store (tests) keeps them in an in-memory SQLite database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shared.side_tables import SideTables, values

if TYPE_CHECKING:
    from shared.eventstore import ServiceApplication

RELAY_FEED = "relay"
# A parked event is open while its status is one of these.
PARKED, HELD, RETRY = "parked", "held", "retry"
RETRIED, SKIPPED = "retried", "skipped"
OPEN = (PARKED, HELD, RETRY)
LAST_SHOWN = 5


@dataclass
class ParkedState:
    """What the ledger holds for a feed past a position (FeedLedger.parked_state)."""

    parked: set[int] = field(default_factory=set)
    blockers: dict[str, int] = field(default_factory=dict)
    retry_due: bool = False


@dataclass(frozen=True)
class ParkedEvent:
    feed: str
    notification_id: int
    originator_id: str
    status: str
    error: str
    attempts: int
    parked_at: str
    envelope: str | None
    resolved_by: str | None
    reason: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat()


class FeedLedger(SideTables):
    def __init__(self, app: ServiceApplication):
        super().__init__(app)
        self.claims = self.named("feed_claims")
        self.refusals = self.named("feed_refusals")
        self.parked = self.named("feed_parked")
        if self.in_memory:
            self.create_tables()

    def create_tables(self) -> None:
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.claims} (feed text NOT NULL, notification_id bigint NOT NULL, "
                "digest text NOT NULL, PRIMARY KEY (feed, notification_id))"
            )
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.refusals} (feed text NOT NULL, notification_id bigint, "
                "event_id text, reason text NOT NULL, at text NOT NULL, acknowledged_by text, note text)"
            )
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.parked} (feed text NOT NULL, notification_id bigint NOT NULL, "
                "originator_id text NOT NULL, status text NOT NULL, error text NOT NULL, attempts integer NOT NULL, "
                "parked_at text NOT NULL, envelope text, resolved_by text, reason text, resolved_at text, "
                "PRIMARY KEY (feed, notification_id))"
            )

    # -- claims ------------------------------------------------------------------

    def claim(self, feed: str, notification_id: int, digest: str) -> str:
        """Record `digest` as what this position says, unless something was
        recorded first; returns the digest on record."""
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"SELECT digest FROM {self.claims} WHERE feed = ? AND notification_id = ?"),
                (feed, notification_id),
            )
            row = values(cursor.fetchone())
            if row is not None:
                return str(row[0])
            cursor.execute(self._sql(f"INSERT INTO {self.claims} VALUES (?, ?, ?)"), (feed, notification_id, digest))
            return digest

    def claim_many(self, feed: str, digests: dict[int, str]) -> dict[int, str]:
        """`claim` for several positions in one transaction: the digest on record for each."""
        if not digests:
            return {}
        low, high = min(digests), max(digests)
        with self._cursor(commit=True) as cursor:
            # A replica may claim the same positions meanwhile: the first claim stays.
            cursor.executemany(
                self._sql(f"INSERT INTO {self.claims} VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
                [(feed, n, d) for n, d in digests.items()],
            )
            cursor.execute(
                self._sql(
                    f"SELECT notification_id, digest FROM {self.claims} "
                    "WHERE feed = ? AND notification_id >= ? AND notification_id <= ?"
                ),
                (feed, low, high),
            )
            on_record = {int(n): str(d) for n, d in (values(row) for row in cursor.fetchall()) if int(n) in digests}
        return {**digests, **on_record}

    def claimed(self, feed: str, notification_id: int) -> str | None:
        rows = self._select(
            f"SELECT digest FROM {self.claims} WHERE feed = ? AND notification_id = ?", (feed, notification_id)
        )
        return str(rows[0][0]) if rows else None

    # -- refusals ----------------------------------------------------------------

    def refuse(self, feed: str, notification_id: int | None, event_id: str | None, reason: str) -> None:
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"INSERT INTO {self.refusals} VALUES (?, ?, ?, ?, ?, NULL, NULL)"),
                (feed, notification_id, event_id, reason[:500], _now()),
            )

    def refusal_summary(self, feed: str) -> dict[str, Any]:
        """Refusals not yet acknowledged: how many, and the latest few."""
        where = f"FROM {self.refusals} WHERE feed = ? AND acknowledged_by IS NULL"
        [(count,)] = self._select(f"SELECT count(*) {where}", (feed,))
        last = self._select(
            f"SELECT notification_id, event_id, reason, at {where} ORDER BY at DESC LIMIT {LAST_SHOWN}", (feed,)
        )
        return {
            "unacknowledged": int(count),
            "last": [{"notification_id": n, "event_id": e, "reason": r, "at": at} for n, e, r, at in last],
        }

    def acknowledge(self, feed: str, by: str, note: str) -> int:
        if not by.strip() or not note.strip():
            raise ValueError("say who decides and why")
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"SELECT count(*) FROM {self.refusals} WHERE feed = ? AND acknowledged_by IS NULL"), (feed,)
            )
            (count,) = values(cursor.fetchone())
            cursor.execute(
                self._sql(
                    f"UPDATE {self.refusals} SET acknowledged_by = ?, note = ? "
                    "WHERE feed = ? AND acknowledged_by IS NULL"
                ),
                (by, note, feed),
            )
            return int(count)

    # -- parked events -----------------------------------------------------------

    def park(
        self, feed: str, notification_id: int, originator_id: str, error: str, envelope: str | None, held: bool = False
    ) -> None:
        """Park an event (again, after a failed retry: one more attempt counted)."""
        status = HELD if held else PARKED
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"SELECT attempts FROM {self.parked} WHERE feed = ? AND notification_id = ?"),
                (feed, notification_id),
            )
            row = values(cursor.fetchone())
            if row is None:
                cursor.execute(
                    self._sql(f"INSERT INTO {self.parked} VALUES (?, ?, ?, ?, ?, 1, ?, ?, NULL, NULL, NULL)"),
                    (feed, notification_id, originator_id, status, error[:2000], _now(), envelope),
                )
            else:
                cursor.execute(
                    self._sql(
                        f"UPDATE {self.parked} SET status = ?, error = ?, attempts = ? "
                        "WHERE feed = ? AND notification_id = ?"
                    ),
                    (status, error[:2000], int(row[0]) + 1, feed, notification_id),
                )

    def find(self, feed: str, notification_id: int) -> ParkedEvent | None:
        rows = self._parked_rows("WHERE feed = ? AND notification_id = ?", (feed, notification_id))
        return rows[0] if rows else None

    def open_events(self, feed: str) -> list[ParkedEvent]:
        return self._parked_rows("WHERE feed = ? AND status IN (?, ?, ?) ORDER BY notification_id", (feed, *OPEN))

    def all_events(self, feed: str) -> list[ParkedEvent]:
        return self._parked_rows("WHERE feed = ? ORDER BY notification_id", (feed,))

    def parked_after(self, feed: str, after: int) -> set[int]:
        """Positions after `after` parked on this feed, whatever became of them."""
        rows = self._select(
            f"SELECT notification_id FROM {self.parked} WHERE feed = ? AND notification_id > ?", (feed, after)
        )
        return {int(r[0]) for r in rows}

    def parked_since(self, feed: str, after: int) -> tuple[set[int], dict[str, int]]:
        """In one query: the positions after `after` parked on this feed (whatever
        became of them), and for each record the earliest open parked event, which
        its later events wait behind."""
        state = self.parked_state(feed, after)
        return state.parked, state.blockers

    def parked_state(self, feed: str, after: int) -> ParkedState:
        """`parked_since`, and whether an operator asked for any retry: what a
        relay pass needs from the ledger, in one query."""
        rows = self._select(
            f"SELECT notification_id, originator_id, status FROM {self.parked} "
            "WHERE feed = ? AND (notification_id > ? OR status IN (?, ?, ?)) ORDER BY notification_id",
            (feed, after, *OPEN),
        )
        state = ParkedState()
        for notification_id, originator_id, status in rows:
            if int(notification_id) > after:
                state.parked.add(int(notification_id))
            if status in OPEN:
                state.blockers.setdefault(str(originator_id), int(notification_id))
            state.retry_due = state.retry_due or status == RETRY
        return state

    def feeds(self) -> list[str]:
        rows = self._select(f"SELECT feed FROM {self.parked} UNION SELECT feed FROM {self.refusals}", ())
        return sorted(str(r[0]) for r in rows)

    def blocker(self, feed: str, originator_id: str, before: int) -> int | None:
        """The earliest open parked event of this record before `before`, if any:
        later events of that record wait behind it, in order."""
        rows = self._select(
            f"SELECT min(notification_id) FROM {self.parked} WHERE feed = ? AND originator_id = ? "
            "AND notification_id < ? AND status IN (?, ?, ?)",
            (feed, originator_id, before, *OPEN),
        )
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def request_retry(self, feed: str, notification_id: int, by: str, reason: str) -> ParkedEvent:
        return self._resolve(feed, notification_id, RETRY, by, reason)

    def skip(self, feed: str, notification_id: int, by: str, reason: str) -> ParkedEvent:
        """Give the event up for good; the events of its record held behind it go on."""
        skipped = self._resolve(feed, notification_id, SKIPPED, by, reason)
        self.release_held(feed, skipped.originator_id)
        return skipped

    def retried(self, feed: str, notification_id: int) -> None:
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(
                    f"UPDATE {self.parked} SET status = ?, resolved_at = ? WHERE feed = ? AND notification_id = ?"
                ),
                (RETRIED, _now(), feed, notification_id),
            )

    def release_held(self, feed: str, originator_id: str) -> None:
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"UPDATE {self.parked} SET status = ? WHERE feed = ? AND originator_id = ? AND status = ?"),
                (RETRY, feed, originator_id, HELD),
            )

    def _resolve(self, feed: str, notification_id: int, status: str, by: str, reason: str) -> ParkedEvent:
        if not by.strip() or not reason.strip():
            raise ValueError("say who decides and why")
        event = self.find(feed, notification_id)
        if event is None or event.status not in OPEN:
            raise LookupError(f"no open parked event {notification_id} on feed {feed}")
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(
                    f"UPDATE {self.parked} SET status = ?, resolved_by = ?, reason = ?, resolved_at = ? "
                    "WHERE feed = ? AND notification_id = ?"
                ),
                (status, by, reason, _now(), feed, notification_id),
            )
        resolved = self.find(feed, notification_id)
        assert resolved is not None, "just updated"
        return resolved

    def _parked_rows(self, clause: str, params: tuple[Any, ...]) -> list[ParkedEvent]:
        rows = self._select(
            "SELECT feed, notification_id, originator_id, status, error, attempts, parked_at, envelope, "
            f"resolved_by, reason FROM {self.parked} {clause}",
            params,
        )
        return [
            ParkedEvent(str(f), int(n), str(o), str(s), str(e), int(a), str(p), env, by, why)
            for f, n, o, s, e, a, p, env, by, why in rows
        ]

    def _select(self, text: str, params: tuple[Any, ...]) -> list[Any]:
        with self._cursor(commit=False) as cursor:
            cursor.execute(self._sql(text), params)
            return [values(row) for row in cursor.fetchall()]


def ledger_of(app: ServiceApplication) -> FeedLedger:
    """The application's one ledger (one per application, so the in-memory
    store's is shared by its relay, feeds and health)."""
    ledger: FeedLedger | None = getattr(app, "_feed_ledger", None)
    if ledger is None:
        ledger = FeedLedger(app)
        app._feed_ledger = ledger  # type: ignore[attr-defined]  # cached beside the app, not part of it
    return ledger


def health_of(ledger: FeedLedger, feed: str) -> dict[str, Any]:
    """What /health shows of a feed: its open parked events and unacknowledged refusals."""
    return health_of_feeds(ledger, [feed])[feed]


def health_of_feeds(ledger: FeedLedger, feeds: list[str]) -> dict[str, dict[str, Any]]:
    """health_of for several feeds in two queries (and one more per feed with refusals):
    health is asked often, and must stay quick on a busy store."""
    states: dict[str, dict[str, Any]] = {
        feed: {"parked": [], "refused": {"unacknowledged": 0, "last": []}} for feed in feeds
    }
    for p in ledger._parked_rows("WHERE status IN (?, ?, ?) ORDER BY notification_id", OPEN):
        if p.feed in states:
            states[p.feed]["parked"].append(
                {
                    "notification_id": p.notification_id,
                    "status": p.status,
                    "error": p.error[:300],
                    "attempts": p.attempts,
                }
            )
    counts = ledger._select(
        f"SELECT feed, count(*) FROM {ledger.refusals} WHERE acknowledged_by IS NULL GROUP BY feed", ()
    )
    for feed, count in counts:
        if feed in states and count:
            states[feed]["refused"] = ledger.refusal_summary(feed)
    return states


def needs_attention(state: dict[str, Any]) -> bool:
    return bool(state["parked"]) or bool(state["refused"].get("unacknowledged"))
