"""Tables a service keeps beside its events, in the same store: its PostgreSQL
schema or SQLite file, or, for the in-memory store (tests), an in-memory SQLite
database. One place for what differs between the three (the placeholder, the
schema prefix, the binary type, the transaction) so each keeper of such tables
writes only its own statements (shared/feed_ledger.py,
services/casework/report_checkpoints.py)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.eventstore import ServiceApplication


def values(row: Any) -> Any:
    """PostgreSQL's cursors here answer dicts, SQLite's tuples."""
    return tuple(row.values()) if isinstance(row, dict) else row


class SideTables:
    def __init__(self, app: ServiceApplication):
        self._app = app  # an application closes its datastore when collected
        datastore = getattr(app.recorder, "datastore", None)
        self._lock = threading.Lock()
        self._prefix = ""
        if datastore is None:  # the in-memory store
            self._memory: sqlite3.Connection | None = sqlite3.connect(":memory:", check_same_thread=False)
            self.mark, self.blob = "?", "blob"
        else:
            self._memory = None
            self._datastore = datastore
            postgres = type(datastore).__module__.startswith("eventsourcing.postgres")
            self.mark = "%s" if postgres else "?"
            self.blob = "bytea" if postgres else "blob"
            self._prefix = f'"{datastore.schema}".' if postgres else ""

    @property
    def in_memory(self) -> bool:
        """Tables in memory are made at once: no one else would make them."""
        return self._memory is not None

    def named(self, table: str) -> str:
        """A table's name as statements write it (in the service's schema on PostgreSQL)."""
        return f"{self._prefix}{table}"

    @contextmanager
    def _cursor(self, commit: bool) -> Iterator[Any]:
        if self._memory is None:
            with self._datastore.transaction(commit=commit) as cursor:
                yield cursor
            return
        with self._lock:
            cursor = self._memory.cursor()
            try:
                yield cursor
                self._memory.commit()
            except BaseException:
                self._memory.rollback()
                raise

    def _sql(self, text: str) -> str:
        """A statement written with ? placeholders, in the store's own."""
        return text.replace("?", self.mark)
