"""Which requests carry a file rather than JSON, and how large a file may be.
The HTTP server reads every body in full before a worker is taken
(receiving.py), bounded by MAX_BODY_BYTES; a roster's upload is bounded by
UPLOAD_MAX_BYTES and an attachment's by ATTACHMENT_MAX_BYTES instead (413
beyond them)."""

from __future__ import annotations

import re

from shared.config import load_attachment_settings

ROSTER_PATHS = frozenset({"/children/imports", "/children/imports/preview"})  # api/roster_import.py
ATTACHMENT_PATH = re.compile(r"^/children/[^/]+/attachments$")  # api/attachments.py


def is_roster(environ: dict) -> bool:
    return environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "") in ROSTER_PATHS


def is_attachment(environ: dict) -> bool:
    return environ.get("REQUEST_METHOD") == "POST" and bool(ATTACHMENT_PATH.match(environ.get("PATH_INFO", "")))


def max_bytes() -> int:
    return load_attachment_settings().max_bytes
