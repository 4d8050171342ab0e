"""Attached files (a signed consent form, a photo of a visit on a child's file;
a scanned payment voucher on a tranche's payment; a registration
certificate or bank permit on an organisation's record): what may be attached, told
by the bytes themselves, the directory store that keeps them, and the check a
service makes before recording a stored file in its log. One place for these
rules, whichever record a file proves.

The store is content-addressed, outside the event log: a file lives at
`ATTACHMENT_DIR/<first two hex>/<sha256 of its bytes>`; the registry's event
that records the attachment (registry, finance, grants) carries the SHA-256, size,
content type and kind, so the audit chain covers the file and `audit verify
<service>` checks each stored file still hashes to what was recorded. A directory volume rather than
PostgreSQL large objects: backed up with the data volume by any file tool, and
photos do not bloat the database or its WAL (large objects stay an option).

With CIPHER_KEY set (the key that encrypts the stored events) each file is
encrypted at rest with AES-GCM, its SHA-256 bound in as associated data, so a
file swapped for another stored file fails to decrypt."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.config import AttachmentSettings, load_attachment_settings
from shared.errors import refuse

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# The content types an attachment may have, by the bytes each starts with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    PDF: (b"%PDF-",),
    JPEG: (b"\xff\xd8\xff",),
    PNG: (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED_TYPES = tuple(SIGNATURES)
# Programs, refused whatever Content-Type they are sent with: Windows PE (MZ),
# ELF, Mach-O (both byte orders, 32/64-bit, universal), Java classes and scripts (#!).
EXECUTABLE_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# What each record may have attached, by the kind the uploader names.
KINDS = ("consent_form", "visit_photo", "other")  # a child's file (registry)
TRANCHE_KINDS = ("payment_voucher", "other")  # a tranche's payment (finance)
ORGANIZATION_KINDS = ("registration_certificate", "bank_permit", "evidence_document", "other")  # grants
# The stored events that record an attached file (each has `sha256` and `size`):
# `audit verify` checks every file they name (shared/audit/attachments.py).
ATTACHMENT_EVENT_TOPICS = frozenset(
    {
        "services.registry.domain.attachments:ChildAttachments.Attached",
        "services.finance.domain.attachments:TrancheAttachments.Attached",
        "services.grants.domain.attachments:OrganizationAttachments.Attached",
    }
)
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
ENCRYPTED = b"AGCM1"  # the first bytes of an encrypted stored file
NONCE_BYTES = 12


def is_executable(content: bytes) -> bool:
    return content.startswith(EXECUTABLE_SIGNATURES)


def sniffed_type(content: bytes) -> str | None:
    """The allowed content type these bytes are, or None."""
    for content_type, signatures in SIGNATURES.items():
        if content.startswith(signatures):
            return content_type
    return None


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def refused_upload(content_type: str, content: bytes) -> tuple[str, str, str] | None:
    """Why these bytes may not be attached as `content_type`, or None:
    (what is wrong, the field, the message). A program whatever it is called,
    a type not allowed, bytes that are not what `content_type` says; an empty
    body is the caller's to refuse (it is no file at all)."""
    if is_executable(content):
        return "executable", "_body", "the bytes are an executable program"
    if content_type not in ALLOWED_TYPES:
        return "type", "Content-Type", f"got {content_type or 'nothing'}; send one of {', '.join(ALLOWED_TYPES)}"
    found = sniffed_type(content)
    if found != content_type:
        return "mismatch", "_body", f"the bytes are {found or 'of no allowed type'}, not {content_type}"
    return None


def check_stored_file(sha256: str, size: int, content_type: str) -> None:
    """What a service checks before recording an attachment the gateway stored:
    the file is there, hashes to `sha256`, has `size` bytes and is `content_type`
    (InvalidInput naming the field otherwise). The bytes never cross the broker."""
    store = AttachmentStore.from_settings(load_attachment_settings())
    try:
        content = store.read(sha256)
    except StoredFileProblem as error:
        refuse("sha256", f"no stored file matches: {error}")
    if len(content) != size:
        refuse("size", f"the stored file has {len(content)} bytes")
    if sniffed_type(content) != content_type:
        refuse("content_type", "the stored file's bytes are not of this type")


class StoredFileProblem(Exception):
    """A stored file is missing, unreadable or not what its hash says."""


@dataclass(frozen=True)
class AttachmentStore:
    directory: Path
    cipher_key: str = ""

    @classmethod
    def from_settings(cls, settings: AttachmentSettings) -> AttachmentStore:
        return cls(settings.directory, settings.cipher_key)

    def path_of(self, sha256: str) -> Path:
        if not SHA256_PATTERN.match(sha256):
            raise ValueError(f"not a SHA-256 in hex: {sha256!r}")
        return self.directory / sha256[:2] / sha256

    def put(self, content: bytes) -> str:
        """Store the bytes (once: the same bytes again are the same file); their SHA-256."""
        sha256 = sha256_of(content)
        path = self.path_of(sha256)
        try:
            if self.read(sha256) == content:
                return sha256
        except StoredFileProblem:
            pass  # absent, or damaged: written anew
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self._sealed(sha256, content)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256

    def read(self, sha256: str) -> bytes:
        """The stored bytes, checked against their SHA-256 (StoredFileProblem if not)."""
        path = self.path_of(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise StoredFileProblem(f"missing: no stored file {sha256}") from None
        except OSError as error:
            raise StoredFileProblem(f"unreadable: {error}") from None
        content = self._opened(sha256, data)
        found = sha256_of(content)
        if found != sha256:
            raise StoredFileProblem(f"altered: the stored file hashes to {found}, not {sha256}")
        return content

    def problem(self, sha256: str, size: int | None = None) -> str | None:
        """Why the stored file does not match its record, or None if it does."""
        try:
            content = self.read(sha256)
        except (StoredFileProblem, ValueError) as error:
            return str(error)
        if size is not None and len(content) != size:
            return f"altered: the stored file has {len(content)} bytes, not {size}"
        return None

    # -- encryption at rest ---------------------------------------------------------

    def _aead(self) -> AESGCM | None:
        return AESGCM(base64.b64decode(self.cipher_key)) if self.cipher_key else None

    def _sealed(self, sha256: str, content: bytes) -> bytes:
        aead = self._aead()
        if aead is None:
            return content
        nonce = os.urandom(NONCE_BYTES)
        return ENCRYPTED + nonce + aead.encrypt(nonce, content, sha256.encode())

    def _opened(self, sha256: str, data: bytes) -> bytes:
        if not data.startswith(ENCRYPTED):
            return data  # stored without CIPHER_KEY (never the start of an allowed type)
        aead = self._aead()
        if aead is None:
            raise StoredFileProblem("encrypted: CIPHER_KEY is needed to read the stored file")
        body = data[len(ENCRYPTED) :]
        try:
            return aead.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], sha256.encode())
        except (InvalidTag, ValueError):
            raise StoredFileProblem(
                "altered: the stored file does not decrypt (changed, swapped or another key)"
            ) from None
