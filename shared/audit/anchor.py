"""Anchors: the chain head at a position, signed with a key the database never
sees (HMAC-SHA256, key from AUDIT_ANCHOR_KEY), to be kept outside the system.
A later verification against an anchor detects a log rewound to an earlier state."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any


class AnchorError(Exception):
    pass


def _signed_part(anchor: dict[str, Any]) -> bytes:
    body = {k: anchor[k] for k in ("service", "position", "head", "created_at")}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def make_anchor(service: str, position: int, head_hex: str, key: bytes, now: datetime | None = None) -> dict[str, Any]:
    if not key:
        raise AnchorError("AUDIT_ANCHOR_KEY is not set: anchors must be signed")
    anchor = {
        "service": service,
        "position": position,
        "head": head_hex,
        "created_at": (now or datetime.now(UTC)).isoformat(),
        "algorithm": "HMAC-SHA256",
    }
    anchor["signature"] = hmac.new(key, _signed_part(anchor), hashlib.sha256).hexdigest()
    return anchor


def check_anchor(anchor: dict[str, Any], key: bytes, service: str) -> dict[str, Any]:
    """Returns the anchor if its signature is good and it names this service."""
    try:
        expected = hmac.new(key, _signed_part(anchor), hashlib.sha256).hexdigest()
        signature = anchor["signature"]
    except (KeyError, TypeError) as error:
        raise AnchorError(f"not an anchor: missing {error}") from None
    if not hmac.compare_digest(expected, signature):
        raise AnchorError("anchor signature does not match: wrong key or altered anchor")
    if anchor["service"] != service:
        raise AnchorError(f"anchor is for {anchor['service']}, not {service}")
    return anchor
