"""Read the next page while this one is worked on: a long scan (audit verify)
otherwise waits for each query in turn, hashing nothing meanwhile. The pages
come from a thread (a green thread where eventlet patches threading) through a
small queue, in order; an error there is raised here; stopping early stops it."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_DONE = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def read_ahead(pages: Iterator[T], depth: int = 2) -> Iterator[T]:
    handed: queue.Queue[Any] = queue.Queue(depth)
    stop = threading.Event()

    def hand(item: Any) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for page in pages:
                if not hand(page):
                    return
            hand(_DONE)
        except BaseException as error:  # raised again in the reader
            hand(_Failed(error))

    reader = threading.Thread(target=run, name="audit-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = handed.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
