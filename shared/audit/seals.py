"""Where seals are kept: a table beside the service's events, in the same
database, appended to in one transaction per batch (so the sealer's position,
the last sealed notification, is always consistent with its chain)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from psycopg.rows import tuple_row

from shared.audit.ahead import read_ahead
from shared.config import StoreSettings

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresDatastore
    from eventsourcing.sqlite import SQLiteDatastore

    from shared.eventstore import ServiceApplication

TABLE = "audit_seals"
# When the service began signing its events (shared/event_mac.py): the first
# position that must carry a MAC. Earlier events are covered by their seals only.
SIGNING_TABLE = "audit_signing"


# PostgreSQL type oids of the seal table's columns as `create_table` makes them.
_SEAL_TYPES = (20, 25, 20, 17)  # bigint, text, bigint, bytea


class Seal(NamedTuple):
    # A tuple, so a long scan reads seals without building an object per row.
    notification_id: int
    originator_id: str
    originator_version: int
    chain_hash: bytes


class SealStore:
    """Seals in the application's own datastore (PostgreSQL schema or SQLite file)."""

    def __init__(self, app: ServiceApplication, store: StoreSettings):
        # The recorder is typed as the abstract ProcessRecorder; the ones built
        # from PERSISTENCE_MODULE (postgres, sqlite) hold their datastore.
        self.datastore: PostgresDatastore | SQLiteDatastore = app.recorder.datastore  # type: ignore[attr-defined]
        self.postgres = store.kind == "postgres"
        self.table = f'"{store.schema_for(app.name)}".{TABLE}' if self.postgres else TABLE
        self.signing_table = f'"{store.schema_for(app.name)}".{SIGNING_TABLE}' if self.postgres else SIGNING_TABLE
        self.mark = "%s" if self.postgres else "?"

    def create_table(self) -> None:
        blob = "bytea" if self.postgres else "blob"
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                "notification_id bigint PRIMARY KEY, originator_id text NOT NULL, "
                f"originator_version bigint NOT NULL, chain_hash {blob} NOT NULL)"
            )
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {self.signing_table} (since bigint NOT NULL)")

    def signing_since(self) -> int | None:
        """The first position the service signed, or None if it never has.
        The earliest recorded start counts: a later row cannot move it on."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT MIN(since) AS since FROM {self.signing_table}")
            row = cursor.fetchone()
        value = row["since"] if isinstance(row, dict) else (row[0] if row is not None else None)
        return None if value is None else int(value)

    def begin_signing(self, since: int) -> None:
        """Record that every event from `since` on carries a MAC (once)."""
        if self.signing_since() is not None:
            return
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"INSERT INTO {self.signing_table} VALUES ({self.mark})", (since,))

    def append(self, seals: Sequence[Seal], cursor: Any = None) -> None:
        """In one transaction: the store's own, or `cursor`'s (the sealer's
        lock session, which commits only while the lock is held)."""
        if cursor is not None:
            self._insert(cursor, seals)
            return
        with self.datastore.transaction(commit=True) as own:
            self._insert(own, seals)

    def _insert(self, cursor: Any, seals: Sequence[Seal]) -> None:
        if self.postgres:  # one COPY per batch rather than a statement per seal
            with cursor.copy(
                f"COPY {self.table} (notification_id, originator_id, originator_version, chain_hash) FROM STDIN"
            ) as copy:
                for seal in seals:
                    copy.write_row(seal)
            return
        m = self.mark
        cursor.executemany(f"INSERT INTO {self.table} VALUES ({m}, {m}, {m}, {m})", list(seals))

    def last(self) -> Seal | None:
        rows = self._select("ORDER BY notification_id DESC LIMIT 1", ())
        return rows[0] if rows else None

    def at(self, notification_id: int) -> Seal | None:
        rows = self._select(f"WHERE notification_id = {self.mark}", (notification_id,))
        return rows[0] if rows else None

    def last_upto(self, notification_id: int) -> Seal | None:
        """The last seal at or before this position."""
        rows = self._select(
            f"WHERE notification_id <= {self.mark} ORDER BY notification_id DESC LIMIT 1", (notification_id,)
        )
        return rows[0] if rows else None

    def iterate(self, batch: int = 10000, ahead: bool = False, after: int = 0) -> Iterator[Seal]:
        """Every seal in order (after a position); `ahead` (PostgreSQL): the next page is read
        while this one is worked on (shared/audit/ahead.py)."""
        pages = self._pages(batch, after)
        for page in read_ahead(pages) if ahead and self.postgres else pages:
            yield from page

    def _pages(self, batch: int, after: int = 0) -> Iterator[list[Seal]]:
        while True:
            rows = self._select(
                f"WHERE notification_id > {self.mark} ORDER BY notification_id LIMIT {int(batch)}", (after,)
            )
            yield rows
            if len(rows) < batch:
                return
            after = rows[-1].notification_id

    def _select(self, clause: str, params: tuple[Any, ...]) -> list[Seal]:
        types: tuple[Any, ...] = ()
        transaction: Any = self.datastore.transaction(commit=False)
        with transaction as cursor:
            if self.postgres:
                cursor.row_factory = tuple_row
            cursor.execute(
                f"SELECT notification_id, originator_id, originator_version, chain_hash FROM {self.table} {clause}",
                params,
            )
            if self.postgres:
                types = tuple(column.type_code for column in cursor.description or ())
            rows: list[Any] = cursor.fetchall()
        if types == _SEAL_TYPES:
            # The table's own types (NOT NULL by its definition; a NULL means it was altered).
            make = Seal._make
            return [make(row) if None not in row else Seal(*self._values(row)) for row in rows]
        return [Seal(*self._values(row)) for row in rows]

    @staticmethod
    def _values(row: Any) -> tuple[int, str, int, bytes]:
        # A psycopg dict row (PostgreSQL) or an sqlite3.Row.
        if isinstance(row, dict):
            row = (row["notification_id"], row["originator_id"], row["originator_version"], row["chain_hash"])
        notification_id, originator_id, version, chain_hash = tuple(row)
        return int(notification_id), str(originator_id), int(version), bytes(chain_hash)
