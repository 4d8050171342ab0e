"""Attachments to an organisation's record (issue 17): the scanned registration
certificate (登记证书) or bank account permit (开户许可证) behind what it
registered, or a document behind its evidence. The same checks, store and
download as every attachment (api/attachments.py): grants records the file's
SHA-256 in its own log, so `audit verify grants` checks it. The bureau and the
organisation's own staff attach (as they submit evidence); whoever reads the
organisation reads them (services/gateway/policy.py)."""

from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.api.attachments import TAG, received_upload, served_file
from services.gateway.web.routes import route
from services.grants import schemas as s
from shared.attachments import ALLOWED_TYPES, ORGANIZATION_KINDS
from shared.validation import StrictSchema

BASE = "/organizations/{organization_id}/attachments"


class OrganizationAttachmentUploadQuery(StrictSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(ORGANIZATION_KINDS),
        metadata={
            "description": "registration_certificate (登记证书), bank_permit (开户许可证), "
            "evidence_document (a document behind a piece of evidence), or other"
        },
    )


class OrganizationAttachmentRoutes:
    @route(
        "POST",
        BASE,
        summary="Attach a scan (PDF, JPEG or PNG: registration certificate, bank permit) to an organisation",
        tag=TAG,
        query=OrganizationAttachmentUploadQuery,
        upload=ALLOWED_TYPES,
        response=s.OrganizationAttachmentSchema,
        status=201,
        location=BASE + "/{attachment_id}",
        errors=(404, 413, 415, 422),
    )
    def attach_to_organization(self, request, organization_id):
        upload = received_upload(request, OrganizationAttachmentUploadQuery)
        # The organisation must exist before anything is stored.
        self.call("grants", "list_organization_attachments", organization_id)
        return self.reply(self.call("grants", "attach_to_organization", organization_id, upload.stored()))

    @route(
        "GET",
        BASE,
        summary="An organisation's attached scans (kind, type, size, SHA-256)",
        tag=TAG,
        response=s.OrganizationAttachmentList,
        errors=(404,),
    )
    def list_organization_attachments(self, request, organization_id):
        return self.send(request, "grants", "list_organization_attachments", organization_id)

    @route(
        "GET",
        BASE + "/{attachment_id}",
        summary="Download an organisation's attached scan (checked against its recorded SHA-256 before it is served)",
        tag=TAG,
        media_types=ALLOWED_TYPES,
        errors=(404, 409),
    )
    def download_organization_attachment(self, request, organization_id, attachment_id):
        return served_file(self.call("grants", "get_organization_attachment", organization_id, attachment_id))
