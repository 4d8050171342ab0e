"""Attachments in the web app (issues 16/17), in a real browser (Debian's
chromium through Playwright) on the real registry and gateway: a village
director on a phone attaches a signed consent form (a PNG made here) to a
child's file and sees it listed, downloads it byte for byte, attaches a camera
photo over 5 MB (downscaled in the browser to a JPEG under the limit), and is
told in Chinese why a PDF over the limit, a program and a text file named .png
are refused (the first two in the browser, the last by the server); an auditor
reads and downloads but is offered no upload. Needs the built app
(scripts/web.sh). The browser runs in its own process
(tests/e2e/attachments_driver.py)."""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest

from services.gateway.web.app_pages import DIST
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System
from tests.support.world import HOME, ok, post

MAX_BYTES = 5 * 1024 * 1024  # the gateway's default ATTACHMENT_MAX_BYTES, which the app assumes


def png(width: int, height: int, pixel_rows) -> bytes:
    """A true-colour PNG of the given rows (bytes of RGB triples)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + row for row in pixel_rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def consent_form_png() -> bytes:
    """A small page: black lines (the text, the signature) on white."""
    width, height = 300, 400
    rows = []
    for y in range(height):
        ink = y % 24 in (0, 1) and 30 < y < 370
        rows.append(bytes([0, 0, 0] * 40 + ([40, 40, 40] if ink else [255, 255, 255]) * 220 + [255, 255, 255] * 40))
    return png(width, height, rows)


def camera_photo_png() -> bytes:
    """Over 5 MB as a PNG (noise does not compress), as a phone's photo is."""
    width, height = 1800, 1300
    noise = random.Random(7)
    return png(width, height, [noise.randbytes(width * 3) for _ in range(height)])


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("attach-files")
    (folder / "consent.png").write_bytes(consent_form_png())
    photo = camera_photo_png()
    assert len(photo) > MAX_BYTES
    (folder / "photo.png").write_bytes(photo)
    (folder / "big.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(MAX_BYTES + 1024))
    (folder / "program.exe").write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(500))
    (folder / "fake.png").write_bytes("这不是图片，只是一段文字。".encode())
    return folder


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    assert (DIST / "index.html").is_file(), "build the web app first: scripts/web.sh"
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("attach-browser"),
            ATTACHMENT_DIR=str(tmp_path_factory.mktemp("attachments")),
        )
        running.start("registry", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


def user(system, role: str, scope: dict) -> str:
    username = f"{role}-{uuid.uuid4().hex[:6]}"
    shown = {"child_director": "王主任", "auditor": "审计员"}[role]
    body = {"username": username, "display_name": shown, "role": role, "scope": scope, "password": PASSWORD}
    ok(post(system.api, "/users", body), 201)
    return username


def drive(journey: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.attachments_driver", journey, *args],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]


def test_a_director_on_a_phone_attaches_a_consent_form_and_an_auditor_only_reads_it(system, files):
    child_id = ok(post(system.api, "/children", {**new_child(), **HOME, "name": "李小雨"}), 201)["child_id"]
    director = user(system, "child_director", HOME)
    drive("director", system.url, child_id, director, PASSWORD, str(files))

    items = ok(system.api.get(f"/children/{child_id}/attachments"))["items"]
    # the double tap attached the consent form once; nothing refused was recorded
    assert sorted((i["kind"], i["content_type"]) for i in items) == [
        ("consent_form", "image/png"),
        ("visit_photo", "image/jpeg"),
    ]
    consent = next(i for i in items if i["kind"] == "consent_form")
    assert consent["size"] == len((files / "consent.png").read_bytes())
    photo = next(i for i in items if i["kind"] == "visit_photo")
    assert photo["size"] <= MAX_BYTES

    auditor = user(system, "auditor", {})
    drive("auditor", system.url, child_id, auditor, PASSWORD, str(files))
    assert len(ok(system.api.get(f"/children/{child_id}/attachments"))["items"]) == 2
