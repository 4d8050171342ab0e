"""Process recorders whose tracking write can also check where the feed stood.

eventsourcing records one tracking row (upstream, notification id) with a
transaction's events and refuses it unless the id is above the one on record.
That is enough for one event per transaction: nobody records a position
without having recorded (or seen recorded) every one before it. A transaction
that applies a run of events m..n and records n needs more: it must also find
the feed still at m-1, or a replica that applied one of m..n meanwhile would
see it applied twice. Pass `tracking_from=m-1` beside the tracking row (through
`ProcessingEvent.saved_kwargs`) and these recorders refuse the transaction with
`IntegrityError` unless the row on record says m-1, read under a row lock.

The row must exist for the lock to mean anything: `ensure_tracking_row` writes
a 0 for a feed that has none yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, ProcessRecorder, StoredEvent, Tracking
from eventsourcing.popo import POPOFactory, POPOProcessRecorder
from eventsourcing.postgres import PostgresProcessRecorder
from eventsourcing.sqlite import SQLiteProcessRecorder
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier

TRACKING_FROM = "tracking_from"


def _check(tracking: Tracking | None, expected: int | None, found: int | None) -> None:
    if tracking is None or expected is None:
        return
    if (found or 0) != expected:
        raise IntegrityError(
            f"{tracking.application_name} is at {found or 0}, not {expected}: "
            f"a run up to {tracking.notification_id} was applied elsewhere meanwhile"
        )


class GuardedPostgresProcessRecorder(PostgresProcessRecorder):
    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        tracking: Tracking | None = kwargs.get("tracking")
        expected = kwargs.get(TRACKING_FROM)
        if tracking is not None and expected is not None:
            curs.execute(
                SQL("SELECT notification_id FROM {0}.{1} WHERE application_name = %s FOR UPDATE").format(
                    Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
                ),
                (tracking.application_name,),
            )
            row = curs.fetchone()
            _check(tracking, expected, None if row is None else row["notification_id"])
        super()._insert_events(curs, stored_events, **kwargs)


class GuardedSQLiteProcessRecorder(SQLiteProcessRecorder):
    # SQLite runs one writing transaction at a time; the read inside it is enough.
    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        tracking: Tracking | None = kwargs.get("tracking")
        expected = kwargs.get(TRACKING_FROM)
        if tracking is not None and expected is not None:
            c.execute(self.select_max_tracking_id_statement, (tracking.application_name,))
            row = c.fetchone()
            _check(tracking, expected, None if row is None else row[0])
        return super()._insert_events(c, stored_events, **kwargs)


class GuardedPOPOProcessRecorder(POPOProcessRecorder):
    # Called under the recorder's lock, before anything is written.
    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        tracking: Tracking | None = kwargs.get("tracking")
        if tracking is not None:
            _check(tracking, kwargs.get(TRACKING_FROM), self._max_tracking_ids[tracking.application_name])
        super()._assert_uniqueness(stored_events, **kwargs)


GUARDED: dict[type[ProcessRecorder], type[ProcessRecorder]] = {
    PostgresProcessRecorder: GuardedPostgresProcessRecorder,
    SQLiteProcessRecorder: GuardedSQLiteProcessRecorder,
    POPOProcessRecorder: GuardedPOPOProcessRecorder,
}


def guarded_recorder(factory: Any) -> ProcessRecorder:
    """The factory's process recorder, guarded (see the module's docstring)."""
    if isinstance(factory, POPOFactory):
        return GuardedPOPOProcessRecorder()
    guarded = GUARDED.get(getattr(type(factory), "process_recorder_class", None))  # type: ignore[arg-type]
    if guarded is not None and not factory.env.get(factory.PROCESS_RECORDER_TOPIC):
        factory.env[factory.PROCESS_RECORDER_TOPIC] = get_topic(guarded)
    recorder: ProcessRecorder = factory.process_recorder()
    return recorder


def ensure_tracking_row(recorder: ProcessRecorder, name: str) -> None:
    """Write position 0 for a feed with no tracking row yet (no-op otherwise)."""
    if recorder.max_tracking_id(name) is not None:
        return
    try:
        recorder.insert_tracking(Tracking(name, 0))
    except IntegrityError:
        pass  # written meanwhile by another replica
