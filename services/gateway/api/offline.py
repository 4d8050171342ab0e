"""Offline submissions the server refused on arrival (web/offline.py records
them): the bureau lists them all and resolves each with a note; a child
director sees only their own, to know what to do again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from marshmallow import Schema, fields, validate

from services.gateway.domain import CHILD_DIRECTOR
from services.gateway.domain.offline_conflicts import MAX_NOTE
from services.gateway.web.routes import route
from services.gateway.web.worker import json_response
from shared.pagination import PageQuery, page_of
from shared.validation import StrictSchema

TAG = "offline"


class ConflictQuery(PageQuery):
    open_only = fields.Boolean(load_default=False, metadata={"description": "only the unresolved"})
    cursor = fields.Integer(load_default=None, validate=validate.Range(min=0), strict=False)


class Resolution(Schema):
    by = fields.String(required=True)
    note = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class OfflineConflictSchema(Schema):
    conflict_id = fields.UUID(required=True)
    actor = fields.String(required=True, metadata={"description": "who sent it (username)"})
    role = fields.String(required=True)
    route = fields.String(required=True, metadata={"description": "method and route template, e.g. POST /children"})
    path = fields.String(required=True)
    fields_sent = fields.List(
        fields.String(), required=True, metadata={"description": "names only; the body stays on the phone"}
    )
    captured_at = fields.AwareDateTime(required=True, metadata={"description": "when it was recorded on the phone"})
    received_at = fields.AwareDateTime(required=True)
    status = fields.Integer(required=True)
    error = fields.String(required=True, metadata={"description": "the refusal's error code"})
    message = fields.String(required=True)
    reasons = fields.Dict(required=True, metadata={"description": "the refusal's field reasons"})
    resolved = fields.Nested(Resolution, allow_none=True, required=True)


OfflineConflictPage = page_of(OfflineConflictSchema, "OfflineConflictPage")


class ResolveRequest(StrictSchema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NOTE))


class OfflineRoutes:
    @route(
        "GET",
        "/offline-conflicts",
        summary="Offline submissions refused on arrival (a child director: their own)",
        tag=TAG,
        query=ConflictQuery,
        response=OfflineConflictPage,
        errors=(400,),
    )
    def list_offline_conflicts(self, request):
        q = self.loaded_query(request)
        actor = self.caller.username if self.caller.role == CHILD_DIRECTOR else None
        rows, next_cursor = self.store.offline_conflicts(q["cursor"] or 0, q["limit"], actor, q["open_only"])
        return json_response(
            OfflineConflictPage().dump({"items": rows, "next_cursor": str(next_cursor) if next_cursor else None})
        )

    @route(
        "POST",
        "/offline-conflicts/{conflict_id}/resolve",
        summary="Resolve a refused offline submission, saying how",
        tag=TAG,
        request=ResolveRequest,
        response=OfflineConflictSchema,
        errors=(404, 409, 422),
    )
    def resolve_offline_conflict(self, request, conflict_id):
        body = self.loaded_body(request)
        try:
            conflict = uuid.UUID(conflict_id)
        except ValueError:
            conflict = uuid.UUID(int=0)  # no conflict has it: answered as not found
        row = self.store.resolve_offline_conflict(
            conflict, self.caller.username, body["note"].strip(), datetime.now(UTC)
        )
        return json_response(OfflineConflictSchema().dump(row))
