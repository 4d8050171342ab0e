"""Event-store factory: one eventsourcing Application per service, in its own
PostgreSQL schema or SQLite file, with append-only event tables, call metadata
stamped on every stored event, and tracking for exactly-once consumers."""

from __future__ import annotations

import contextvars
import copy
import hashlib
import hmac
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Notification,
    ProcessRecorder,
    Recording,
    StoredEvent,
    Tracking,
    Transcoder,
    Transcoding,
)

from shared.clock import programme_today
from shared.config import StoreSettings, require_production_store_keys
from shared.context import CallMeta, acting_as, current_meta
from shared.errors import ConcurrentChange, NotFound
from shared.event_mac import MacMapper
from shared.group_commit import GroupCommit

if TYPE_CHECKING:
    from shared.nameko_deps import ServiceStore

META_KEY = "__meta__"
EVENT_MAC_KEY = "EVENT_MAC_KEY"


class MetadataTranscoder(Transcoder):
    """Adds who/why/what-caused to each encoded event; strips it on decode so
    domain events stay pure. `decode_with_meta` gives auditors both."""

    def __init__(self, inner: Transcoder):
        self.inner = inner

    def encode(self, obj: Any) -> bytes:
        if isinstance(obj, dict):
            obj = {**obj, META_KEY: current_meta().as_dict()}
        return self.inner.encode(obj)

    def decode(self, data: bytes) -> Any:
        obj = self.inner.decode(data)
        if isinstance(obj, dict):
            obj.pop(META_KEY, None)
        return obj

    def decode_with_meta(self, data: bytes) -> Any:
        return self.inner.decode(data)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


T = TypeVar("T")
ATTEMPTS = 3


class StagedSave:
    """The events one command saved, held back so that they are recorded in one
    transaction with the command's outcome (shared/commands.py); or those of a
    run of consumed events, recorded with one tracking row (shared/consumer.py).

    Staged `within` another, it reads what the other holds back too, and is
    added to it only if its work succeeds. `checks_store=False` skips the early
    check that a version is not taken yet: the commit refuses it anyway, and a
    consumer that loses a race applies the run again event by event."""

    def __init__(self, app: ServiceApplication, within: StagedSave | None = None, checks_store: bool = True):
        self.app = app
        self.within = within
        self.checks_store = checks_store
        self.processing: ProcessingEvent[UUID] = ProcessingEvent()
        # Who each event is recorded as acting for (None: whoever commits).
        self.metas: list[CallMeta | None] = []

    def add(self, more: ProcessingEvent[UUID], meta: CallMeta | None = None) -> None:
        self.processing.events.extend(more.events)
        self.metas.extend([meta] * len(more.events))
        self.processing.aggregates.update(more.aggregates)
        self.processing.saved_kwargs.update(more.saved_kwargs)

    def held(self, record_id: Any) -> Any:
        found = self.processing.aggregates.get(record_id)
        if found is None and self.within is not None:
            return self.within.held(record_id)
        return found

    def staged_versions(self) -> set[tuple[UUID, int]]:
        own = {(e.originator_id, e.originator_version) for e in self.processing.events}
        return (own | self.within.staged_versions()) if self.within is not None else own


_staging: contextvars.ContextVar[StagedSave | None] = contextvars.ContextVar("staged_save", default=None)


class ServiceApplication(Application[UUID]):
    """Base class for each service's application, with the helpers every use
    case needs: load or find a record by kind, save all-or-nothing, and redo a
    change that lost a race.

    `public_events` maps a stored domain event to (integration event type,
    payload), or None when the event stays private; the relay publishes it.
    `clock` gives today's date on the programme's calendar (tests replace it)."""

    public_events: Callable[[Any], tuple[str, dict[str, Any]] | None] | None = None
    clock: Callable[[], date] = staticmethod(programme_today)

    def __init__(self, env: dict[str, str] | None = None):
        self._save_listeners: list[Callable[[], None]] = []
        super().__init__(env)

    recorder: ProcessRecorder
    # Set by shared.nameko_deps.ServiceStore at container setup: service-level
    # RPCs (health, audit) reach the relay, sealer and feeds through it.
    plumbing: ServiceStore

    def construct_recorder(self) -> ProcessRecorder:
        # A process recorder stores tracking rows in the same transaction as
        # events; guarded, it can also check where the feed stood (a run of events).
        from shared.tracking_guard import guarded_recorder

        return guarded_recorder(self.factory)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_transcoder(self) -> Transcoder:
        return MetadataTranscoder(super().construct_transcoder())

    def construct_mapper(self) -> MacMapper:
        # Signs each stored event with EVENT_MAC_KEY (shared/event_mac.py).
        mapper = self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=MacMapper)
        assert isinstance(mapper, MacMapper)
        mapper.mac_key = self.mac_key
        return mapper

    @property
    def mac_key(self) -> bytes:
        return str(self.env.get(EVENT_MAC_KEY) or "").encode()

    # -- records -------------------------------------------------------------

    def find(self, kind: type[T], record_id: Any, version: int | None = None) -> T | None:
        """The record of this kind with this id (at `version`), or None. Inside
        `staged()`, a record the command has saved is read as saved."""
        found: Any = self._held_back(record_id) if version is None else None
        if found is None:
            try:
                found = self.repository.get(record_id, version=version)
            except AggregateNotFoundError:
                return None
        return found if isinstance(found, kind) else None

    def _held_back(self, record_id: Any) -> Any:
        staged = _staging.get()
        if staged is None or staged.app is not self:
            return None
        held = staged.held(record_id)
        # A copy: a change the command then abandons must not leak into what it staged.
        return None if held is None else copy.deepcopy(held)

    def load(self, kind: type[T], record_id: Any, not_found: type[NotFound], version: int | None = None) -> T:
        """The record of this kind with this id, or `not_found(record_id)`: a
        record of another kind under that id is not found either."""
        found = self.find(kind, record_id, version)
        if found is None:
            raise not_found(record_id)
        return found

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Record the aggregates' new events; inside `staged()` hold them back
        until `commit`, refusing at once (IntegrityError) what is already taken."""
        staged = _staging.get()
        if staged is None or staged.app is not self:
            return super().save(*objs, **kwargs)
        pending: ProcessingEvent[UUID] = ProcessingEvent()
        pending.collect_events(*objs, **kwargs)
        if staged.checks_store:
            self._refuse_taken_versions(pending, staged)
        staged.add(pending)
        return []

    def _refuse_taken_versions(self, pending: ProcessingEvent[UUID], staged: StagedSave) -> None:
        """What the recorder would refuse at commit, checked now, so a use case
        that handles a lost race (retrying, save_or_conflict) sees it where it
        saves. A race after this check fails the commit; the command then runs
        again and sees the winner here."""
        first: dict[UUID, int] = {}
        for e in pending.events:
            first[e.originator_id] = min(e.originator_version, first.get(e.originator_id, e.originator_version))
        already = staged.staged_versions()
        for originator_id, version in first.items():
            if (originator_id, version) in already or self.recorder.select_events(
                originator_id, gt=version - 1, lte=version, limit=1
            ):
                raise IntegrityError(f"{originator_id} version {version} is already recorded")

    @contextmanager
    def staged(self, within: StagedSave | None = None, checks_store: bool = True) -> Iterator[StagedSave]:
        """Within this block, saves are held back for `commit` (one transaction)."""
        staged = StagedSave(self, within, checks_store)
        token = _staging.set(staged)
        try:
            yield staged
        finally:
            _staging.reset(token)

    def commit(self, staged: StagedSave, *objs: Any) -> list[Recording[UUID]]:
        """Record what was staged and `objs` in one transaction (IntegrityError if
        any of it lost a race: then nothing is recorded)."""
        processing = staged.processing
        processing.collect_events(*objs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def save_grouped(self, *records: Any) -> None:
        """Record new records together with those other workers of this process
        are saving the same way at the same moment: one transaction for the
        group (shared/group_commit.py). Returns once these are committed, as
        `save` does; each event is encoded here, so it carries this caller's
        who/why and MAC. For records written once and never changed (a read in
        the access log): no snapshots, no repository cache. Inside `staged()`
        it is an ordinary save, held back with the rest."""
        staged = _staging.get()
        if staged is not None and staged.app is self:
            self.save(*records)
            return
        pending: ProcessingEvent[UUID] = ProcessingEvent()
        pending.collect_events(*records)
        stored = [self.mapper.to_stored_event(e) for e in pending.events]
        self._grouped_saves.submit(list(zip(pending.events, stored, strict=True)))

    @property
    def _grouped_saves(self) -> GroupCommit[list[tuple[Any, StoredEvent]]]:
        found = self.__dict__.get("_group_commit")
        if found is None:
            found = self.__dict__.setdefault("_group_commit", GroupCommit(self._record_group))
        return found  # type: ignore[no-any-return]

    def _record_group(self, group: Sequence[list[tuple[Any, StoredEvent]]]) -> None:
        pairs = [pair for handed in group for pair in handed]
        ids = self.recorder.insert_events([s for _, s in pairs])
        if ids:
            self._notify(
                [
                    Recording(d, Notification(s.originator_id, s.originator_version, s.topic, s.state, n))
                    for (d, s), n in zip(pairs, ids, strict=True)
                ]
            )

    def save_or_conflict(self, *aggregates: Any, record: Any = None) -> list[Recording[UUID]]:
        """Save all or nothing; if another request saved any of them first,
        nothing is saved and ConcurrentChange names `record` (by default the
        first aggregate's id)."""
        try:
            return self.save(*aggregates)
        except IntegrityError:
            raise ConcurrentChange(record if record is not None else aggregates[0].id) from None

    def retrying(self, record: Any, attempt: Callable[[], tuple[T, Sequence[Any]]], attempts: int = ATTEMPTS) -> T:
        """Run `attempt` (load, check, change: it returns the answer and what to
        save) and save; if another request saved first, run it again on the new
        state, so its checks see what won. ConcurrentChange after `attempts` tries."""
        for _ in range(attempts):
            answer, changed = attempt()
            try:
                self.save(*changed)
            except IntegrityError:
                continue
            return answer
        raise ConcurrentChange(record)

    # -- plumbing ------------------------------------------------------------

    def add_save_listener(self, listener: Callable[[], None]) -> None:
        self._save_listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        super()._notify(recordings)
        for listener in self._save_listeners:
            listener()

    def save_tracked(self, tracking: Tracking, *objs: Any) -> list[Recording[UUID]]:
        """Save new events and a tracking row atomically; raises IntegrityError
        if this tracking position was already recorded (a duplicate)."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent(tracking)
        processing_event.collect_events(*objs)
        recordings = self._record(processing_event)
        self._notify(recordings)
        return recordings

    def save_run(self, staged: StagedSave, tracking: Tracking, tracked_from: int) -> list[Recording[UUID]]:
        """Record what was staged for a run of consumed events with one tracking
        row, only if the feed still stands at `tracked_from` (else IntegrityError,
        and nothing is recorded): shared/tracking_guard.py."""
        from shared.tracking_guard import TRACKING_FROM

        processing = staged.processing
        events = processing.events
        stored = []
        for domain_event, meta in zip(events, staged.metas, strict=True):
            if meta is None:
                stored.append(self.mapper.to_stored_event(domain_event))
                continue
            with acting_as(meta):  # each effect carries the cause it came from
                stored.append(self.mapper.to_stored_event(domain_event))
        ids = self.recorder.insert_events(stored, tracking=tracking, **{TRACKING_FROM: tracked_from})
        recordings = (
            [
                Recording(d, Notification(s.originator_id, s.originator_version, s.topic, s.state, n))
                for d, s, n in zip(events, stored, ids, strict=True)
            ]
            if ids
            else []
        )
        if self.repository.cache and not self.repository.fastforward:
            for aggregate_id, aggregate in processing.aggregates.items():
                self.repository.cache.put(aggregate_id, aggregate)
        self._take_snapshots(processing)
        if recordings:  # a run with no effects (or a scanned position) wakes no relay
            self._notify(recordings)
        return recordings

    def record_position(self, tracking: Tracking, cursor: Any = None) -> None:
        """Record how far a follower of this log got (the relay's positions).
        With a cursor, in that cursor's transaction (PostgreSQL: the relay
        lock's own session, shared/locks.py); raises IntegrityError if the
        position is not past the one recorded."""
        if cursor is None:
            self.recorder.insert_tracking(tracking)
            return
        # eventsourcing's own statement (its table and its rules), on another transaction.
        recorder: Any = self.recorder
        cursor.execute(
            recorder.insert_tracking_statement,
            {"application_name": tracking.application_name, "notification_id": tracking.notification_id},
        )
        if recorder.datastore.single_row_tracking and cursor.fetchone() is None:
            raise IntegrityError(f"{tracking.application_name} is already at or past {tracking.notification_id}")

    def tracked_position(self, upstream: str) -> int:
        return self.recorder.max_tracking_id(upstream) or 0

    def head_position(self) -> int:
        return self.recorder.max_notification_id() or 0


TApp = TypeVar("TApp", bound=ServiceApplication)


def check_psycopg_does_not_block() -> None:
    """Refuse to run if psycopg chose its C wait function (it stalls eventlet)."""
    import psycopg.waiting

    if getattr(psycopg.waiting.wait, "__name__", "") == "wait_c":
        raise RuntimeError(
            "psycopg was imported with its C wait function, which blocks the "
            "eventlet hub; set PSYCOPG_WAIT_FUNC=wait_select before it is imported"
        )


def application_env(service: str, store: StoreSettings) -> dict[str, str]:
    if store.kind == "sqlite":
        store.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(store.sqlite_path_for(service)),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    else:
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": store.postgres_dbname,
            "POSTGRES_HOST": store.postgres_host,
            "POSTGRES_PORT": str(store.postgres_port),
            "POSTGRES_USER": store.postgres_user,
            "POSTGRES_PASSWORD": store.postgres_password,
            "POSTGRES_SCHEMA": store.schema_for(service),
            "POSTGRES_POOL_SIZE": str(store.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(store.max_overflow),
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_CONNECT_TIMEOUT": "5",
        }
    if store.cipher_key:
        env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
        env["CIPHER_KEY"] = store.cipher_key
    if store.event_mac_key:
        env[EVENT_MAC_KEY] = store.event_mac_key
    claim_key = claim_key_for(store)
    if claim_key:
        env[CLAIM_KEY] = claim_key
    return env


CLAIM_KEY = "CLAIM_KEY"


def claim_key_for(store: StoreSettings) -> str:
    """The key of claim ids derived from ID numbers: CLAIM_KEY, else one derived
    from CIPHER_KEY (so an encrypted store needs no further secret), else none."""
    if store.claim_key:
        return store.claim_key
    if store.cipher_key:
        return hmac.new(store.cipher_key.encode(), b"registry claim ids", hashlib.sha256).hexdigest()
    return ""


def open_application(app_class: type[TApp], store: StoreSettings) -> TApp:
    """Open (creating if needed) the service's store: events, tracking and audit
    seals, with the event and seal tables made append-only."""
    from shared.audit.seals import SIGNING_TABLE as SIGNING
    from shared.audit.seals import TABLE as SEALS
    from shared.feed_ledger import ledger_of

    require_production_store_keys(store)
    service = app_class.name
    env = application_env(service, store)
    if store.kind == "sqlite":
        app = app_class(env=env)
        _prepare_audit_tables(app, store)
        ledger_of(app).create_tables()
        _make_sqlite_append_only(store.sqlite_path_for(service), ("stored_events", SEALS, SIGNING))
        return app
    check_psycopg_does_not_block()
    from shared import pg

    schema = store.schema_for(service)
    with pg.connect(store) as conn, pg.session_lock(conn, f"ddl:{schema}"):
        pg.create_schema(conn, schema)
        app = app_class(env=env)
        _prepare_audit_tables(app, store)
        ledger_of(app).create_tables()
        for table in (f"{service}_events", SEALS, SIGNING):
            pg.make_append_only(conn, schema, table)
    return app


def _prepare_audit_tables(app: ServiceApplication, store: StoreSettings) -> None:
    from shared.audit.seals import SealStore

    seals = SealStore(app, store)
    seals.create_table()
    if app.mac_key:
        seals.begin_signing(app.head_position() + 1)


def open_existing(service: str, store: StoreSettings, app_class: type[TApp] | None = None) -> TApp:
    """Open a service's store read-only-ish for tools (audit): creates nothing."""
    cls: type[Any] = app_class or type(f"{service.capitalize()}Log", (ServiceApplication,), {"name": service})
    if store.kind == "sqlite" and not store.sqlite_path_for(service).exists():
        raise FileNotFoundError(f"no event store for {service} at {store.sqlite_path_for(service)}")
    if store.kind == "postgres":
        check_psycopg_does_not_block()
    opened: TApp = cls(env={**application_env(service, store), "CREATE_TABLE": "no"})
    return opened


def _make_sqlite_append_only(path: Path, tables: Sequence[str]) -> None:
    conn = sqlite3.connect(str(path), timeout=10)
    try:
        for table in tables:
            for op in ("UPDATE", "DELETE"):
                conn.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} "
                    f"BEFORE {op} ON {table} BEGIN "
                    f"SELECT RAISE(ABORT, 'table {table} is append-only: {op} refused'); END"
                )
        conn.commit()
    finally:
        conn.close()
