"""Which requests carry a file rather than JSON, and how large a file may be.
The HTTP server reads every body in full before a worker is taken
(receiving.py), bounded by MAX_BODY_BYTES; an attachment's upload is bounded
by ATTACHMENT_MAX_BYTES instead (413 beyond it)."""

from __future__ import annotations

import re

from shared.config import load_attachment_settings

UPLOAD_PATHS = (re.compile(r"^/children/[^/]+/attachments$"),)


def is_upload(environ: dict) -> bool:
    path = environ.get("PATH_INFO", "")
    return environ.get("REQUEST_METHOD") == "POST" and any(p.match(path) for p in UPLOAD_PATHS)


def max_bytes() -> int:
    return load_attachment_settings().max_bytes
