"""The integration-event envelope: the public wrapper around every published
event. Validated when published and again when consumed."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

from shared import contracts
from shared.validation import StrictSchema

TYPE_PATTERN = re.compile(r"^[a-z]+\.[a-z_]+\.v[1-9][0-9]*$")
EVENT_ID_NAMESPACE = uuid.UUID("8f0c7a0e-2f4b-4f4e-9a57-6f1f2b0c9d11")


class ActorSchema(StrictSchema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.Length(min=1, max=50))


class EnvelopeSchema(StrictSchema):
    type = fields.String(required=True, validate=validate.Regexp(TYPE_PATTERN))
    event_id = fields.UUID(required=True)
    source = fields.String(required=True, validate=validate.Length(min=1, max=50))
    notification_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    previous_notification_id = fields.Integer(
        required=True, strict=True, allow_none=True, validate=validate.Range(min=0)
    )
    originator_id = fields.String(required=True)
    originator_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    actor = fields.Nested(ActorSchema, required=True)
    correlation_id = fields.String(required=True)
    causation_id = fields.String(required=True)
    payload = fields.Dict(required=True)
    # Added by the source's signer (shared/signing.py); checked before this schema runs.
    signature = fields.String(load_default=None)


_envelope_schema = EnvelopeSchema()


def event_id_for(source: str, originator_id: str, originator_version: int) -> uuid.UUID:
    """Deterministic, so an event republished after a crash keeps its id."""
    return uuid.uuid5(EVENT_ID_NAMESPACE, f"{source}/{originator_id}/{originator_version}")


def build(
    *,
    type: str,
    source: str,
    notification_id: int,
    previous_notification_id: int | None,
    originator_id: str,
    originator_version: int,
    occurred_at: datetime,
    meta: Mapping[str, Any],
    payload: Mapping[str, Any],
) -> dict[str, Any]:
    """Build a JSON-ready envelope, validating payload and envelope."""
    envelope = {
        "type": type,
        "event_id": str(event_id_for(source, originator_id, originator_version)),
        "source": source,
        "notification_id": notification_id,
        "previous_notification_id": previous_notification_id,
        "originator_id": originator_id,
        "originator_version": originator_version,
        "occurred_at": occurred_at.isoformat(),
        "actor": {"id": meta.get("actor_id") or "system", "role": meta.get("actor_role") or "system"},
        "correlation_id": meta.get("correlation_id") or "",
        "causation_id": meta.get("causation_id") or "",
        "payload": contracts.dump_payload(type, payload),
    }
    load(envelope)
    return envelope


def load(data: Any) -> dict[str, Any]:
    """Validate a received envelope and its payload; raises ValidationError."""
    if not isinstance(data, Mapping):
        raise ValidationError({"_schema": ["envelope must be an object"]})
    envelope: dict[str, Any] = _envelope_schema.load(data)
    envelope["payload"] = contracts.load_payload(envelope["type"], data["payload"])
    return envelope


def content_digest(message: Mapping[str, Any]) -> str:
    """What an event says, whichever way it travelled: the envelope without its
    chain link (pulled copies carry none) and its signature. Two envelopes for
    one position with different digests cannot both be genuine history."""
    content = {k: v for k, v in message.items() if k not in ("previous_notification_id", "signature")}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
