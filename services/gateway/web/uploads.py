"""Which requests carry a file rather than JSON, and how large a file may be.
The HTTP server reads every body in full before a worker is taken
(receiving.py), bounded by MAX_BODY_BYTES; a roster's upload is bounded by
UPLOAD_MAX_BYTES and an attachment's by ATTACHMENT_MAX_BYTES instead (413
beyond them)."""

from __future__ import annotations

import re

from shared.config import load_attachment_settings

ROSTER_PATHS = frozenset({"/children/imports", "/children/imports/preview"})  # api/roster_import.py
# The routes that take an attachment's bytes: a child's file (api/attachments.py),
# a tranche's payment (api/tranche_attachments.py), an organisation
# (api/organization_attachments.py).
ATTACHMENT_PATHS = (
    re.compile(r"^/children/[^/]+/attachments$"),
    re.compile(r"^/contracts/[^/]+/tranches/[^/]+/attachments$"),
    re.compile(r"^/organizations/[^/]+/attachments$"),
)


def is_roster(environ: dict) -> bool:
    return environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "") in ROSTER_PATHS


def is_attachment(environ: dict) -> bool:
    path = environ.get("PATH_INFO", "")
    return environ.get("REQUEST_METHOD") == "POST" and any(pattern.match(path) for pattern in ATTACHMENT_PATHS)


def max_bytes() -> int:
    return load_attachment_settings().max_bytes
