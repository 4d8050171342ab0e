"""The audit trail on real PostgreSQL: the chain detects every kind of tampering
a database administrator could attempt, anchors detect a rewound log, replay
and export work (masked unless asked otherwise), and the chain verifies without
the encryption key."""

import base64
import csv
import io
import json
import os
import subprocess
import sys
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from services.registry.application import RegistryApplication
from shared import pg
from shared.audit import replay
from shared.audit.anchor import make_anchor
from shared.audit.export import jsonl_line, page, rows, write_csv, write_jsonl
from shared.audit.sealer import Sealer
from shared.audit.seals import SealStore
from shared.audit.verify import stored_notifications, verify
from shared.eventstore import ServiceApplication, open_application, open_existing
from shared.launcher import ROOT
from tests.support.infra import store_env

KEY = b"anchor-key-for-tests"


class Note(Aggregate):
    """A stand-in aggregate: the audit trail is the same for every service."""

    @event("Written")
    def __init__(self, name: str):
        self.name = name


class TrailApp(ServiceApplication):
    name = "registry"

    def register_child(self, name: str) -> uuid.UUID:
        note = Note(name=name)
        self.save(note)
        return note.id


def child(n):
    return {"name": f"儿童{n}"}


@pytest.fixture
def registry(pg_store):
    app = open_application(TrailApp, pg_store)
    for n in range(6):
        app.register_child(**child(n))
    yield app
    app.close()


def seal_all(app, store):
    seals = SealStore(app, store)
    while Sealer(app, seals).run_once():
        pass
    return seals


def check(app, store, anchor=None):
    return verify(stored_notifications(app), SealStore(app, store).iterate(), anchor)


def as_attacker(store, *statements):
    """A database administrator bypassing the append-only triggers."""
    schema = store.schema_for("registry")
    with pg.connect(store) as conn:
        for table in ("registry_events", "audit_seals"):
            conn.execute(f'ALTER TABLE "{schema}".{table} DISABLE TRIGGER USER')
        for statement in statements:
            conn.execute(statement.format(events=f'"{schema}".registry_events', seals=f'"{schema}".audit_seals'))


def test_an_untouched_log_verifies(registry, pg_store):
    seal_all(registry, pg_store)
    result = check(registry, pg_store)
    assert result.ok and result.checked == 6 and result.unsealed == 0


def test_events_after_the_last_seal_are_unsealed_not_broken(registry, pg_store):
    seal_all(registry, pg_store)
    registry.register_child(**child(99))
    result = check(registry, pg_store)
    assert result.ok and result.unsealed == 1


def test_altered_payload_is_detected(registry, pg_store):
    seal_all(registry, pg_store)
    as_attacker(pg_store, "UPDATE {events} SET state = state || '\\x20'::bytea WHERE notification_id = 3")
    result = check(registry, pg_store)
    assert not result.ok and result.broken_at == 3 and result.reason.startswith("altered")


def test_deleted_event_is_detected(registry, pg_store):
    seal_all(registry, pg_store)
    as_attacker(pg_store, "DELETE FROM {events} WHERE notification_id = 4")
    result = check(registry, pg_store)
    assert not result.ok and result.broken_at == 4 and result.reason.startswith("deleted")


def test_inserted_event_is_detected(registry, pg_store):
    # Leave a gap in the notification ids (as rolled-back transactions do), then
    # have the attacker slip a forged event into it after sealing.
    schema = pg_store.schema_for("registry")
    with pg.connect(pg_store) as conn:
        conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{schema}\".registry_events', 'notification_id'), 20)")
    registry.register_child(**child(7))
    seal_all(registry, pg_store)
    as_attacker(
        pg_store,
        "INSERT INTO {events} (originator_id, originator_version, topic, state, notification_id) "
        f"SELECT '{uuid.uuid4()}', 1, topic, state, 10 FROM {{events}} WHERE notification_id = 1",
    )
    result = check(registry, pg_store)
    assert not result.ok and result.broken_at == 10 and result.reason.startswith("inserted")


def test_reordered_events_are_detected(registry, pg_store):
    seal_all(registry, pg_store)
    as_attacker(
        pg_store,
        "UPDATE {events} SET notification_id = -2 WHERE notification_id = 2",
        "UPDATE {events} SET notification_id = 2 WHERE notification_id = 5",
        "UPDATE {events} SET notification_id = 5 WHERE notification_id = -2",
    )
    result = check(registry, pg_store)
    assert not result.ok and result.broken_at == 2 and result.reason.startswith("reordered")


def test_log_rolled_back_to_an_earlier_state_is_detected_against_an_anchor(registry, pg_store):
    seal_all(registry, pg_store)
    head = check(registry, pg_store)
    anchor = make_anchor("registry", head.sealed_position, head.head, KEY)
    as_attacker(
        pg_store, "DELETE FROM {events} WHERE notification_id > 4", "DELETE FROM {seals} WHERE notification_id > 4"
    )
    assert check(registry, pg_store).ok  # consistent with itself...
    result = check(registry, pg_store, anchor)  # ...but not with what was anchored
    assert not result.ok and result.reason.startswith("rolled back")


def test_an_anchor_of_an_empty_log_verifies_as_the_log_grows(registry, pg_store):
    # A service with no events yet (finance before its first payment) is anchored
    # at position 0 with the genesis hash, like every other service at backup time.
    empty = verify(iter([]), iter([]))
    anchor = make_anchor("registry", empty.sealed_position, empty.head, KEY)
    assert verify(iter([]), iter([]), anchor).ok
    seal_all(registry, pg_store)
    assert check(registry, pg_store, anchor).ok


def test_chain_verifies_without_the_key_and_replay_needs_it(pg_store):
    store = replace(pg_store, cipher_key=base64.b64encode(os.urandom(32)).decode())
    app = open_application(TrailApp, store)
    child_id = app.register_child(**child(1))
    seal_all(app, store)
    keyless = open_existing("registry", replace(store, cipher_key=""), TrailApp)
    assert check(keyless, pg_store).ok
    with pytest.raises(ValueError):  # ciphertext is not JSON
        replay.history(keyless, child_id)
    assert replay.history(app, child_id)[0]["data"]["name"] == "儿童1"
    exported = list(rows(keyless, SealStore(keyless, store)))
    assert exported and exported[0]["data"] == "" and exported[0]["chain_hash"]
    app.close()


class Ledger(Aggregate):
    @event("Opened")
    def __init__(self, title: str):
        self.title = title
        self.entries = []

    @event("Posted")
    def post(self, amount_fen: int, reason: str):
        self.entries.append(amount_fen)


class LedgerApp(ServiceApplication):
    name = "finance"


def test_replay_at_a_version_and_as_of_a_moment_with_history(pg_store):
    from shared.context import CallMeta, acting_as

    app = open_application(LedgerApp, pg_store)
    ledger = Ledger(title="项目台账")
    app.save(ledger)
    with acting_as(CallMeta("fo-1", "finance_officer", correlation_id="r-9")):
        ledger.post(10000, reason="首笔拨付")
        app.save(ledger)
    ledger.post(7500, reason="第二笔")
    app.save(ledger)
    first, second, third = replay.history(app, ledger.id)
    assert [e["event"] for e in (first, second, third)] == ["Ledger.Opened", "Ledger.Posted", "Ledger.Posted"]
    assert second["actor_id"] == "fo-1" and second["correlation_id"] == "r-9"
    assert second["data"] == {"amount_fen": 10000, "reason": "首笔拨付"}
    assert replay.aggregate_state(app, ledger.id, version=2)["state"]["entries"] == [10000]
    moment = datetime.fromisoformat(second["at"]) + timedelta(microseconds=1)
    assert replay.aggregate_state(app, ledger.id, as_of=moment)["version"] == 2
    before = datetime.fromisoformat(first["at"]) - timedelta(seconds=1)
    with pytest.raises(AggregateNotFoundError):
        replay.aggregate_state(app, ledger.id, as_of=before)
    page = replay.events_between(app, after=1, limit=1)
    assert [e["position"] for e in page["items"]] == [2] and page["next_after"] == 2
    app.close()


def export_text(app, store, writer):
    out = io.StringIO()
    writer(out, rows(app, SealStore(app, store), after=2))
    return out.getvalue()


def run_offline_check(tmp_path, name, text, encoding):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_export.py"), str(path)], capture_output=True, text=True
    )


def test_exports_verify_offline_and_tampered_exports_do_not(registry, pg_store, tmp_path):
    seal_all(registry, pg_store)
    jsonl = export_text(registry, pg_store, write_jsonl)
    lines = jsonl.splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["position"] == 3
    assert "儿童" in json.loads(lines[0])["data"]
    assert run_offline_check(tmp_path, "ok.jsonl", jsonl, "utf-8").returncode == 0
    forged = json.loads(lines[1])
    forged["state_b64"] = base64.b64encode(b'{"name": "forged"}').decode()
    tampered = "\n".join([lines[0], json.dumps(forged), *lines[2:]]) + "\n"
    bad = run_offline_check(tmp_path, "bad.jsonl", tampered, "utf-8")
    assert bad.returncode == 1 and "BROKEN at position 4" in bad.stdout
    dropped = run_offline_check(tmp_path, "gap.jsonl", "\n".join([lines[0], *lines[2:]]) + "\n", "utf-8")
    assert dropped.returncode == 1
    csv_text = export_text(registry, pg_store, write_csv)
    assert run_offline_check(tmp_path, "ok.csv", csv_text, "utf-8-sig").returncode == 0
    assert (tmp_path / "ok.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(csv.DictReader(io.StringIO(csv_text)))[0]["data"].count("儿童") == 1


def audit_cli(store, *args, extra_env=None):
    env = {**os.environ, **store_env(store), "AUDIT_ANCHOR_KEY": KEY.decode(), **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "shared.audit.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_audit_command_line(registry, pg_store, tmp_path):
    seal_all(registry, pg_store)
    verified = audit_cli(pg_store, "verify", "registry")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["checked"] == 6
    anchored = audit_cli(pg_store, "anchor", "registry", "--out", str(tmp_path / "anchor.json"))
    assert anchored.returncode == 0 and json.loads((tmp_path / "anchor.json").read_text())["position"] == 6
    exported = audit_cli(pg_store, "export", "registry", "--format", "csv", "--out", str(tmp_path / "r.csv"))
    assert exported.returncode == 0 and "exported 6 events" in exported.stdout
    child_id = registry.recorder.select_notifications(start=1, limit=1)[0].originator_id
    history = audit_cli(pg_store, "history", "registry", str(child_id))
    assert history.returncode == 0 and json.loads(history.stdout)[0]["event"] == "Note.Written"
    as_attacker(pg_store, "DELETE FROM {events} WHERE notification_id = 2")
    broken = audit_cli(pg_store, "verify", "registry")
    assert broken.returncode == 1 and json.loads(broken.stdout)["broken_at"] == 2
    forged_anchor = {**json.loads((tmp_path / "anchor.json").read_text()), "position": 3}
    (tmp_path / "forged.json").write_text(json.dumps(forged_anchor))
    assert audit_cli(pg_store, "verify", "registry", "--anchor", str(tmp_path / "forged.json")).returncode == 2
    assert audit_cli(pg_store, "verify", "nosuchservice").returncode == 2
    unreachable = audit_cli(pg_store, "verify", "registry", extra_env={"POSTGRES_PORT": "1"})
    assert unreachable.returncode == 3 and "cannot read" in unreachable.stderr


# -- exports are masked unless the bureau asks for its own legal copy ---------------------------

ID_NUMBER = "640502201503040021"
MASKED_ID = "640502********0021"
FEELINGS = "夜里常哭，想念外出的父母"


def open_child_files(store):
    """The real registry: a child with an ID number and a mental-health screening,
    then a correction of that screening, and a child with neither."""
    app = open_application(RegistryApplication, store)
    app.clock = lambda: date(2025, 6, 1)
    child_id = app.register_child(
        name="李小花",
        gender="female",
        date_of_birth=date(2015, 3, 4),
        id_number=ID_NUMBER,
        town="滨河镇",
        village="新北村",
        categories=["left_behind"],
        household={
            "father": {"status": "migrant", "whereabouts": "银川市"},
            "mother": {"status": "migrant", "whereabouts": "杭州市"},
            "economic_status": "ordinary",
        },
        mental_health={"screened_on": date(2025, 5, 1), "result": "attention", "notes": FEELINGS},
    )
    app.correct_child(
        child_id,
        field="mental_health",
        reason="rescreened in May",
        value={"screened_on": date(2025, 5, 20), "result": "referral", "notes": FEELINGS + "，需转介"},
    )
    app.register_child(
        name="王小明",
        gender="male",
        date_of_birth=date(2014, 9, 1),
        id_number=None,
        town="滨河镇",
        village="新北村",
        categories=["left_behind"],
        household={
            "father": {"status": "migrant", "whereabouts": "银川市"},
            "mother": {"status": "migrant", "whereabouts": "杭州市"},
            "economic_status": "ordinary",
        },
    )
    seal_all(app, store)
    return app


@pytest.fixture
def child_files(pg_store):
    app = open_child_files(pg_store)
    yield app
    app.close()


def everything_readable(exported: list[dict]) -> str:
    """All an export reveals: its columns and the decoded stored bytes."""
    return "\n".join(
        [json.dumps(exported, ensure_ascii=False)]
        + [base64.b64decode(row["state_b64"]).decode(errors="replace") for row in exported]
    )


def by_event(exported: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in exported:
        data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
        found.setdefault(row["event"].split(".")[-1], []).append(data)
    return found


def test_exports_mask_id_numbers_and_mental_health_by_default(child_files, pg_store):
    exported = list(rows(child_files, SealStore(child_files, pg_store)))
    events = by_event(exported)
    registered = events["Registered"][0]
    assert registered["id_number"] == MASKED_ID and registered["mental_health"] is None
    assert registered["name"] == "李小花"  # the rest of the file is there
    corrected = events["Corrected"][0]
    assert corrected["field"] == "mental_health" and corrected["old"] is None and corrected["new"] is None
    assert corrected["reason"] == "rescreened in May"
    assert events["Claimed"][0]["id_number"] == MASKED_ID
    readable = everything_readable(exported)
    assert ID_NUMBER not in readable and FEELINGS not in readable and MASKED_ID in readable
    # Plain stored bytes holding those are left out; the child with neither keeps them.
    withheld = [row["event"] for row in exported if not row["state_b64"]]
    assert sorted(withheld) == ["Child.Corrected", "Child.Registered", "IdNumberClaim.Claimed"]
    assert all(row["chain_hash"] for row in exported)


def test_unmasked_exports_keep_everything_and_verify_offline(child_files, pg_store, tmp_path):
    exported = list(rows(child_files, SealStore(child_files, pg_store), unmasked=True))
    events = by_event(exported)
    assert events["Registered"][0]["id_number"] == ID_NUMBER
    assert events["Registered"][0]["mental_health"]["notes"] == FEELINGS
    assert events["Corrected"][0]["new"]["result"] == "referral"
    assert all(row["state_b64"] for row in exported)
    out = io.StringIO()
    write_jsonl(out, exported)
    assert run_offline_check(tmp_path, "full.jsonl", out.getvalue(), "utf-8").returncode == 0


def test_masked_exports_of_an_encrypted_store_keep_the_ciphertext_and_verify_offline(pg_store, tmp_path):
    store = replace(pg_store, cipher_key=base64.b64encode(os.urandom(32)).decode())
    app = open_child_files(store)
    try:
        exported = list(rows(app, SealStore(app, store)))
    finally:
        app.close()
    assert by_event(exported)["Registered"][0]["id_number"] == MASKED_ID
    assert all(row["state_b64"] for row in exported)
    assert ID_NUMBER not in json.dumps(exported, ensure_ascii=False)
    for writer, name, encoding in ((write_jsonl, "masked.jsonl", "utf-8"), (write_csv, "masked.csv", "utf-8-sig")):
        out = io.StringIO()
        writer(out, exported)
        checked = run_offline_check(tmp_path, name, out.getvalue(), encoding)
        assert checked.returncode == 0, checked.stdout


def exported_by_cli(store, tmp_path, fmt, *flags):
    path = tmp_path / f"registry{'-'.join(('', *flags))}.{fmt}"
    done = audit_cli(store, "export", "registry", "--format", fmt, "--out", str(path), *flags)
    assert done.returncode == 0, done.stderr
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with open(path, encoding=encoding, newline="") as f:
        exported = list(csv.DictReader(f)) if fmt == "csv" else [json.loads(line) for line in f]
    return done, exported


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_export_command_masks_unless_told_unmasked(child_files, pg_store, tmp_path, fmt):
    done, masked = exported_by_cli(pg_store, tmp_path, fmt)
    assert "exported 4 events" in done.stdout and "(masked)" in done.stdout
    assert "3 rows" in done.stderr and "--unmasked" in done.stderr
    assert by_event(masked)["Registered"][0]["id_number"] == MASKED_ID
    assert by_event(masked)["Corrected"][0]["new"] is None
    assert ID_NUMBER not in everything_readable(masked) and FEELINGS not in everything_readable(masked)

    done, full = exported_by_cli(pg_store, tmp_path, fmt, "--unmasked")
    assert "exported 4 events" in done.stdout and "UNMASKED" in done.stdout and done.stderr == ""
    assert by_event(full)["Registered"][0]["id_number"] == ID_NUMBER
    assert by_event(full)["Corrected"][0]["new"]["notes"] == FEELINGS + "，需转介"
    # The masked and unmasked copies are the same log: same positions and chain.
    assert [(r["position"], r["chain_hash"]) for r in masked] == [(r["position"], r["chain_hash"]) for r in full]


def test_an_export_sent_in_pieces_is_the_export_in_one_pass(registry, pg_store, tmp_path):
    """The gateway streams an export piece by piece (export.page): the pieces,
    joined, are the command line's rows, and verify offline."""
    seals = seal_all(registry, pg_store)
    registry.register_child(**child(99))  # after the last seal: exported unsealed, as in one pass
    whole = list(rows(registry, seals, after=1))
    pieces, after = [], 1
    while after is not None:
        found, after = page(registry, seals, after=after, limit=2)
        pieces += found
    assert pieces == whole and [r["position"] for r in pieces] == [2, 3, 4, 5, 6, 7]
    assert pieces[0]["previous_hash"] == seals.at(1).chain_hash.hex() and pieces[-1]["chain_hash"] == ""
    upto, after = [], 0
    while after is not None:
        found, after = page(registry, seals, after=after, upto=3, limit=2)
        upto += found
    assert [r["position"] for r in upto] == [1, 2, 3]
    text = "".join(jsonl_line(r) for r in pieces)
    checked = run_offline_check(tmp_path, "pieces.jsonl", text, "utf-8")
    assert checked.returncode == 0 and "OK: 5 sealed rows verified" in checked.stdout, checked.stdout
