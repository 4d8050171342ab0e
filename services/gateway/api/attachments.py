"""Attachments to a child's file (issue 17): a signed consent form, a photo of
a visit; and what every attachment route shares (api/tranche_attachments.py
uses it for a tranche's payment voucher). The gateway checks the bytes (size,
content type by their first bytes, never a program), writes them to the attachment store (shared/attachments.py)
and sends only their SHA-256, size, content type and kind to the registry,
which checks the stored file and records it in its log: the bytes never cross
RabbitMQ. An upload honours Idempotency-Key like every POST; without one,
the same bytes attached again as the same kind are the same attachment. Reads
pass the same policy scope as the child's file and are written to the access
log like it (services/gateway/policy.py)."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields, validate
from werkzeug.wrappers import Response

from services.gateway.web.http_errors import GatewayError, UnsupportedMediaType
from services.gateway.web.inputs import query, raw_body
from services.gateway.web.routes import route
from services.registry import schemas as s
from shared.attachments import ALLOWED_TYPES, KINDS, AttachmentStore, StoredFileProblem, refused_upload
from shared.config import load_attachment_settings
from shared.errors import InvalidInput
from shared.validation import StrictSchema

TAG = "attachments"
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class AttachmentUploadQuery(StrictSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(KINDS),
        metadata={"description": "consent_form (signed consent), visit_photo, or other"},
    )


class StoredFileDamaged(GatewayError):
    """The stored file no longer matches its recorded SHA-256: it is not served."""

    status, code = 409, "ATTACHMENT_DAMAGED"


def checked_upload(content_type: str, content: bytes) -> None:
    """Refuse what may not be attached (shared.attachments.refused_upload): 415
    for a type not allowed, a program or bytes that are not what Content-Type
    says; 400 for an empty body."""
    if not content:
        raise InvalidInput({"_body": ["send the file's bytes as the request body"]})
    refused = refused_upload(content_type, content)
    if refused is None:
        return
    why, field, message = refused
    summary = {
        "executable": "programs are never accepted as attachments",
        "type": f"an attachment must be one of {', '.join(ALLOWED_TYPES)}",
        "mismatch": f"the bytes are not {content_type}",
    }[why]
    raise UnsupportedMediaType(summary, {field: [message]})


@dataclass(frozen=True)
class Upload:
    """A file received and checked, not yet stored."""

    content: bytes
    content_type: str
    kind: str

    def stored(self) -> dict:
        """Write the bytes to the attachment store: what the owning service
        records (SHA-256, size, content type, kind), never the bytes."""
        sha256 = AttachmentStore.from_settings(load_attachment_settings()).put(self.content)
        return {"sha256": sha256, "size": len(self.content), "content_type": self.content_type, "kind": self.kind}


def received_upload(request, kind_query: type[StrictSchema]) -> Upload:
    """The upload's kind (400 if missing or unknown) and bytes (bounded by
    ATTACHMENT_MAX_BYTES, 413 beyond), checked (checked_upload) before anything
    is stored; store it only once the record is known to be within scope."""
    kind = query(request, kind_query())["kind"]
    content = raw_body(request, load_attachment_settings().max_bytes)
    checked_upload(request.mimetype, content)
    return Upload(content, request.mimetype, kind)


def served_file(found: dict) -> Response:
    """The stored file an attachment record names, checked against its SHA-256
    (409 ATTACHMENT_DAMAGED if it no longer matches: never served), as a
    download that no browser renders in the page."""
    try:
        content = AttachmentStore.from_settings(load_attachment_settings()).read(found["sha256"])
    except StoredFileProblem as error:
        raise StoredFileDamaged(f"the stored file is not served: {error}") from None
    name = f"{found['kind']}-{found['attachment_id']}.{EXTENSIONS.get(found['content_type'], 'bin')}"
    return Response(
        content,
        status=200,
        content_type=found["content_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, no-store",
            "ETag": f'"{found["sha256"]}"',
        },
    )


class AttachmentRoutes:
    @route(
        "POST",
        "/children/{child_id}/attachments",
        summary="Attach a file (PDF, JPEG or PNG: a signed consent form, a visit photo) to a child's file",
        tag=TAG,
        query=AttachmentUploadQuery,
        upload=ALLOWED_TYPES,
        response=s.AttachmentSchema,
        status=201,
        location="/children/{child_id}/attachments/{attachment_id}",
        errors=(404, 413, 415, 422),
    )
    def attach_file(self, request, child_id):
        upload = received_upload(request, AttachmentUploadQuery)
        # The file must exist (and be within scope) before anything is stored.
        self.call("registry", "list_attachments", child_id)
        return self.reply(self.call("registry", "attach_file", child_id, upload.stored()))

    @route(
        "GET",
        "/children/{child_id}/attachments",
        summary="A child's attached files (kind, type, size, SHA-256)",
        tag=TAG,
        response=s.AttachmentList,
        errors=(404,),
    )
    def list_attachments(self, request, child_id):
        return self.send(request, "registry", "list_attachments", child_id)

    @route(
        "GET",
        "/children/{child_id}/attachments/{attachment_id}",
        summary="Download an attached file (checked against its recorded SHA-256 before it is served)",
        tag=TAG,
        media_types=ALLOWED_TYPES,
        errors=(404, 409),
    )
    def download_attachment(self, request, child_id, attachment_id):
        return served_file(self.call("registry", "get_attachment", child_id, attachment_id))
