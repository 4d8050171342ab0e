"""The quarterly-report fold kept in casework's store: a restarted application
folds from the nearest stored copy and gives byte-identical reports; a copy
that was altered in the store is detected and ignored (DESIGN.md §7)."""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.casework.application import CaseworkApplication
from services.casework.domain.reports import QuarterlyFold
from services.casework.domain.roster import RosterChild
from services.casework.use_cases import reports as report_queries
from shared.config import load_store_settings
from shared.eventstore import open_application
from shared.jsonable import jsonable
from shared.report_reference import content_hash
from tests.support.casework import OTHER, TODAY, C, scenario


@pytest.fixture(params=("sqlite", "postgres"))
def store(request, tmp_path):
    """A store that outlives an application (the in-memory one does not)."""
    if request.param == "sqlite":
        return replace(load_store_settings(), kind="sqlite", data_dir=tmp_path / "data")
    return request.getfixturevalue("pg_store")


@pytest.fixture
def open_app(store):
    opened = []

    def make() -> CaseworkApplication:
        app = open_application(CaseworkApplication, store)
        app.clock = lambda: TODAY
        opened.append(app)
        return app

    yield make
    for app in opened:
        app.close()


@pytest.fixture(autouse=True)
def small_steps(monkeypatch):
    monkeypatch.setattr(report_queries, "CHECKPOINT_EVERY", 16)
    monkeypatch.setattr(report_queries, "LOOK_IN_STORE_AFTER", 1)


def from_zero(app: CaseworkApplication, contract, position: int) -> dict:
    report = jsonable(app.fold_log(QuarterlyFold(app.contact_cadence), position).report(contract, 2025, 3))
    report["content_hash"] = content_hash(report)
    return report


def started_folds(app: CaseworkApplication, monkeypatch) -> list[int]:
    """The positions the application's folds start from, as it folds."""
    starts: list[int] = []
    original = app.fold_log

    def spy(fold, position):
        starts.append(fold.position)
        return original(fold, position)

    monkeypatch.setattr(app, "fold_log", spy)
    return starts


def same_bytes(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True, ensure_ascii=False)


def test_a_restart_folds_from_the_stored_copy_and_gives_the_same_report(open_app, monkeypatch):
    first = open_app()
    scenario(first)
    head = first.head_position()
    assert head > 48
    before = first.quarterly_report(C, 2025, 3)
    assert first.report_checkpoints.positions() == list(range(16, head + 1, 16))

    second = open_app()
    starts = started_folds(second, monkeypatch)
    after = second.quarterly_report(C, 2025, 3)
    assert starts == [head - head % 16] if head % 16 else starts == []  # only the rest of the log
    assert same_bytes(after, before)
    assert same_bytes(after, from_zero(second, C, head))
    for position in sorted({1, 15, 16, 17, 33, head // 2, head - 1}):
        third = open_app()  # a process that has folded nothing yet
        for contract in (C, OTHER):
            got = third.quarterly_report(contract, 2025, 3, as_of_position=position)
            assert same_bytes(got, from_zero(third, contract, position)), position
            assert got["as_of_position"] == position


def test_an_earlier_position_after_a_restart_starts_from_the_nearest_stored_copy(open_app, monkeypatch):
    first = open_app()
    scenario(first)
    first.warm_reports()
    second = open_app()
    second.warm_reports()  # the kept fold is at the head; asking earlier needs a copy
    starts = started_folds(second, monkeypatch)
    got = second.quarterly_report(C, 2025, 3, as_of_position=40)
    assert starts == [32]
    assert same_bytes(got, from_zero(second, C, 40))


def tamper(app: CaseworkApplication, sql: str, *args) -> None:
    checkpoints = app.report_checkpoints
    with checkpoints._cursor(commit=True) as cursor:
        cursor.execute(checkpoints._sql(sql.format(table=checkpoints.table)), args)


def test_an_altered_copy_is_ignored_and_the_fold_starts_from_zero(open_app, monkeypatch):
    first = open_app()
    scenario(first)
    head = first.head_position()
    honest = first.quarterly_report(C, 2025, 3, as_of_position=20)
    # Someone with database access makes every copy say one more session was held.
    for position in first.report_checkpoints.positions():
        (_, state) = first.report_checkpoints.nearest(position - 1, position)
        fold = pickle.loads(state)
        for bucket in fold.buckets.values():
            bucket.cases["sessions"] += 1
        tamper(first, "UPDATE {table} SET state = ? WHERE position = ?", pickle.dumps(fold), position)

    second = open_app()
    starts = started_folds(second, monkeypatch)
    got = second.quarterly_report(C, 2025, 3, as_of_position=20)
    assert starts[0] == 0  # in steps of CHECKPOINT_EVERY from zero
    assert same_bytes(got, honest)
    assert same_bytes(second.quarterly_report(C, 2025, 3), from_zero(second, C, head))


def test_a_copy_moved_to_another_position_is_ignored(open_app, monkeypatch):
    first = open_app()
    scenario(first)
    first.warm_reports()
    # The copy at 16 offered as covering 32 (32's own copy removed).
    tamper(first, "DELETE FROM {table} WHERE position >= ?", 32)
    tamper(first, "UPDATE {table} SET position = ? WHERE position = ?", 32, 16)

    second = open_app()
    starts = started_folds(second, monkeypatch)
    got = second.quarterly_report(C, 2025, 3, as_of_position=40)
    assert starts[0] == 0  # in steps of CHECKPOINT_EVERY from zero
    assert same_bytes(got, from_zero(second, C, 40))


def test_a_copy_made_under_another_cadence_is_not_used(open_app, monkeypatch):
    first = open_app()
    scenario(first)
    first.warm_reports()
    monkeypatch.setenv("CONTACT_CADENCE_DAYS", "3,20,60")
    second = open_app()
    assert second.contact_cadence != first.contact_cadence
    assert second.report_checkpoints.positions() == []
    starts = started_folds(second, monkeypatch)
    second.quarterly_report(C, 2025, 3, as_of_position=40)
    assert starts[0] == 0  # in steps of CHECKPOINT_EVERY from zero


def test_the_warmer_stores_a_copy_at_the_head_and_keeps_only_the_latest(open_app, monkeypatch):
    monkeypatch.setattr(report_queries, "LATEST_EVERY", 1)
    first = open_app()
    scenario(first)
    head = first.head_position()
    assert head % 16, "the head is not a multiple of CHECKPOINT_EVERY here"
    assert first.warm_reports() == head
    multiples = list(range(16, head + 1, 16))
    assert first.report_checkpoints.positions() == [*multiples, head]
    first.save(  # one more child, enrolled after the copy at the head
        RosterChild(
            child_id=uuid.uuid4(),
            name="新儿童",
            date_of_birth=date(2016, 5, 1),
            town="滨河镇",
            village="新北村",
            categories=["left_behind"],
            registered_on=date(2025, 8, 1),
        )
    )
    later = first.head_position()
    assert first.warm_reports() == later
    assert first.report_checkpoints.positions() == [*range(16, later + 1, 16), later]  # the copy at head went

    second = open_app()
    starts = started_folds(second, monkeypatch)
    got = second.quarterly_report(C, 2025, 3)
    assert starts == []  # nothing left to fold
    assert same_bytes(got, from_zero(second, C, later))
    assert same_bytes(got, first.quarterly_report(C, 2025, 3))


def test_copies_signed_without_the_services_key_are_not_used(open_app, monkeypatch):
    """A forger with database access but not the key can recompute a plain hash,
    not the MAC: copies written under another key (here none) are passed over."""
    first = open_app()
    scenario(first)
    first.warm_reports()
    second = open_app()
    checkpoints = second.report_checkpoints
    checkpoints._key = hmac.new(b"the service's own key", b"casework report checkpoints", hashlib.sha256).digest()
    assert checkpoints.nearest(0, first.head_position()) is None
    starts = started_folds(second, monkeypatch)
    got = second.quarterly_report(C, 2025, 3, as_of_position=40)
    assert starts[0] == 0
    assert same_bytes(got, from_zero(second, C, 40))
