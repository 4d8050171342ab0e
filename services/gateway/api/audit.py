"""Audit routes (DESIGN.md §5, audit row): verification, the log between
positions or dates, any aggregate at a version or moment, and who read which
child's file."""

from urllib.parse import unquote

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.gateway import schemas as gs
from services.gateway import workbook as wb
from services.gateway.api import log_export
from services.gateway.api.exports import EXPORT_MAX_ROWS
from services.gateway.web.http_errors import GatewayError, InvalidQuery
from services.gateway.web.routes import route
from services.gateway.web.upstream import bounded
from services.gateway.web.worker import json_response
from shared.audit.service import AuditEntrypoints
from shared.config import SERVICES
from shared.jsonable import jsonable
from shared.pagination import MAX_LIMIT
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

    @validates_schema(skip_on_field_errors=True)
    def a_range_that_runs_forward(self, data, **kwargs):
        if data.get("upto") is not None and data["upto"] <= data.get("after", 0):
            raise ValidationError(["must be greater than after"], "upto")
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError(["must not be before since"], "until")


class LogExportQuery(EventsQuery):
    """The log's query without paging: an export runs to the end of its range."""

    class Meta:
        exclude = ("limit",)


class AccessLogExportQuery(gs.AccessLogQuery):
    """The who-viewed list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


ACCESS_LOG_COLUMNS = (
    wb.Column("read_at"),
    wb.Column("reader"),
    wb.Column("reader_role", wb.CODE),
    wb.Column("child_id"),
    wb.Column("access_outcome"),
    wb.Column("access_route"),
    wb.Column("access_path"),
    wb.Column("access_status", wb.NUMBER),
)


def access_outcome(status: int) -> str:
    """As the who-viewed screen says it (web/src/audit.ts accessOutcome)."""
    if status < 400:
        return "已查看"
    return {403: "被拒绝", 404: "未找到"}.get(status, f"未成功（{status}）")


def access_row(read: dict) -> dict:
    """One read as the workbook shows it: when in Beijing time, the address decoded."""
    return {
        "read_at": f"{read['at'].astimezone(wb.PROGRAMME_TZ):%Y-%m-%d %H:%M:%S}",
        "reader": read["actor"],
        "reader_role": read["role"],
        "child_id": read["child_id"],
        "access_outcome": access_outcome(read["status"]),
        "access_route": read["route"],
        "access_path": unquote(read["path"]),
        "access_status": read["status"],
    }


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


def _access_filters(params: dict) -> tuple:
    """The who-viewed log's filters, in the order AccessLogUseCases.access_log takes them."""
    child_id = str(params["child_id"]) if params["child_id"] else None
    return child_id, params["actor"], params["read_from"], params["read_to"]


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
        "/audit/{service}/export.jsonl",
        summary="A service's log between positions or dates as the audit CLI's JSONL export, streamed; "
        "tools/verify_export.py checks it offline",
        tag="audit",
        query=LogExportQuery,
        media_type=log_export.JSONL,
        errors=(400, 404),
    )
    def audit_export(self, request, service):
        q = self.loaded_query(request)
        masking = {
            "id_numbers": self.caller.masks_id_numbers,
            "health": self.caller.masks_mental_health,
            "id_style": self.caller.id_style,
        }

        def piece(after: int) -> dict:
            piece_size = self.settings.audit_export_piece
            args = (after, q["upto"], jsonable(q["since"]), jsonable(q["until"]), piece_size, masking)
            return self._audit(service, "audit_export", *args)

        return log_export.streamed(self, request, service, piece(q["after"]), piece)

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
        rows, next_cursor = self.store.access_log(params["cursor"] or 0, params["limit"], *_access_filters(params))
        return json_response(
            gs.AccessLogPage().dump({"items": rows, "next_cursor": str(next_cursor) if next_cursor else None})
        )

    @route(
        "GET",
        "/audit/access-log/export.xlsx",
        tag="audit",
        summary="The who-viewed log (查阅记录) as .xlsx: the list's filters (child, person, days)",
        query=AccessLogExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_access_log(self, request):
        rows = [access_row(read) for read in self.every_read(self.loaded_query(request))]
        return self.workbook_reply("查阅记录", ACCESS_LOG_COLUMNS, rows, "查阅记录.xlsx")

    def every_read(self, params: dict) -> list[dict]:
        """The who-viewed log under these filters, refused past EXPORT_MAX_ROWS (as register exports are)."""
        reads: list[dict] = []
        cursor: int | None = 0
        while cursor is not None:
            found, cursor = self.store.access_log(cursor, MAX_LIMIT, *_access_filters(params))
            reads += found
            if len(reads) > EXPORT_MAX_ROWS:
                raise InvalidQuery(
                    f"more than {EXPORT_MAX_ROWS} rows: narrow the export (by child_id, actor, read_from, read_to)",
                    {"read_from": [f"at most {EXPORT_MAX_ROWS} rows per export"]},
                )
        return reads
