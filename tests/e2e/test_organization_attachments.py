"""A registration certificate or bank permit scan on an organisation's record,
on the real grants service and gateway (issue 17): the bureau and the
organisation's own staff attach, whoever reads the organisation reads (another
organisation's staff are refused), the same upload checks as every attachment,
and a scan changed behind the system's back is caught by `audit verify grants`
and not served."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.attachments import sha256_of
from tests.support.grants import organization
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System

ROOT = Path(__file__).resolve().parents[2]
ATTACHMENT_MAX_BYTES = 128 * 1024
PERMIT = b"%PDF-1.4\n% bank account permit\n" + os.urandom(3000)
CERTIFICATE = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(3000)


@pytest.fixture(scope="module")
def attachment_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("organisation-scans")


@pytest.fixture(scope="module")
def system(tmp_path_factory, attachment_dir, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("organisation-scan-logs"),
            ATTACHMENT_DIR=str(attachment_dir),
            ATTACHMENT_MAX_BYTES=str(ATTACHMENT_MAX_BYTES),
            CIPHER_KEY=base64.b64encode(os.urandom(32)).decode(),
        )
        running.start("grants", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture(scope="module")
def organisations(system) -> dict[str, str]:
    found = {}
    for name, type_code in (("ours", "52"), ("theirs", "51")):
        created = system.api.post("/organizations", json=organization(f"{name}社会工作服务中心", type_code))
        assert created.status_code == 201, created.text
        found[name] = created.json()["id"]
    return found


def upload(client, organization_id: str, content: bytes, content_type: str, kind: str = "bank_permit"):
    return client.post(
        f"/organizations/{organization_id}/attachments",
        params={"kind": kind},
        data=content,
        headers={"Content-Type": content_type},
        timeout=10,
    )


def audit_verify(system) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.audit.cli", "verify", "grants"],
        cwd=ROOT,
        env={**os.environ, **system.env, "PSYCOPG_WAIT_FUNC": "wait_select"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_bureau_and_the_organisations_staff_attach_and_readers_download(system, organisations):
    ours = organisations["ours"]
    permit = upload(system.api, ours, PERMIT, "application/pdf")
    assert permit.status_code == 201, permit.text
    assert permit.json()["kind"] == "bank_permit" and permit.json()["sha256"] == sha256_of(PERMIT)
    staff = system.login("provider_staff", organization_id=ours)
    certificate = upload(staff, ours, CERTIFICATE, "image/jpeg", kind="registration_certificate")
    assert certificate.status_code == 201, certificate.text
    path = f"/organizations/{ours}/attachments"
    for reader in (system.api, staff, system.login("auditor"), system.login("finance_officer")):
        items = reader.get(path, timeout=10).json()["items"]
        assert [i["kind"] for i in items] == ["bank_permit", "registration_certificate"]
        assert reader.get(f"{path}/{permit.json()['attachment_id']}", timeout=10).content == PERMIT

    others = system.login("provider_staff", organization_id=organisations["theirs"])
    assert others.get(path, timeout=10).status_code == 403
    assert others.get(f"{path}/{permit.json()['attachment_id']}", timeout=10).status_code == 403
    assert upload(others, ours, CERTIFICATE, "image/jpeg").status_code == 403
    for role, scope in (("child_director", {"town": "滨河镇", "village": "新北村"}), ("auditor", {})):
        assert upload(system.login(role, **scope), ours, PERMIT, "application/pdf").status_code == 403
    assert system.login("child_director", town="滨河镇", village="新北村").get(path, timeout=10).status_code == 403
    # Another organisation's attachment id under this one, and an organisation that does not exist: 404.
    theirs = upload(system.api, organisations["theirs"], PERMIT, "application/pdf")
    assert system.api.get(f"{path}/{theirs.json()['attachment_id']}", timeout=10).status_code == 404
    nowhere = "00000000-0000-4000-8000-00000000abcd"
    assert upload(system.api, nowhere, PERMIT, "application/pdf").status_code == 404


@pytest.mark.parametrize(
    ("content", "content_type", "kind", "status"),
    [
        (b"MZ\x90\x00" + os.urandom(300), "application/pdf", "bank_permit", 415),
        (CERTIFICATE, "application/pdf", "bank_permit", 415),
        (PERMIT, "text/plain", "bank_permit", 415),
        (PERMIT, "application/pdf", "payment_voucher", 400),
        (b"%PDF-1.4\n" + b"0" * ATTACHMENT_MAX_BYTES, "application/pdf", "bank_permit", 413),
    ],
)
def test_what_may_not_be_attached_is_refused(system, organisations, content, content_type, kind, status):
    path = f"/organizations/{organisations['theirs']}/attachments"
    before = system.api.get(path, timeout=10).json()["items"]
    assert upload(system.api, organisations["theirs"], content, content_type, kind=kind).status_code == status
    assert system.api.get(path, timeout=10).json()["items"] == before


def test_a_tampered_scan_fails_audit_verify_grants_and_is_not_served(system, organisations, attachment_dir):
    scan = b"\x89PNG\r\n\x1a\n" + os.urandom(2000)
    created = upload(system.api, organisations["ours"], scan, "image/png", kind="other")
    assert created.status_code == 201, created.text
    clean = audit_verify(system)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert json.loads(clean.stdout)["attachments"]["checked"] >= 1

    stored = attachment_dir / created.json()["sha256"][:2] / created.json()["sha256"]
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0x01
    stored.write_bytes(bytes(data))
    broken = audit_verify(system)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    problems = json.loads(broken.stdout)["attachments"]["problems"]
    assert [p["sha256"] for p in problems] == [created.json()["sha256"]]
    path = f"/organizations/{organisations['ours']}/attachments/{created.json()['attachment_id']}"
    refused = system.api.get(path, timeout=10)
    assert refused.status_code == 409 and refused.json()["error"] == "ATTACHMENT_DAMAGED"
