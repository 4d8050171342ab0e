"""Group commit: what concurrent callers each need written, written together.

A caller hands in its item and returns only once that item is committed (or
raises the error of the write that carried it), exactly as if it had written
it alone. The first caller to find no write under way writes what is waiting,
its own item included; callers that arrive while it writes wait, and the first
of them to get the turn writes all of theirs in one go. Nothing waits on a
timer: under no concurrency every item is written at once by its own caller,
under load one transaction (one table lock, one commit) serves a whole group.

Used for the gateway's access log (services/gateway/use_cases/access_log.py):
every read of a child's file must be recorded before it is answered, and
recording them one transaction each made the table lock the readers' queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

# At most this many items in one write; the rest wait for the next.
DEFAULT_LIMIT = 200


class _Handed(Generic[T]):
    __slots__ = ("item", "done", "error")

    def __init__(self, item: T):
        self.item = item
        self.done = False
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[Sequence[T]], None], limit: int = DEFAULT_LIMIT):
        self._write = write
        self._limit = limit
        self._turn = threading.Lock()  # held by the caller writing a group
        self._queue_lock = threading.Lock()
        self._waiting: list[_Handed[T]] = []

    def waiting(self) -> int:
        """How many items wait for a write (for tests and metrics)."""
        with self._queue_lock:
            return len(self._waiting)

    def submit(self, item: T) -> None:
        """Write `item` (with whatever else waits); returns once it is committed."""
        handed = _Handed(item)
        with self._queue_lock:
            self._waiting.append(handed)
        while not handed.done:
            with self._turn:
                if handed.done:
                    break  # an earlier writer took it along
                with self._queue_lock:
                    group, self._waiting = self._waiting[: self._limit], self._waiting[self._limit :]
                error: BaseException | None = None
                try:
                    self._write([h.item for h in group])
                except Exception as failed:  # noqa: BLE001 - handed to every caller of the group
                    error = failed
                except BaseException:
                    # This caller was interrupted mid-write (its deadline, a kill):
                    # whether the group was committed is unknown, so the others
                    # fail as if their own write had been cut off.
                    for member in group:
                        if member is not handed:
                            member.error = GroupWriteInterrupted("the write that carried this item was interrupted")
                            member.done = True
                    raise
                for member in group:
                    member.error = error
                    member.done = True
        if handed.error is not None:
            raise handed.error


class GroupWriteInterrupted(RuntimeError):
    """The caller writing this item's group was interrupted before it knew
    whether the group was committed."""
