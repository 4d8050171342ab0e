"""One-active-instance locks for relays: a PostgreSQL advisory lock held on a
dedicated session, or an flock on a file next to the SQLite store. Both are
released by the operating system or the database when the holder dies."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import TYPE_CHECKING

from shared.config import StoreSettings

if TYPE_CHECKING:
    import psycopg  # imported by shared.pg only when a lock is taken, after PSYCOPG_WAIT_FUNC is set


class FileLock:
    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class AdvisoryLock:
    def __init__(self, store: StoreSettings, name: str):
        self.store = store
        self.name = name
        self._conn: psycopg.Connection | None = None

    def acquire(self) -> bool:
        from shared import pg

        if self._conn is not None:
            if self._alive():
                return True
            self.release()
        conn = pg.connect(self.store, application_name=f"{self.name}:{os.getpid()}")
        if pg.try_session_lock(conn, self.name):
            self._conn = conn
            return True
        conn.close()
        return False

    def _alive(self) -> bool:
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure means the session (and lock) is gone
            return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def relay_lock(store: StoreSettings, service: str) -> FileLock | AdvisoryLock:
    if store.kind == "sqlite":
        return FileLock(store.data_dir / f"{service}.relay.lock")
    return AdvisoryLock(store, f"relay:{store.schema_for(service)}")
