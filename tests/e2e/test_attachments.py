"""Attachments on a child's file, on the real registry and gateway (issue 17):
a signed consent form uploaded, listed and downloaded byte for byte; roles
that may not see the file, and a director of another village, are refused;
too large (413), a type not allowed, a program or bytes that are not what
Content-Type says (415) are refused and nothing is recorded; the stored file
is encrypted at rest, its download is in the access log; and a stored file
changed behind the system's back is caught by `audit verify` and not served."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System

ROOT = Path(__file__).resolve().parents[2]
HOME = {"town": "滨河镇", "village": "新北村"}
ELSEWHERE = {"town": "迎水桥镇", "village": "沙坡头村"}
# An upload may be larger than any JSON body (MAX_BODY_BYTES), up to ATTACHMENT_MAX_BYTES.
MAX_BODY_BYTES = 64 * 1024
ATTACHMENT_MAX_BYTES = 256 * 1024

CONSENT_FORM = b"%PDF-1.4\n% signed consent form\n" + bytes(range(256)) * 400  # ~100 KiB, above MAX_BODY_BYTES
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(2000)
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(500)
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01" + os.urandom(500)


@pytest.fixture(scope="module")
def attachment_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("attachments")


@pytest.fixture(scope="module")
def system(tmp_path_factory, attachment_dir, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("attach-logs"),
            ATTACHMENT_DIR=str(attachment_dir),
            ATTACHMENT_MAX_BYTES=str(ATTACHMENT_MAX_BYTES),
            MAX_BODY_BYTES=str(MAX_BODY_BYTES),
            CIPHER_KEY=base64.b64encode(os.urandom(32)).decode(),
        )
        running.start("registry", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture(scope="module")
def children(system):
    ids = {}
    for name, place in (("ours", HOME), ("theirs", ELSEWHERE)):
        created = system.api.post("/children", json={**new_child(), **place})
        assert created.status_code == 201, created.text
        ids[name] = created.json()["child_id"]
    return ids


def upload(client, child_id: str, content: bytes, content_type: str, kind: str = "consent_form"):
    return client.post(
        f"/children/{child_id}/attachments",
        params={"kind": kind},
        data=content,
        headers={"Content-Type": content_type},
    )


def listed(client, child_id: str) -> list[dict]:
    answer = client.get(f"/children/{child_id}/attachments")
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def audit_verify(system) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.audit.cli", "verify", "registry"],
        cwd=ROOT,
        env={**os.environ, **system.env, "PSYCOPG_WAIT_FUNC": "wait_select"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_director_attaches_a_consent_form_lists_and_downloads_it(system, children, attachment_dir):
    director = system.login("child_director", **HOME)
    child_id = children["ours"]
    created = upload(director, child_id, CONSENT_FORM, "application/pdf")
    assert created.status_code == 201, created.text
    attachment = created.json()
    assert attachment["kind"] == "consent_form" and attachment["content_type"] == "application/pdf"
    assert attachment["size"] == len(CONSENT_FORM) and created.headers["Location"].endswith(attachment["id"])
    # The same bytes again as the same kind are the same attachment (a retried upload).
    again = upload(director, child_id, CONSENT_FORM, "application/pdf")
    assert again.status_code == 201 and again.json()["attachment_id"] == attachment["attachment_id"]
    assert [a["attachment_id"] for a in listed(director, child_id)] == [attachment["attachment_id"]]
    # Idempotency-Key as on every POST, for a body larger than any JSON body may be.
    keyed = {"Content-Type": "application/pdf", "Idempotency-Key": "consent-upload-1"}
    path = f"/children/{child_id}/attachments"
    first = director.post(path, params={"kind": "other"}, data=CONSENT_FORM, headers=keyed)
    replayed = director.post(path, params={"kind": "other"}, data=CONSENT_FORM, headers=keyed)
    assert first.status_code == replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == first.json() and first.json()["kind"] == "other"
    reused = director.post(path, params={"kind": "other"}, data=CONSENT_FORM + b"\n", headers=keyed)
    assert reused.status_code == 422, reused.text
    assert len(listed(director, child_id)) == 2

    downloaded = director.get(f"/children/{child_id}/attachments/{attachment['attachment_id']}")
    assert downloaded.status_code == 200 and downloaded.content == CONSENT_FORM
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")
    assert downloaded.headers["X-Content-Type-Options"] == "nosniff"

    # Stored outside the log, encrypted at rest (CIPHER_KEY), under its SHA-256.
    stored = attachment_dir / attachment["sha256"][:2] / attachment["sha256"]
    assert stored.exists() and not stored.read_bytes().startswith(b"%PDF")
    assert b"signed consent form" not in stored.read_bytes()

    # The auditor sees the file too, and each read of it is in the access log.
    auditor = system.login("auditor")
    assert auditor.get(downloaded.request.path_url).content == CONSENT_FORM
    log = auditor.get("/audit/access-log", params={"child_id": child_id, "limit": 1000}).json()["items"]
    routes = {(row["route"], row["role"], row["status"]) for row in log}
    assert ("GET /children/{child_id}/attachments/{attachment_id}", "child_director", 200) in routes
    assert ("GET /children/{child_id}/attachments", "child_director", 200) in routes


def test_roles_and_villages_that_may_not_see_the_file_are_refused(system, children):
    child_id = children["ours"]
    photo = upload(system.api, child_id, PHOTO, "image/png", kind="visit_photo")
    assert photo.status_code == 201, photo.text
    one = f"/children/{child_id}/attachments/{photo.json()['attachment_id']}"
    for role, scope in (
        ("finance_officer", {}),
        ("reviewer", {"panel_member_ids": ["00000000-0000-4000-8000-000000000009"]}),
    ):
        client = system.login(role, **scope)
        for path in (f"/children/{child_id}/attachments", one):
            assert client.get(path).status_code == 403, (role, path)
        assert upload(client, child_id, PHOTO, "image/png").status_code == 403
    auditor = system.login("auditor")
    assert upload(auditor, child_id, PHOTO, "image/png").status_code == 403  # reads, changes nothing

    elsewhere = system.login("child_director", **ELSEWHERE)
    for path in (f"/children/{child_id}/attachments", one):
        refused = elsewhere.get(path)
        assert refused.status_code == 404 and refused.json()["error"] == "NOT_FOUND", path
    assert upload(elsewhere, child_id, PHOTO, "image/png").status_code == 404
    # An attachment id of another child's file is not found under this one.
    other = children["theirs"]
    assert system.api.get(f"/children/{other}/attachments/{photo.json()['attachment_id']}").status_code == 404
    assert system.api.get(f"/children/{other}/attachments/not-a-uuid").status_code == 404
    assert upload(system.api, "00000000-0000-4000-8000-00000000abcd", PHOTO, "image/png").status_code == 404


@pytest.mark.parametrize(
    ("content", "content_type", "status", "field"),
    [
        (WINDOWS_PROGRAM, "application/pdf", 415, "_body"),
        (LINUX_PROGRAM, "application/octet-stream", 415, "_body"),
        (PHOTO, "image/gif", 415, "Content-Type"),
        (b"<html><script>alert(1)</script></html>", "text/html", 415, "Content-Type"),
        (PHOTO, "application/pdf", 415, "_body"),  # the bytes are a PNG, not what the header says
        (b"%PDF-1.4 but called a JPEG", "image/jpeg", 415, "_body"),
        (b"", "application/pdf", 400, "_body"),
    ],
)
def test_what_may_not_be_attached_is_refused_and_nothing_is_recorded(
    system, children, content, content_type, status, field
):
    child_id = children["theirs"]
    before = listed(system.api, child_id)
    refused = upload(system.api, child_id, content, content_type)
    assert refused.status_code == status, refused.text
    assert field in refused.json()["fields"], refused.json()
    assert listed(system.api, child_id) == before


def test_too_large_and_bad_kind_are_refused(system, children):
    child_id = children["theirs"]
    too_large = b"%PDF-1.4\n" + b"0" * ATTACHMENT_MAX_BYTES
    refused = upload(system.api, child_id, too_large, "application/pdf")
    assert refused.status_code == 413 and refused.json()["error"] == "PAYLOAD_TOO_LARGE"
    for params in ({"kind": "selfie"}, {}):
        bad = system.api.post(
            f"/children/{child_id}/attachments",
            params=params,
            data=PHOTO,
            headers={"Content-Type": "image/png"},
        )
        assert bad.status_code == 400 and "kind" in bad.json()["fields"], bad.text
    assert listed(system.api, child_id) == []


def test_a_tampered_stored_file_fails_audit_verify_and_is_not_served(system, children, attachment_dir):
    child_id = children["theirs"]
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(3000)
    created = upload(system.api, child_id, jpeg, "image/jpeg", kind="visit_photo")
    assert created.status_code == 201, created.text
    attachment = created.json()
    clean = audit_verify(system)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    report = json.loads(clean.stdout)
    assert report["attachments"]["checked"] >= 1 and report["attachments"]["problems"] == []
    auditor = system.login("auditor")
    assert auditor.get("/audit/registry/verify", timeout=60).status_code == 200

    stored = attachment_dir / attachment["sha256"][:2] / attachment["sha256"]
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0x01
    stored.write_bytes(bytes(data))

    broken = audit_verify(system)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    problems = json.loads(broken.stdout)["attachments"]["problems"]
    assert [(p["sha256"], p["aggregate_id"] != child_id) for p in problems] == [(attachment["sha256"], True)]
    assert problems[0]["reason"].startswith("altered")
    over_http = auditor.get("/audit/registry/verify", timeout=60)
    assert over_http.status_code == 409 and over_http.json()["ok"] is True  # the chain itself is intact
    assert [p["sha256"] for p in over_http.json()["attachments"]["problems"]] == [attachment["sha256"]]
    refused = system.api.get(f"/children/{child_id}/attachments/{attachment['attachment_id']}")
    assert refused.status_code == 409 and refused.json()["error"] == "ATTACHMENT_DAMAGED"

    stored.unlink()
    gone = json.loads(audit_verify(system).stdout)["attachments"]["problems"]
    assert gone[0]["reason"].startswith("missing")
