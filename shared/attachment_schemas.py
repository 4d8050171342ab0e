"""The shapes every record's attachments share (a child's file in registry, a
tranche's payment in finance): what the gateway sends once it has stored the
bytes (shared/attachments.py), and what an attachment answers with. Each
service adds the record it belongs to and the kinds it allows."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from shared.answers import Created, created_id
from shared.attachments import ALLOWED_TYPES
from shared.validation import StrictSchema


def kind_field(kinds: tuple[str, ...], **options: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(kinds), metadata={"enum": list(kinds)}, **options)


class AttachFileFields(StrictSchema):
    """What the gateway sends once it has stored the bytes: the service checks
    the stored file against it (shared.attachments.check_stored_file) before
    recording it."""

    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$", error="must be 64 hex digits"))
    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    content_type = fields.String(required=True, validate=validate.OneOf(ALLOWED_TYPES))


class AttachmentFields(Created):
    id = created_id("attachment_id", "the attachment's id")
    attachment_id = fields.UUID()
    sha256 = fields.String(metadata={"description": "SHA-256 of the file's bytes (hex), as recorded in the event"})
    size = fields.Integer(metadata={"description": "bytes"})
    content_type = fields.String(metadata={"enum": list(ALLOWED_TYPES)})
    attached_on = fields.Date()
