"""Audit routes (DESIGN.md §5, audit row): verification, the log between
positions or dates, any aggregate at a version or moment, and who read which
child's file."""

from marshmallow import Schema, fields, validate

from services.gateway import schemas as gs
from services.gateway.web.http_errors import GatewayError
from services.gateway.web.routes import route
from services.gateway.web.upstream import bounded
from services.gateway.web.worker import json_response
from shared.audit.service import AuditEntrypoints
from shared.config import SERVICES
from shared.jsonable import jsonable
from shared.validation import StrictSchema

VERIFY_TIMEOUT = 120.0  # verification reads the whole log


class UnknownService(GatewayError):
    status, code = 404, "NOT_FOUND"


class EventsQuery(StrictSchema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0))
    upto = fields.Integer(load_default=None, validate=validate.Range(min=1))
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AggregateQuery(StrictSchema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    as_of = fields.AwareDateTime(load_default=None)


class AttachmentProblemSchema(Schema):
    position = fields.Integer()
    aggregate_id = fields.String()
    version = fields.Integer()
    attachment_id = fields.String()
    sha256 = fields.String()
    reason = fields.String(metadata={"description": "missing, or altered (and how)"})


class AttachmentCheckSchema(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    problems = fields.List(fields.Nested(AttachmentProblemSchema))


class VerificationSchema(Schema):
    ok = fields.Boolean(required=True)
    checked = fields.Integer(required=True)
    sealed_position = fields.Integer(required=True)
    head = fields.String(required=True)
    unsealed = fields.Integer(required=True)
    broken_at = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    anchor = fields.Dict(allow_none=True)
    record = fields.Dict(allow_none=True, metadata={"description": "the aggregate id and version at the break"})
    macs_checked = fields.Boolean(metadata={"description": "whether each event's MAC was checked"})
    unsigned_before_signing = fields.Integer(
        metadata={"description": "events stored before the service signed its events (covered by their seals)"}
    )
    attachments = fields.Nested(
        AttachmentCheckSchema,
        metadata={"description": "the attached files the log records, each checked against its SHA-256 (409 if not)"},
    )


class AuditEventSchema(Schema):
    position = fields.Integer(allow_none=True)
    aggregate_id = fields.String(required=True)
    version = fields.Integer(required=True)
    event = fields.String(required=True)
    at = fields.String(required=True)
    actor_id = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    correlation_id = fields.String(allow_none=True)
    causation_id = fields.String(allow_none=True)
    data = fields.Dict(required=True)


class AuditEventsPage(Schema):
    items = fields.List(fields.Nested(AuditEventSchema), required=True)
    next_after = fields.Integer(allow_none=True, required=True)


class AggregateStateSchema(Schema):
    aggregate_id = fields.String(required=True)
    type = fields.String(required=True)
    version = fields.Integer(required=True)
    created_on = fields.String(required=True)
    modified_on = fields.String(required=True)
    state = fields.Dict(required=True)


# The gateway's own log (accounts, sign-in attempts, reads of children's files,
# idempotent requests) is audited in-process, with the same entrypoint code.
AUDITED = SERVICES + ("gateway",)


class LocalAudit(AuditEntrypoints):
    def __init__(self, store):
        self.store = store


def _known(service: str) -> str:
    if service not in AUDITED:
        raise UnknownService(f"no service named {service!r}; one of {', '.join(AUDITED)}")
    return service


class AuditRoutes:
    def _audit(self, service: str, method: str, *args, timeout: float | None = None):
        if _known(service) == "gateway":
            return getattr(LocalAudit(self.store), method)(*args)
        if timeout is not None:
            return bounded(getattr(getattr(self, service), method), timeout, service)
        return self.call(service, method, *args)

    @route(
        "GET",
        "/audit/{service}/verify",
        summary="Re-compute a service's hash chain",
        tag="audit",
        response=VerificationSchema,
        errors=(404,),
    )
    def audit_verify(self, request, service):
        result = self._audit(service, "audit_verify", timeout=VERIFY_TIMEOUT)
        files_ok = result.get("attachments", {}).get("ok", True)
        return json_response(result, 200 if result["ok"] and files_ok else 409)

    @route(
        "GET",
        "/audit/{service}/events",
        summary="A service's log between positions or dates",
        tag="audit",
        query=EventsQuery,
        response=AuditEventsPage,
        errors=(400, 404),
    )
    def audit_events(self, request, service):
        q = self.loaded_query(request)
        page = self._audit(
            service, "audit_events", q["after"], q["upto"], jsonable(q["since"]), jsonable(q["until"]), q["limit"]
        )
        return json_response(page)

    @route(
        "GET",
        "/audit/{service}/aggregates/{aggregate_id}",
        summary="An aggregate at a version or as of a moment",
        tag="audit",
        query=AggregateQuery,
        response=AggregateStateSchema,
        errors=(400, 404),
    )
    def audit_aggregate(self, request, service, aggregate_id):
        q = self.loaded_query(request)
        state = self._audit(service, "audit_aggregate", aggregate_id, q["version"], jsonable(q["as_of"]))
        return json_response(state)

    @route(
        "GET",
        "/audit/{service}/aggregates/{aggregate_id}/history",
        summary="An aggregate's every event with who, when and why",
        tag="audit",
        response=AuditEventSchema(many=True),
        errors=(404,),
    )
    def audit_history(self, request, service, aggregate_id):
        return json_response(self._audit(service, "audit_history", aggregate_id))

    @route(
        "GET",
        "/audit/access-log",
        tag="audit",
        summary="Who read which child's file or history, when, through which route",
        query=gs.AccessLogQuery,
        response=gs.AccessLogPage,
        errors=(400,),
    )
    def access_log(self, request):
        params = self.loaded_query(request)
        rows, next_cursor = self.store.access_log(
            params["cursor"] or 0,
            params["limit"],
            str(params["child_id"]) if params["child_id"] else None,
            params["actor"],
        )
        return json_response(
            gs.AccessLogPage().dump({"items": rows, "next_cursor": str(next_cursor) if next_cursor else None})
        )
