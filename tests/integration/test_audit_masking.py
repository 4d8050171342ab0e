"""The audit command line and the offline checker with a real registry on
PostgreSQL: history and replay are masked unless --unmasked (as exports are),
and an untampered masked export checks out offline."""

import base64
import json

import pytest

from tests.integration.test_audit import (
    FEELINGS,
    ID_NUMBER,
    MASKED_ID,
    audit_cli,
    exported_by_cli,
    open_child_files,
    run_offline_check,
)


@pytest.fixture
def child_files(pg_store):
    app = open_child_files(pg_store)
    yield app
    app.close()


def first_child(app):
    return next(
        str(n.originator_id)
        for n in app.recorder.select_notifications(start=1, limit=10)
        if n.topic.endswith("Child.Registered")
    )


@pytest.mark.parametrize("command", ["history", "replay"])
def test_history_and_replay_mask_unless_told_unmasked(child_files, pg_store, command):
    child_id = first_child(child_files)
    masked = audit_cli(pg_store, command, "registry", child_id)
    assert masked.returncode == 0, masked.stderr
    assert ID_NUMBER not in masked.stdout and FEELINGS not in masked.stdout
    assert MASKED_ID in masked.stdout and "2015-03-04" not in masked.stdout

    full = audit_cli(pg_store, command, "registry", child_id, "--unmasked")
    assert full.returncode == 0, full.stderr
    assert ID_NUMBER in full.stdout and FEELINGS in full.stdout


def test_history_rows_name_their_log_position_through_the_command_line(child_files, pg_store):
    shown = json.loads(audit_cli(pg_store, "history", "registry", first_child(child_files)).stdout)
    assert [row["position"] for row in shown] == [1, 3]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_untampered_masked_export_checks_out_offline(child_files, pg_store, tmp_path, fmt):
    exported_by_cli(pg_store, tmp_path, fmt)
    path = next(tmp_path.glob(f"registry.{fmt}"))
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    checked = run_offline_check(tmp_path, f"copy.{fmt}", path.read_text(encoding=encoding), encoding)
    assert checked.returncode == 0, checked.stdout
    assert "OK: 1 sealed rows verified" in checked.stdout and "3 rows withheld" in checked.stdout


def test_a_tampered_row_of_a_masked_export_is_still_caught(child_files, pg_store, tmp_path):
    _, exported = exported_by_cli(pg_store, tmp_path, "jsonl")
    kept = next(row for row in exported if row["state_b64"])
    state = base64.b64decode(kept["state_b64"]).replace("王小明".encode(), "王小亮".encode())
    kept["state_b64"] = base64.b64encode(state).decode()
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in exported)
    checked = run_offline_check(tmp_path, "tampered.jsonl", text, "utf-8")
    assert checked.returncode == 1 and f"BROKEN at position {kept['position']}" in checked.stdout
