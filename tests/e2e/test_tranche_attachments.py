"""A scanned payment voucher on a paid tranche, on the real finance service and
gateway (issue 17): the finance officer attaches it (only once the tranche is
paid), lists and downloads it byte for byte; the bureau and the auditor read
it, nobody but the finance officer attaches; a tranche named under another
contract, an attachment under another tranche and path tricks are 404; too
large (413), a program, a type not allowed or bytes that are not what
Content-Type says (415) are refused and nothing is recorded; an upload
replayed with its Idempotency-Key is answered once; finance itself refuses a
record whose stored file does not match; and a voucher file changed or
removed behind the system's back is caught by `audit verify finance` and not
served. (Provider staff, whose scope needs grants' contracts, are in
test_access_matrix.py.)"""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nameko.exceptions import RemoteError

from shared.attachments import sha256_of
from shared.errors import InvalidInput
from tests.support.broker import publish
from tests.support.finance import GrantsFeed
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System, wait_until

ROOT = Path(__file__).resolve().parents[2]
MAX_BODY_BYTES = 64 * 1024
ATTACHMENT_MAX_BYTES = 256 * 1024
VOUCHER = b"%PDF-1.4\n% payment voucher PV-2025-001\n" + bytes(range(256)) * 400  # above MAX_BODY_BYTES
SCAN = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(3000)
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(2000)
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(500)
SCRIPT = b"#!/bin/sh\nrm -rf /\n"


@pytest.fixture(scope="module")
def attachment_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("vouchers")


@pytest.fixture(scope="module")
def system(tmp_path_factory, attachment_dir, postgres_available):
    """Finance and the gateway only: grants' events come from the fixtures."""
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("voucher-logs"),
            ATTACHMENT_DIR=str(attachment_dir),
            ATTACHMENT_MAX_BYTES=str(ATTACHMENT_MAX_BYTES),
            MAX_BODY_BYTES=str(MAX_BODY_BYTES),
            CIPHER_KEY=base64.b64encode(os.urandom(32)).decode(),
        )
        running.vhost = vhost
        running.start("finance", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture(scope="module")
def officer(system):
    return system.login("finance_officer")


def tranches_of(client, contract_id: str) -> list[dict]:
    answer = client.get(f"/contracts/{contract_id}/funding", timeout=10)
    return answer.json()["tranches"] if answer.status_code == 200 else []


@pytest.fixture(scope="module")
def contracts(system, officer):
    """Two signed contracts: the first's tranche 1 paid, the second's unpaid."""
    found = {}
    start = 0
    for name in ("paid", "other"):
        grants = GrantsFeed()
        grants.start = start
        for envelope in grants.signed_up_to_contract():
            publish(system.vhost, "grants.events", envelope["type"], envelope)
        start += len(grants.sent)
        c = str(grants.contract_id)
        wait_until(
            lambda c=c: [t["status"] for t in tranches_of(officer, c)][:1] == ["payable"],
            seconds=30,
            message=f"{name}: tranche 1 payable",
        )
        found[name] = {"contract_id": c, "tranches": tranches_of(officer, c)}
    first = found["paid"]["tranches"][0]
    paid = officer.post(
        f"/tranches/{first['tranche_id']}/payment",
        json={"amount_fen": first["amount_fen"], "voucher": "PV-2025-001"},
        timeout=10,
    )
    assert paid.status_code == 200, paid.text
    return found


def base(contracts, name: str = "paid", number: int = 1) -> str:
    record = contracts[name]
    return f"/contracts/{record['contract_id']}/tranches/{record['tranches'][number - 1]['tranche_id']}/attachments"


def upload(client, path: str, content: bytes, content_type: str, kind: str = "payment_voucher", **headers):
    return client.post(
        path, params={"kind": kind}, data=content, headers={"Content-Type": content_type, **headers}, timeout=10
    )


def listed(client, path: str) -> list[dict]:
    answer = client.get(path, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def audit_verify(system) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.audit.cli", "verify", "finance"],
        cwd=ROOT,
        env={**os.environ, **system.env, "PSYCOPG_WAIT_FUNC": "wait_select"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_finance_officer_attaches_a_voucher_to_a_paid_tranche_and_it_is_read_back(
    system, officer, contracts, attachment_dir
):
    path = base(contracts)
    unpaid = upload(officer, base(contracts, number=2), VOUCHER, "application/pdf")
    assert unpaid.status_code == 422 and unpaid.json()["error"] == "PAYMENT_REFUSED", unpaid.text
    assert "tranche" in unpaid.json()["fields"]
    assert listed(officer, base(contracts, number=2)) == []

    created = upload(officer, path, VOUCHER, "application/pdf")
    assert created.status_code == 201, created.text
    voucher = created.json()
    assert voucher["kind"] == "payment_voucher" and voucher["sha256"] == sha256_of(VOUCHER)
    assert voucher["size"] == len(VOUCHER) and created.headers["Location"].endswith(voucher["id"])
    assert voucher["contract_id"] == contracts["paid"]["contract_id"]
    # The same bytes as the same kind are the same attachment (a retried upload).
    again = upload(officer, path, VOUCHER, "application/pdf")
    assert again.status_code == 201 and again.json()["attachment_id"] == voucher["attachment_id"]
    assert [a["attachment_id"] for a in listed(officer, path)] == [voucher["attachment_id"]]

    downloaded = officer.get(f"{path}/{voucher['attachment_id']}", timeout=10)
    assert downloaded.status_code == 200 and downloaded.content == VOUCHER
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.headers["Content-Disposition"].startswith('attachment; filename="payment_voucher-')
    assert downloaded.headers["X-Content-Type-Options"] == "nosniff"
    # Stored outside the log, encrypted at rest, under its SHA-256.
    stored = attachment_dir / voucher["sha256"][:2] / voucher["sha256"]
    assert stored.exists() and b"PV-2025-001" not in stored.read_bytes()

    # The SHA-256 is in finance's own log (so its hash chain covers the file).
    auditor = system.login("auditor")
    events = auditor.get("/audit/finance/events", params={"limit": 1000}, timeout=10).json()["items"]
    recorded = [e for e in events if e["event"] == "TrancheAttachments.Attached"]
    assert [e["data"]["sha256"] for e in recorded] == [voucher["sha256"]]

    # The bureau and the auditor read it; nobody but the finance officer attaches.
    for reader in (system.api, auditor):
        assert reader.get(downloaded.request.path_url, timeout=10).content == VOUCHER
        assert upload(reader, path, SCAN, "image/jpeg").status_code == 403
    for role, scope in (
        ("child_director", {"town": "滨河镇", "village": "新北村"}),
        ("reviewer", {"panel_member_ids": ["00000000-0000-4000-8000-000000000009"]}),
    ):
        client = system.login(role, **scope)
        for url in (path, downloaded.request.path_url):
            assert client.get(url, timeout=10).status_code == 403, (role, url)
        assert upload(client, path, SCAN, "image/jpeg").status_code == 403


def test_a_tranche_or_attachment_named_under_another_record_is_not_found(officer, contracts):
    path = base(contracts)
    voucher = upload(officer, path, SCAN, "image/jpeg", kind="other")
    assert voucher.status_code == 201, voucher.text
    attachment_id = voucher.json()["attachment_id"]
    other_contract = contracts["other"]["contract_id"]
    paid_tranche = contracts["paid"]["tranches"][0]["tranche_id"]
    crossed = f"/contracts/{other_contract}/tranches/{paid_tranche}/attachments"
    for url in (crossed, f"{crossed}/{attachment_id}", f"{base(contracts, number=2)}/{attachment_id}"):
        refused = officer.get(url, timeout=10)
        assert refused.status_code == 404 and refused.json()["error"] == "NOT_FOUND", url
    assert upload(officer, crossed, SCAN, "image/jpeg").status_code == 404
    contract = contracts["paid"]["contract_id"]
    for url in (
        f"{path}/not-a-uuid",
        f"{path}/..%2F..%2Fetc%2Fpasswd",
        f"/contracts/{contract}/tranches/not-a-uuid/attachments",
        f"/contracts/{contract}/tranches/..%2F{paid_tranche}/attachments",
    ):
        assert officer.get(url, timeout=10).status_code == 404, url
    assert upload(officer, f"/contracts/{contract}/tranches/..%2Fx/attachments", SCAN, "image/jpeg").status_code == 404


@pytest.mark.parametrize(
    ("content", "content_type", "kind", "status", "field"),
    [
        (WINDOWS_PROGRAM, "application/pdf", "payment_voucher", 415, "_body"),
        (SCRIPT, "image/png", "payment_voucher", 415, "_body"),
        (PHOTO, "image/gif", "payment_voucher", 415, "Content-Type"),
        (b"<html><script>alert(1)</script></html>", "text/html", "payment_voucher", 415, "Content-Type"),
        (PHOTO, "application/pdf", "payment_voucher", 415, "_body"),
        (b"", "application/pdf", "payment_voucher", 400, "_body"),
        (VOUCHER, "application/pdf", "consent_form", 400, "kind"),  # a child's file's kind, not a tranche's
        (b"%PDF-1.4\n" + b"0" * ATTACHMENT_MAX_BYTES, "application/pdf", "payment_voucher", 413, None),
    ],
)
def test_what_may_not_be_attached_is_refused_and_nothing_is_recorded(
    officer, contracts, content, content_type, kind, status, field
):
    path = base(contracts)
    before = listed(officer, path)
    refused = upload(officer, path, content, content_type, kind=kind)
    assert refused.status_code == status, refused.text
    if field is not None:
        assert field in refused.json()["fields"], refused.json()
    assert listed(officer, path) == before


def test_an_upload_replayed_with_its_idempotency_key_is_answered_once(officer, contracts):
    path = base(contracts)
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(MAX_BODY_BYTES + 1000)  # a keyed body above any JSON body's limit
    first = upload(officer, path, png, "image/png", kind="other", **{"Idempotency-Key": "voucher-upload-1"})
    replayed = upload(officer, path, png, "image/png", kind="other", **{"Idempotency-Key": "voucher-upload-1"})
    assert first.status_code == replayed.status_code == 201, first.text
    assert replayed.headers["Idempotent-Replayed"] == "true" and replayed.json() == first.json()
    reused = upload(officer, path, png + b"\x00", "image/png", kind="other", **{"Idempotency-Key": "voucher-upload-1"})
    assert reused.status_code == 422, reused.text
    assert [a["sha256"] for a in listed(officer, path)].count(sha256_of(png)) == 1
    assert sha256_of(png + b"\x00") not in [a["sha256"] for a in listed(officer, path)]


def test_finance_refuses_a_record_whose_stored_file_does_not_match(system, contracts):
    """The service checks the store itself: a caller on the broker cannot
    record a file that is not there, a path instead of a hash, or a wrong size."""
    record = contracts["paid"]
    tranche_id = record["tranches"][0]["tranche_id"]
    stored = {"sha256": sha256_of(VOUCHER), "size": len(VOUCHER), "content_type": "application/pdf"}
    bad = (
        {**stored, "sha256": "../../../../etc/passwd"},
        {**stored, "sha256": sha256_of(b"never stored")},
        {**stored, "size": len(VOUCHER) + 1},
        {**stored, "content_type": "image/png"},
    )
    with system.rpc(timeout=60) as rpc:  # a loaded CI machine: refusals, not timeouts, are the point
        for data in bad:
            # nameko rebuilds the service's own exception once anything in this
            # process has registered the errors (the gateway's modules do), a
            # RemoteError naming it otherwise: which depends on the tests run before
            with pytest.raises((RemoteError, InvalidInput)) as refused:
                rpc.finance.attach_to_tranche(record["contract_id"], tranche_id, {**data, "kind": "other"})
            error = refused.value
            kind = error.exc_type if isinstance(error, RemoteError) else type(error).__name__
            assert kind in ("InvalidInput", "RuleViolation"), (data, error)
    assert all(a["size"] != len(VOUCHER) + 1 for a in listed(system.login("auditor"), base(contracts)))


def test_a_tampered_or_missing_voucher_fails_audit_verify_finance_and_is_not_served(
    system, officer, contracts, attachment_dir
):
    path = base(contracts)
    scan = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(4000)
    created = upload(officer, path, scan, "image/jpeg")
    assert created.status_code == 201, created.text
    voucher = created.json()
    clean = audit_verify(system)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    report = json.loads(clean.stdout)
    assert report["attachments"]["checked"] >= 1 and report["attachments"]["problems"] == []

    stored = attachment_dir / voucher["sha256"][:2] / voucher["sha256"]
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0x01
    stored.write_bytes(bytes(data))
    broken = audit_verify(system)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    problems = json.loads(broken.stdout)["attachments"]["problems"]
    assert [(p["sha256"], p["attachment_id"]) for p in problems] == [(voucher["sha256"], voucher["attachment_id"])]
    assert problems[0]["reason"].startswith("altered")
    over_http = system.login("auditor").get("/audit/finance/verify", timeout=60)
    assert over_http.status_code == 409 and over_http.json()["ok"] is True  # the chain itself is intact
    refused = officer.get(f"{path}/{voucher['attachment_id']}", timeout=10)
    assert refused.status_code == 409 and refused.json()["error"] == "ATTACHMENT_DAMAGED"

    stored.unlink()
    gone = audit_verify(system)
    assert gone.returncode == 1
    assert json.loads(gone.stdout)["attachments"]["problems"][0]["reason"].startswith("missing")
