"""A service's whole log decoded into domain events a page at a time, for a
full replay: rows read as plain tuples, the MAC stripped, each page's JSON
decoded in one call, and each event built as the eventsourcing mapper builds
it (same topic resolution, id conversion and upcasting). A page that does not
decode as a whole is decoded row by row by the mapper itself, so a bad row
raises the mapper's own error. Replay trusts the log as `audit verify` judges
it; it checks no MAC or seal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from eventsourcing.persistence import StoredEvent, find_id_convertor
from eventsourcing.utils import resolve_topic

from shared.audit.ahead import read_ahead
from shared.audit.log import BATCH, LogReader
from shared.event_mac import MAC_BYTES, MARKER
from shared.eventstore import META_KEY, MetadataTranscoder, ServiceApplication

_MARKER_LEN = len(MARKER)
_MARKED = _MARKER_LEN + MAC_BYTES

StoredRow = tuple[int, Any, int, str, bytes]


class PageDecoder:
    def __init__(self, app: ServiceApplication):
        self.mapper: Any = app.mapper
        transcoder: Any = self.mapper.transcoder
        self.batched = isinstance(transcoder, MetadataTranscoder)
        self.decode_all: Callable[[bytes], Any] = transcoder.decode_with_meta if self.batched else transcoder.decode
        self._classes: dict[tuple[str, type], tuple[Any, int, Callable[[Any], Any]]] = {}

    def __call__(self, rows: list[StoredRow]) -> list[Any]:
        states = self._states(rows) if self.batched else None
        if states is None:
            return [self._one(row) for row in rows]
        events = []
        for (_, originator_id, version, topic, _), state in zip(rows, states, strict=True):
            cls, class_version, convert = self._class(topic, type(originator_id))
            state.pop(META_KEY, None)
            state["originator_id"] = convert(originator_id)
            state["originator_version"] = version
            from_version = state.pop("class_version", 1)
            while from_version < class_version:
                getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
                from_version += 1
            event = object.__new__(cls)
            object.__setattr__(event, "__dict__", state)
            events.append(event)
        return events

    def _states(self, rows: list[StoredRow]) -> list[dict[str, Any]] | None:
        # The MAC stripped (shared/event_mac.py `body`), without copying the unsigned.
        bodies = [
            state[_MARKED:] if state[:_MARKER_LEN] == MARKER and len(state) >= _MARKED else state for *_, state in rows
        ]
        if self.mapper.cipher:
            bodies = [self.mapper.cipher.decrypt(data) for data in bodies]
        if self.mapper.compressor:
            bodies = [self.mapper.compressor.decompress(data) for data in bodies]
        try:
            states = self.decode_all(b"[" + b",".join(bodies) + b"]")
        except Exception:  # some row does not decode: the mapper names it
            return None
        if not isinstance(states, list) or len(states) != len(rows) or not all(type(s) is dict for s in states):
            return None
        return states

    def _class(self, topic: str, id_type: type) -> tuple[Any, int, Callable[[Any], Any]]:
        found = self._classes.get((topic, id_type))
        if found is None:
            cls = resolve_topic(topic)
            found = self._classes[(topic, id_type)] = (
                cls,
                getattr(cls, "class_version", 1),
                find_id_convertor(cls, id_type),
            )
        return found

    def _one(self, row: StoredRow) -> Any:
        _, originator_id, version, topic, state = row
        stored = StoredEvent(originator_id=originator_id, originator_version=version, topic=topic, state=state)
        return self.mapper.to_domain_event(stored)


def log_events(app: ServiceApplication, after: int = 0, batch: int = BATCH) -> Iterator[Any]:
    """Every domain event after position `after`, in log order."""
    decode, reader = PageDecoder(app), LogReader(app)
    pages = reader.stored_pages(after, batch)
    # On PostgreSQL the next page is read while this one is decoded (shared/audit/ahead.py).
    for page in read_ahead(pages) if reader.tuple_rows is not None else pages:
        yield from decode(page)
