"""Copies of the quarterly-report fold kept in casework's own store, so a
process that starts (or restarts) folds only the log after the nearest copy
instead of the whole log.

A row holds the fold pickled at a log position. It is not trusted blindly
(DESIGN.md §7): each row carries an HMAC, keyed from the service's event MAC
key, over the fold's fingerprint, the position it covers and the pickled
bytes, checked before anything is unpickled. A row whose HMAC does not match
(altered bytes, a moved position, another key) is logged and ignored; the
fold then starts from an earlier good copy or from zero.

The fingerprint names what the pickled fold was computed by: the source of
domain/reports.py and the contact cadence. A copy made by other code or under
another cadence is never used (it is simply not found).

Stored in the service's PostgreSQL schema or SQLite file; the in-memory store
(tests) keeps them in an in-memory SQLite database (shared/side_tables.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from services.casework.domain import reports as fold_module
from shared.side_tables import SideTables, values

if TYPE_CHECKING:
    from shared.eventstore import ServiceApplication

log = logging.getLogger(__name__)
TABLE = "report_checkpoints"


def fingerprint(cadence: Mapping[int, int]) -> str:
    """What a stored fold was computed by: the fold's code and the cadence."""
    digest = hashlib.sha256(Path(fold_module.__file__).read_bytes())
    digest.update(json.dumps(sorted(cadence.items())).encode())
    return digest.hexdigest()


class CheckpointStore(SideTables):
    def __init__(self, app: ServiceApplication, fingerprint: str):
        super().__init__(app)
        self.fingerprint = fingerprint
        self._key = hmac.new(app.mac_key, b"casework report checkpoints", hashlib.sha256).digest()
        self.table = self.named(TABLE)
        if self.in_memory:
            self.create_table()

    def create_table(self) -> None:
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (fingerprint text NOT NULL, position bigint NOT NULL, "
                f"mac text NOT NULL, state {self.blob} NOT NULL, written_at text NOT NULL, "
                "PRIMARY KEY (fingerprint, position))"
            )

    def mac(self, position: int, state: bytes) -> str:
        signed = hmac.new(self._key, f"{self.fingerprint}:{position}:".encode(), hashlib.sha256)
        signed.update(state)
        return signed.hexdigest()

    def write(self, position: int, state: bytes) -> None:
        """Keep the fold pickled at `position` (the first copy of a position stays)."""
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(f"INSERT INTO {self.table} VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
                (self.fingerprint, position, self.mac(position, state), state, datetime.now(UTC).isoformat()),
            )

    def replace_latest(self, position: int, state: bytes, every: int) -> None:
        """Keep the fold at `position` as the latest copy, dropping earlier
        copies that are not at a multiple of `every` (the store keeps those
        multiples and one latest copy)."""
        self.write(position, state)
        modulo = "%%" if self.mark == "%s" else "%"  # psycopg reads a lone % as a placeholder
        with self._cursor(commit=True) as cursor:
            cursor.execute(
                self._sql(
                    f"DELETE FROM {self.table} WHERE fingerprint = ? AND position < ? AND position {modulo} ? <> 0"
                ),
                (self.fingerprint, position, every),
            )

    def positions(self) -> list[int]:
        with self._cursor(commit=False) as cursor:
            cursor.execute(
                self._sql(f"SELECT position FROM {self.table} WHERE fingerprint = ? ORDER BY position"),
                (self.fingerprint,),
            )
            return [int(values(row)[0]) for row in cursor.fetchall()]

    def nearest(self, after: int, at_most: int) -> tuple[int, bytes] | None:
        """The latest good copy covering a position in (after, at_most], checked
        against its HMAC; altered copies are logged and passed over."""
        for position in reversed(self.positions()):
            if position > at_most:
                continue
            if position <= after:
                return None
            with self._cursor(commit=False) as cursor:
                cursor.execute(
                    self._sql(f"SELECT mac, state FROM {self.table} WHERE fingerprint = ? AND position = ?"),
                    (self.fingerprint, position),
                )
                row = cursor.fetchone()
            if row is None:
                continue
            mac, state = values(row)
            state = bytes(state)
            if hmac.compare_digest(str(mac), self.mac(position, state)):
                return position, state
            log.warning("report checkpoint at position %s does not match its MAC: ignored", position)
        return None
