"""The attachment store and the checks on what may be attached
(shared/attachments.py): types told by their bytes, programs refused,
content-addressed files encrypted at rest, and a changed file reported."""

import base64
import os

import pytest

from shared.attachments import AttachmentStore, StoredFileProblem, is_executable, sha256_of, sniffed_type

PDF = b"%PDF-1.7\nconsent"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
JPEG = b"\xff\xd8\xff\xe1" + bytes(32)
KEY = base64.b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize(("content", "expected"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_allowed_types_are_told_by_their_first_bytes(content, expected):
    assert sniffed_type(content) == expected


@pytest.mark.parametrize("content", [b"GIF89a", b"<html>", b"PK\x03\x04 a zip", b"", b"%PD"])
def test_anything_else_is_no_allowed_type(content):
    assert sniffed_type(content) is None


@pytest.mark.parametrize("content", [b"MZ\x90\x00", b"\x7fELF\x02", b"\xcf\xfa\xed\xfe", b"#!/bin/sh\n"])
def test_programs_are_recognised(content):
    assert is_executable(content) and sniffed_type(content) is None


@pytest.mark.parametrize("key", ["", KEY])
def test_stored_bytes_read_back_under_their_hash(tmp_path, key):
    store = AttachmentStore(tmp_path, key)
    sha = store.put(PDF)
    assert sha == sha256_of(PDF) and store.read(sha) == PDF and store.problem(sha, len(PDF)) is None
    assert store.put(PDF) == sha and len(list(tmp_path.rglob("*"))) == 2  # one directory, one file
    on_disk = store.path_of(sha).read_bytes()
    assert (on_disk == PDF) is (not key)


def test_encrypted_files_need_the_key_and_are_bound_to_their_name(tmp_path):
    store = AttachmentStore(tmp_path, KEY)
    first, second = store.put(PDF), store.put(PNG)
    assert "CIPHER_KEY" in AttachmentStore(tmp_path).problem(first)
    assert AttachmentStore(tmp_path, base64.b64encode(os.urandom(32)).decode()).problem(first).startswith("altered")
    store.path_of(first).write_bytes(store.path_of(second).read_bytes())  # swapped for another stored file
    assert store.problem(first).startswith("altered")


@pytest.mark.parametrize("key", ["", KEY])
def test_a_changed_or_missing_file_is_reported(tmp_path, key):
    store = AttachmentStore(tmp_path, key)
    sha = store.put(JPEG)
    assert store.problem(sha, len(JPEG) + 1).startswith("altered")
    data = bytearray(store.path_of(sha).read_bytes())
    data[-1] ^= 1
    store.path_of(sha).write_bytes(bytes(data))
    assert store.problem(sha).startswith("altered")
    with pytest.raises(StoredFileProblem):
        store.read(sha)
    store.path_of(sha).unlink()
    assert store.problem(sha).startswith("missing")
    assert store.problem("../../etc/passwd").startswith("not a SHA-256")
