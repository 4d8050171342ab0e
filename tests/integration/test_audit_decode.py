"""A full replay decodes the log a page at a time (shared/audit/decode.py) into
the same domain events, field for field, as the eventsourcing mapper decodes
each stored event on its own; signed or not, encrypted or not, on PostgreSQL
and SQLite. A row that does not decode fails with the mapper's own error."""

import base64
import uuid
from dataclasses import replace

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import MapperDeserialisationError

from shared import pg
from shared.audit.decode import log_events
from shared.eventstore import ServiceApplication, open_application

MAC_KEY = "event-mac-key-for-tests-0123456789abcdef"
CIPHER_KEY = base64.b64encode(bytes(range(32))).decode()


class Ledger(Aggregate):
    @event("Opened")
    def __init__(self, holder: str):
        self.holder = holder
        self.balance_fen = 0

    @event("Posted")
    def post(self, amount_fen: int, memo: str):
        self.balance_fen += amount_fen


class LedgerApp(ServiceApplication):
    name = "finance"


def fill(app, ledgers: int = 7, posts: int = 4) -> list[uuid.UUID]:
    ids = []
    for n in range(ledgers):
        ledger = Ledger(holder=f"机构{n}")
        for k in range(posts):
            ledger.post(amount_fen=100 + k, memo="拨付")
        app.save(ledger)
        ids.append(ledger.id)
    return ids


def one_by_one(app):
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(start=1, limit=10_000)]


def same_events(app):
    paged = list(log_events(app, batch=6))  # pages that split aggregates
    single = one_by_one(app)
    assert len(paged) == len(single) == 35
    for a, b in zip(paged, single, strict=True):
        assert type(a) is type(b) and vars(a) == vars(b)
    return paged


@pytest.mark.parametrize("keys", [{}, {"event_mac_key": MAC_KEY}, {"event_mac_key": MAC_KEY, "cipher_key": CIPHER_KEY}])
def test_paged_replay_decodes_as_the_mapper_does_on_postgres(pg_store, keys):
    app = open_application(LedgerApp, replace(pg_store, **keys))
    try:
        ids = fill(app)
        paged = same_events(app)
        rebuilt: dict = {}
        for domain_event in paged:
            rebuilt[domain_event.originator_id] = domain_event.mutate(rebuilt.get(domain_event.originator_id))
        assert rebuilt[ids[3]].balance_fen == app.repository.get(ids[3]).balance_fen == 406
        assert list(log_events(app, after=30)) and len(list(log_events(app, after=30))) == 5
    finally:
        app.close()


def test_paged_replay_decodes_as_the_mapper_does_on_sqlite(sqlite_store):
    app = open_application(LedgerApp, replace(sqlite_store, event_mac_key=MAC_KEY))
    try:
        fill(app)
        same_events(app)
    finally:
        app.close()


def test_a_row_that_does_not_decode_fails_with_the_mappers_error(pg_store):
    app = open_application(LedgerApp, pg_store)
    try:
        fill(app)
        table = f'"{pg_store.schema_for("finance")}".finance_events'
        with pg.connect(pg_store) as conn:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            conn.execute(f"UPDATE {table} SET state = 'not json'::bytea WHERE notification_id = 9")
        with pytest.raises(MapperDeserialisationError):
            list(log_events(app))
    finally:
        app.close()
