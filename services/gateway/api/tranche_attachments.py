"""Attachments to a tranche's payment (issue 17): the scanned payment voucher
that proves it. The same checks, store and download as a child's file's
attachments (api/attachments.py): the gateway checks and stores the bytes and
sends finance only their SHA-256, size, content type and kind; finance records
them in its own log (so its audit chain covers the file) on a paid tranche of
the contract in the path. The finance officer attaches; whoever may read the
contract's funding reads them (services/gateway/policy.py)."""

from __future__ import annotations

from marshmallow import fields, validate

from services.finance import schemas as s
from services.gateway.api.attachments import TAG, received_upload, served_file
from services.gateway.web.routes import route
from shared.attachments import ALLOWED_TYPES, TRANCHE_KINDS
from shared.validation import StrictSchema

BASE = "/contracts/{contract_id}/tranches/{tranche_id}/attachments"


class TrancheAttachmentUploadQuery(StrictSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(TRANCHE_KINDS),
        metadata={"description": "payment_voucher (the scanned 付款凭证 of the payment), or other"},
    )


class TrancheAttachmentRoutes:
    @route(
        "POST",
        BASE,
        summary="Attach a scanned payment voucher (PDF, JPEG or PNG) to a paid tranche",
        tag=TAG,
        query=TrancheAttachmentUploadQuery,
        upload=ALLOWED_TYPES,
        response=s.TrancheAttachmentSchema,
        status=201,
        location=BASE + "/{attachment_id}",
        errors=(404, 413, 415, 422),
    )
    def attach_to_tranche(self, request, contract_id, tranche_id):
        upload = received_upload(request, TrancheAttachmentUploadQuery)
        # The tranche must be this contract's before anything is stored.
        self.call("finance", "list_tranche_attachments", contract_id, tranche_id)
        return self.reply(self.call("finance", "attach_to_tranche", contract_id, tranche_id, upload.stored()))

    @route(
        "GET",
        BASE,
        summary="A tranche's attached files (kind, type, size, SHA-256)",
        tag=TAG,
        response=s.TrancheAttachmentList,
        errors=(404,),
    )
    def list_tranche_attachments(self, request, contract_id, tranche_id):
        return self.send(request, "finance", "list_tranche_attachments", contract_id, tranche_id)

    @route(
        "GET",
        BASE + "/{attachment_id}",
        summary="Download a tranche's attached file (checked against its recorded SHA-256 before it is served)",
        tag=TAG,
        media_types=ALLOWED_TYPES,
        errors=(404, 409),
    )
    def download_tranche_attachment(self, request, contract_id, tranche_id, attachment_id):
        return served_file(self.call("finance", "get_tranche_attachment", contract_id, tranche_id, attachment_id))
