"""The event table as stored, row by row, for the sealer and `audit verify`.

The eventsourcing recorder trusts the table's values to have the types it
wrote; someone who rewrote a row may have changed a value's type (a text state,
a number for an id) and the recorder would raise mid-scan. Here each row is
read as raw values and converted on its own: a row that does not convert comes
back as a `LogRow` with `error` set, so the caller names that position instead
of failing with a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from psycopg.types.string import TextLoader

from shared.audit.ahead import read_ahead
from shared.eventstore import ServiceApplication

BATCH = 10000

# A row as the sealer and verify hash it, without a Python object per row:
# (position, aggregate id as text, version, topic, stored bytes, None), or, for
# a row that does not read as an event, (position, id as shown, version as
# shown, "", b"", why).
RawRow = tuple[int, str, Any, str, bytes, str | None]

# PostgreSQL type oids of the event table's columns as the recorder creates them.
_UUID, _INT8, _TEXT, _BYTEA = 2950, 20, 25, 17
_EXPECTED_TYPES = (_INT8, _UUID, _INT8, _TEXT, _BYTEA)


@dataclass(frozen=True)
class LogRow:
    position: int
    notification: Notification | None  # None when `error` says why it could not be read
    error: str | None = None
    aggregate_id: str = ""
    version: Any = None


class LogReader:
    """Rows of one application's event table in log order (PostgreSQL or
    SQLite read raw; any other recorder through its own notifications)."""

    def __init__(self, app: ServiceApplication):
        self.app = app
        recorder: Any = app.recorder
        self.datastore = getattr(recorder, "datastore", None)
        self.tuple_rows: Any = None
        table = getattr(recorder, "events_table_name", "stored_events")
        schema = getattr(self.datastore, "schema", None)
        if schema is not None:  # PostgreSQL
            self.select = (
                "SELECT notification_id, originator_id, originator_version, topic, state "
                f'FROM "{schema}"."{table}" WHERE notification_id > %s ORDER BY notification_id LIMIT %s'
            )
            self.positions_query = (
                f'SELECT originator_version, notification_id FROM "{schema}"."{table}" WHERE originator_id = %s'
            )
            self.id_param: Any = lambda aggregate_id: aggregate_id
            from psycopg.rows import tuple_row

            self.tuple_rows = tuple_row
        elif self.datastore is not None:  # SQLite
            self.select = (
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?"
            )
            self.positions_query = f"SELECT originator_version, rowid FROM {table} WHERE originator_id = ?"
            self.id_param = lambda aggregate_id: aggregate_id.hex

    def rows(self, after: int = 0, limit: int | None = None, batch: int = BATCH) -> Iterator[LogRow]:
        """Every row after position `after` (at most `limit`), in order."""
        remaining = limit
        while remaining is None or remaining > 0:
            size = batch if remaining is None else min(batch, remaining)
            page = self._page(after, size)
            yield from page
            if len(page) < size:
                return
            after = page[-1].position
            if remaining is not None:
                remaining -= len(page)

    def raw_rows(
        self, after: int = 0, limit: int | None = None, batch: int = BATCH, ahead: bool = False
    ) -> Iterator[RawRow]:
        """What `rows` gives, as plain tuples (`RawRow`): on PostgreSQL the
        aggregate id is read as text (no UUID object per row) and a page whose
        columns have the table's own types is taken as it comes; a page of any
        other types, and any row holding a NULL, is judged row by row as `rows` does.
        `ahead`: the next page is read while this one is worked on (shared/audit/ahead.py)."""
        if self.tuple_rows is None:
            for row in self.rows(after, limit, batch):
                yield _as_raw(row)
            return
        pages = self._raw_pages(after, limit, batch)
        for page in read_ahead(pages) if ahead else pages:
            yield from page

    def _raw_pages(self, after: int, limit: int | None, batch: int) -> Iterator[list[RawRow]]:
        remaining = limit
        while remaining is None or remaining > 0:
            size = batch if remaining is None else min(batch, remaining)
            page = self._raw_page(after, size)
            yield page
            if len(page) < size:
                return
            after = page[-1][0]
            if remaining is not None:
                remaining -= len(page)

    def _raw_page(self, after: int, size: int) -> list[RawRow]:
        assert self.datastore is not None
        with self.datastore.transaction(commit=False) as cursor:
            cursor.row_factory = self.tuple_rows
            cursor.adapters.register_loader("uuid", TextLoader)  # the canonical text str(UUID) gives
            cursor.execute(self.select, (after, size))
            types = tuple(column.type_code for column in cursor.description or ())
            found: list[Any] = cursor.fetchall()
        if types == _EXPECTED_TYPES:
            # NOT NULL by the table's definition; a NULL means the table was altered.
            return [(*row, None) if None not in row else _as_raw(as_log_row(*row)) for row in found]
        return [_as_raw(as_log_row(*row)) for row in found]

    def stored_pages(self, after: int = 0, batch: int = BATCH) -> Iterator[list[tuple[int, Any, int, str, bytes]]]:
        """The log as pages of (position, aggregate id, version, topic, stored
        bytes) for a full replay (shared/audit/decode.py), read as the recorder
        reads them (a row of the wrong type fails there as it would in the recorder)."""
        while True:
            if self.tuple_rows is None or self.datastore is None:
                found = self.app.recorder.select_notifications(start=after, limit=batch, inclusive_of_start=False)
                page = [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in found]
            else:
                with self.datastore.transaction(commit=False) as cursor:
                    cursor.row_factory = self.tuple_rows
                    cursor.execute(self.select, (after, batch))
                    page = cursor.fetchall()
            if page:
                yield page
            if len(page) < batch:
                return
            after = page[-1][0]

    def positions(self, aggregate_id: UUID) -> dict[int, int]:
        """Version → log position, for one aggregate's events."""
        if self.datastore is None:
            return {
                n.originator_version: n.id
                for n in _all_notifications(self.app)
                if str(n.originator_id) == str(aggregate_id)
            }
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self.positions_query, (self.id_param(aggregate_id),))
            found = [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in cursor.fetchall()]
        return {int(version): int(position) for version, position in found}

    def _page(self, after: int, size: int) -> list[LogRow]:
        if self.datastore is None:
            found = self.app.recorder.select_notifications(start=after, limit=size, inclusive_of_start=False)
            return [LogRow(n.id, n, None, str(n.originator_id), n.originator_version) for n in found]
        with self.datastore.transaction(commit=False) as cursor:
            if self.tuple_rows is not None:
                cursor.row_factory = self.tuple_rows  # plain tuples: no dict per row on a long scan
            cursor.execute(self.select, (after, size))
            raw = [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in cursor.fetchall()]
        return [as_log_row(*values) for values in raw]


def as_log_row(position: Any, originator_id: Any, version: Any, topic: Any, state: Any) -> LogRow:
    """One raw row as a notification, or with the reason it is not one."""
    position = int(position)  # the key column: an integer by the table's own definition
    shown_id, shown_version = str(originator_id), version
    try:
        if isinstance(originator_id, UUID):
            aggregate_id = originator_id
        elif isinstance(originator_id, str):
            aggregate_id = UUID(originator_id)
        else:
            raise TypeError(f"aggregate id is {type(originator_id).__name__}")
        if not isinstance(version, int) or isinstance(version, bool):
            raise TypeError(f"version is {type(version).__name__}")
        if not isinstance(topic, str):
            raise TypeError(f"topic is {type(topic).__name__}")
        if not isinstance(state, bytes | bytearray | memoryview):
            raise TypeError(f"stored bytes are {type(state).__name__}")
    except (TypeError, ValueError) as error:
        reason = f"altered: a stored value has the wrong type or form ({error})"
        return LogRow(position, None, reason, shown_id, shown_version)
    notification = Notification(
        id=position, originator_id=aggregate_id, originator_version=version, topic=topic, state=bytes(state)
    )
    return LogRow(position, notification, None, str(aggregate_id), version)


def _as_raw(row: LogRow) -> RawRow:
    event = row.notification
    if event is None:
        return (row.position, row.aggregate_id, row.version, "", b"", row.error)
    return (row.position, str(event.originator_id), event.originator_version, event.topic, event.state, None)


def _all_notifications(app: ServiceApplication) -> Iterator[Notification]:
    position = 0
    while True:
        found = app.recorder.select_notifications(start=position, limit=BATCH, inclusive_of_start=False)
        yield from found
        if len(found) < BATCH:
            return
        position = found[-1].id
