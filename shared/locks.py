"""One-active-instance locks for relays: a PostgreSQL advisory lock held on a
dedicated session, or an flock on a file next to the SQLite store. Both are
released by the operating system or the database when the holder dies."""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.config import StoreSettings

if TYPE_CHECKING:
    import psycopg  # imported by shared.pg only when a lock is taken, after PSYCOPG_WAIT_FUNC is set


class FileLock:
    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        # How many times this lock was newly taken (see AdvisoryLock.taken).
        self.taken = 0

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
        self.taken += 1
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def holding(self) -> bool:
        return self._fd is not None

    def verify(self) -> None:
        """An flock cannot be taken from a living process: held is held."""
        if self._fd is None:
            raise LockLost(str(self.path))

    def replicas(self) -> list[dict[str, Any]]:
        """One process per SQLite data directory (the launcher's lock): this one."""
        return [{"process": process_name(), "holds_lock": self.holding(), "answering": True}]

    def fenced(self) -> nullcontext[None]:
        """No transaction of its own: the writes go through the store as usual."""
        self.verify()
        return nullcontext()


class LockLost(Exception):
    """The session that held this process's relay lock has ended (cut by an
    operator or a network, or the database restarted) while the process lives:
    another replica may hold the lock now, so this one must not publish or
    record anything until it takes the lock again."""


class AdvisoryLock:
    """A PostgreSQL advisory lock on one session of its own, kept for the
    life of the process: a standby tries the lock on it again and again (no
    new connection per try), the holder holds it there, and `fenced()` writes
    the relay's and the sealer's positions in a transaction on that very
    session. A transaction on the session that holds the lock commits only
    while the lock is held, so a relay whose session was cut cannot record
    anything beside the new holder; it finds out and stands by.

    A holder that finds its lock gone stands back for `stand_back` seconds
    before trying again, so a standby (which tries every relay interval) takes
    over rather than the process that just lost it.

    The session's application_name is `<name>:<host>:<pid>` (health and
    operators find every replica's session, holder and standbys, in
    pg_stat_activity)."""

    def __init__(self, store: StoreSettings, name: str, stand_back: float = 0.0):
        self.store = store
        self.name = name
        self.stand_back = stand_back
        self._conn: psycopg.Connection | None = None
        self._held = False
        self._back_at = 0.0  # time.monotonic() when a holder that lost the lock may try again
        # The relay and the sealer loops share the one session.
        self._mutex = threading.RLock()
        # How many times this lock was newly taken: a holder that sees the same
        # count as before has held it throughout, so nobody else wrote what only
        # the holder writes (the relay keeps its positions by it).
        self.taken = 0

    def acquire(self) -> bool:
        with self._mutex:
            if self._held:
                if self._still_held():
                    return True
                self._drop()
            if time.monotonic() < self._back_at:
                return False
            try:
                self._held = _pg().try_session_lock(self._session(), self.name)
            except Exception:  # noqa: BLE001 - no database now: stand by, and try on a new session next time
                self._drop()
            if self._held:
                self.taken += 1
            return self._held

    def holding(self) -> bool:
        """Whether this process held the lock when it last looked (no query, no try)."""
        return self._held

    def verify(self) -> None:
        """Raises LockLost unless the lock is still held on its live session."""
        with self.fenced():
            pass

    @contextmanager
    def fenced(self) -> Iterator[psycopg.Cursor[Any]]:
        """A transaction on the lock's session that has checked, inside it,
        that the session still holds the lock; raises LockLost otherwise (and
        if the session ends before the transaction commits)."""
        with self._mutex:
            if not self._held or self._conn is None:
                raise LockLost(self.name)
            try:
                with self._conn.transaction(), self._conn.cursor() as cursor:
                    cursor.execute(HELD, (self.name,))
                    if cursor.fetchone() is None:
                        raise LockLost(self.name)
                    yield cursor
            except LockLost:
                self._lost()
                raise
            except _pg().psycopg.OperationalError as error:
                if not (self._conn is None or self._conn.closed or self._conn.broken):
                    raise  # the session lives (a timeout, say): the lock is still held
                self._lost()  # the session is gone, and the lock with it
                raise LockLost(self.name) from error

    def replicas(self) -> list[dict[str, Any]]:
        """Every process with a session for this lock, holder and standbys,
        as the database sees them (asks the database; tries no lock);
        `answering` marks this process."""
        prefix = self.name + ":"
        with self._mutex:
            try:
                rows = self._session().execute(SESSIONS, (prefix + "%",)).fetchall()
            except Exception:
                if self._held:
                    self._lost()
                else:
                    self._drop()
                raise
        mine = session_name(self.name)
        return [
            {"process": name[len(prefix) :], "holds_lock": bool(held), "answering": name == mine}
            for name, held in sorted(rows)
        ]

    @property
    def backend_pid(self) -> int | None:
        """The PostgreSQL backend of its session (pg_stat_activity.pid), if open."""
        conn = self._conn
        return None if conn is None or conn.closed else conn.info.backend_pid

    def _session(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = _pg().connect(self.store, application_name=session_name(self.name))
        return self._conn

    def _lost(self) -> None:
        self._drop()
        self._back_at = time.monotonic() + self.stand_back

    def _still_held(self) -> bool:
        try:
            with self.fenced():
                return True
        except LockLost:
            return False

    def _drop(self) -> None:
        self._held = False
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing a broken session
                pass

    def release(self) -> None:
        """Unlocks before closing, so a standby can take over at once (closing
        alone frees the lock only once the server has ended the session)."""
        with self._mutex:
            if self._held and self._conn is not None:
                try:
                    self._conn.execute("SELECT pg_advisory_unlock_all()")
                except Exception:  # noqa: BLE001 - the session is gone, and the lock with it
                    pass
            self._drop()


def session_name(lock_name: str) -> str:
    """`<lock>:<host>:<pid>`: which process, on which machine, holds or awaits
    the lock. The pid comes last (PostgreSQL keeps 63 characters: the host is cut)."""
    return f"{lock_name}:{process_name(63 - len(lock_name) - 1)}"


def process_name(room: int = 63) -> str:
    """`<host>:<pid>`, in at most `room` characters (the host is cut)."""
    pid = str(os.getpid())
    return f"{socket.gethostname()[: max(room - len(pid) - 1, 0)]}:{pid}"


def _pg() -> Any:
    from shared import pg  # psycopg only once a lock is taken (after PSYCOPG_WAIT_FUNC is set)

    return pg


# Each session named for the lock, and whether it holds an advisory lock.
SESSIONS = (
    "SELECT a.application_name, EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid "
    "AND l.locktype = 'advisory' AND l.granted) FROM pg_stat_activity a WHERE a.application_name LIKE %s"
)

# Does this session hold the advisory lock named %s? (A bigint key is classid:objid.)
HELD = (
    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted "
    "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(%s, 0)"
)


def relay_lock(store: StoreSettings, service: str, stand_back: float = 0.0) -> FileLock | AdvisoryLock:
    if store.kind == "sqlite":
        return FileLock(store.data_dir / f"{service}.relay.lock")
    return AdvisoryLock(store, relay_lock_name(store, service), stand_back)


def relay_lock_name(store: StoreSettings, service: str) -> str:
    return f"relay:{store.schema_for(service)}"
