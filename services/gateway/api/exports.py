"""Register exports as .xlsx (issue 17; 卫沙民社函〔2025〕11号 §三 信息台账).

One convention: a register's export is `GET <list route>/export.xlsx`, taking
the list's filters (not its paging). It reads the same RPCs as the JSON list,
through the same policy scope (a child director's village is forced by the
guard exactly as for the list), masks the rows with the same function every
JSON answer passes through (guard.as_seen_by), and writes each child it holds
to the access log (policy `children_in_answer`). At most EXPORT_MAX_ROWS rows:
a larger register is refused with 400 and asked to be narrowed, so one export
can neither exhaust the gateway's memory nor stall a worker for minutes.

The registry's registers are here; casework's (cases, groups, activities,
care, a contract's service-line figures) in exports_casework.py, finance's
(tranches, recoveries, journal, trial balance) in exports_finance.py, both
on this class's paging and reply."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from werkzeug.wrappers import Response

from services.gateway import workbook as wb
from services.gateway.web.guard import as_seen_by
from services.gateway.web.http_errors import InvalidQuery
from services.gateway.web.routes import route
from services.registry import schemas as s
from shared.pagination import MAX_LIMIT

TAG = "exports"
EXPORT_MAX_ROWS = 5000


class ChildLedgerQuery(s.ChildListQuery):
    """The children list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


class VisitExportQuery(s.VisitListQuery):
    """The visit list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


VISIT_COLUMNS = (
    wb.Column("visited_on", wb.DATE),
    wb.Column("name"),
    wb.Column("town"),
    wb.Column("village"),
    wb.Column("visitor"),
    wb.Column("findings"),
    wb.Column("follow_up"),
    wb.Column("child_id"),
    wb.Column("visit_id"),
)

LEDGER_COLUMNS = (
    wb.Column("name"),
    wb.Column("gender", wb.CODE),
    wb.Column("date_of_birth", wb.DATE),
    wb.Column("town"),
    wb.Column("village"),
    wb.Column("categories", wb.CODES),
    wb.Column("school_status", wb.CODE),
    wb.Column("guardianship_status", wb.CODE),
    wb.Column("without_household_registration", wb.YES_NO),
    wb.Column("status", wb.CODE),
    wb.Column("registered_on", wb.DATE),
    wb.Column("tier", wb.CODE),
    wb.Column("last_contact_on", wb.DATE),
    wb.Column("visits", wb.NUMBER),
    wb.Column("help_records", wb.NUMBER),
    wb.Column("contact_overdue", wb.YES_NO),
    wb.Column("due_on", wb.DATE),
    wb.Column("days_overdue", wb.NUMBER),
    wb.Column("child_id"),
)


class ExportRoutes:
    def every_page(
        self, service: str, method: str, filters: dict[str, Any], narrow: tuple[str, ...] = ("town", "village")
    ) -> list[dict]:
        """All of a list RPC's rows for these filters, refused past EXPORT_MAX_ROWS
        with the filters that would narrow it (`narrow`, the last named as the field).
        A list that names its log position (as_of_position) is read at the
        first page's position throughout, so the pages fit together; the
        filters then carry that position for the next list read."""
        rows: list[dict] = []
        cursor = None
        while True:
            found = self.call(
                service, method, {**filters, "limit": str(MAX_LIMIT), **({"cursor": cursor} if cursor else {})}
            )
            if "as_of_position" in found and "as_of_position" not in filters:
                filters.pop("as_of", None)
                filters["as_of_position"] = str(found["as_of_position"])
            rows += found["items"]
            if len(rows) > EXPORT_MAX_ROWS:
                raise InvalidQuery(
                    f"more than {EXPORT_MAX_ROWS} rows: narrow the export (by {', '.join(narrow)})",
                    {narrow[-1]: [f"at most {EXPORT_MAX_ROWS} rows per export"]},
                )
            cursor = found.get("next_cursor")
            if cursor is None or cursor == "":  # the journal's cursor is a number
                return rows

    def workbook_reply(
        self, title: str, columns, rows: list[dict], filename: str, position: str | None = None
    ) -> Response:
        """`position`: the service's log position the rows stand at, named in
        the title row and the X-As-Of-Position header (?as_of_position= it again)."""
        seen = as_seen_by(self.caller, rows)
        heading = title if position is None else f"{title}（数据截至日志位置 {position}）"
        response = Response(wb.build(heading, columns, seen, datetime.now(UTC)), mimetype=wb.XLSX)
        if position is not None:
            response.headers["X-As-Of-Position"] = position
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        response.headers["Cache-Control"] = "no-store"
        response.exported = {"items": seen}  # the guard logs each child read (policy children_in_answer)
        return response

    @route(
        "GET",
        "/children/export.xlsx",
        summary="The children's ledger (儿童信息台账) as .xlsx: the list's filters, with last visit, tier and overdue",
        tag=TAG,
        query=ChildLedgerQuery,
        media_type=wb.XLSX,
        errors=(400, 422),
    )
    def export_children(self, request):
        filters = self.query_args(request)
        children = self.every_page("registry", "list_children", filters, ("town", "category", "tier", "village"))
        # Overdue as the ledger stands: at the position the children were read at (on the day it stands at).
        narrowing = {k: v for k, v in filters.items() if k in ("town", "village", "tier", "as_of", "as_of_position")}
        overdue = {o["child_id"]: o for o in self.every_page("registry", "overdue_contacts", narrowing)}
        rows = []
        for child in children:
            late = overdue.get(child["child_id"])
            rows.append(
                {
                    **child,
                    "contact_overdue": late is not None if child.get("tier") else None,
                    "due_on": late and late["due_on"],
                    "days_overdue": late and late["days_overdue"],
                }
            )
        return self.workbook_reply(
            "儿童信息台账", LEDGER_COLUMNS, rows, "儿童信息台账.xlsx", filters.get("as_of_position")
        )

    @route(
        "GET",
        "/visits/export.xlsx",
        summary="Home visits (走访记录) as .xlsx: the visit list's filters",
        tag=TAG,
        query=VisitExportQuery,
        media_type=wb.XLSX,
        errors=(400, 422),
    )
    def export_visits(self, request):
        filters = self.query_args(request)
        rows = self.every_page("registry", "list_visits", filters)
        return self.workbook_reply("走访记录", VISIT_COLUMNS, rows, "走访记录.xlsx", filters.get("as_of_position"))
