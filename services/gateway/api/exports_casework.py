"""Casework's registers as .xlsx (issue 17): cases, groups, activities, care
services and a contract's service-line figures for a quarter, each the JSON
list's rows under the same policy scope (provider staff name one of their
organisation's contracts) and masking (api/exports.py explains the convention)."""

from __future__ import annotations

from services.casework import schemas as cs
from services.gateway import workbook as wb
from services.gateway.api.exports import TAG, ExportRoutes
from services.gateway.web.routes import route


class CaseExportQuery(cs.CaseQuery):
    """The case list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


class CareExportQuery(cs.CareQuery):
    """The care-service list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


class ActivityExportQuery(cs.ActivityQuery):
    """The activity list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


class GroupExportQuery(cs.GroupQuery):
    """The group list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


class ReportExportQuery(cs.ReportQuery):
    """The quarterly report's query; the format is the workbook's."""

    class Meta:
        exclude = ("format",)


CASE_COLUMNS = (
    wb.Column("child_id"),
    wb.Column("opened_on", wb.DATE),
    wb.Column("worker"),
    wb.Column("status", wb.CODE, heading="case_status"),
    wb.Column("sessions", wb.NUMBER),
    wb.Column("flagged_for_closure", wb.YES_NO),
    wb.Column("closed_on", wb.DATE),
    wb.Column("closure_reason", wb.CODE),
    wb.Column("contract_id"),
    wb.Column("case_id"),
)


GROUP_COLUMNS = (
    wb.Column("name", heading="group_name"),
    wb.Column("service_line", wb.CODE),
    wb.Column("purpose"),
    wb.Column("min_age", wb.NUMBER),
    wb.Column("max_age", wb.NUMBER),
    wb.Column("formed_on", wb.DATE),
    wb.Column("worker"),
    wb.Column("members", wb.NUMBER),
    wb.Column("sessions", wb.NUMBER, heading="group_sessions"),
    wb.Column("contract_id"),
    wb.Column("group_id"),
)


ACTIVITY_COLUMNS = (
    wb.Column("held_on", wb.DATE),
    wb.Column("kind", wb.CODE, heading="activity_kind"),
    wb.Column("title", heading="activity_title"),
    wb.Column("service_line", wb.CODE),
    wb.Column("theme"),
    wb.Column("topics", wb.CODES),
    wb.Column("town"),
    wb.Column("village"),
    wb.Column("children", wb.NUMBER, heading="activity_children"),
    wb.Column("guardian_count", wb.NUMBER),
    wb.Column("community_count", wb.NUMBER),
    wb.Column("contract_id"),
    wb.Column("activity_id"),
)


CARE_COLUMNS = (
    wb.Column("given_on", wb.DATE),
    wb.Column("kind", wb.CODE, heading="care_kind"),
    wb.Column("child_id"),
    wb.Column("value_fen", wb.YUAN, heading="value_yuan"),
    wb.Column("resource"),
    wb.Column("occasion"),
    wb.Column("contract_id"),
    wb.Column("service_id"),
)


DELIVERABLE_COLUMNS = (
    wb.Column("line", wb.CODE, heading="service_line"),
    wb.Column("expected", wb.YES_NO, heading="line_expected"),
    wb.Column("records", wb.NUMBER, heading="line_records"),
    wb.Column("attendances", wb.NUMBER),
    wb.Column("children_reached", wb.NUMBER),
    wb.Column("delivered", wb.YES_NO, heading="line_delivered"),
)


class CaseworkExportRoutes(ExportRoutes):
    @route(
        "GET",
        "/cases/export.xlsx",
        summary="Cases (个案台账) as .xlsx: the case list's filters (?as_of: as they stood); provider staff name "
        "their contract",
        tag=TAG,
        query=CaseExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_cases(self, request):
        filters = self.query_args(request)
        cases = self.every_page("casework", "list_cases", filters, ("contract_id", "status"))
        rows = [{**c, "flagged_for_closure": bool(c.get("flagged_for_closure"))} for c in cases]
        return self.workbook_reply("个案台账", CASE_COLUMNS, rows, "个案台账.xlsx", filters.get("as_of_position"))

    @route(
        "GET",
        "/groups/export.xlsx",
        summary="Group work (小组工作记录) as .xlsx: the group list's filters (?as_of: as they stood)",
        tag=TAG,
        query=GroupExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_groups(self, request):
        filters = self.query_args(request)
        rows = self.every_page("casework", "list_groups", filters, ("contract_id", "service_line"))
        return self.workbook_reply(
            "小组工作记录", GROUP_COLUMNS, rows, "小组工作记录.xlsx", filters.get("as_of_position")
        )

    @route(
        "GET",
        "/activities/export.xlsx",
        summary="Activities (活动记录: safety education, 塞上护童 themes, publicity) as .xlsx: the list's filters "
        "(?as_of: as they stood)",
        tag=TAG,
        query=ActivityExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_activities(self, request):
        filters = self.query_args(request)
        rows = self.every_page("casework", "list_activities", filters, ("contract_id", "month"))
        return self.workbook_reply("活动记录", ACTIVITY_COLUMNS, rows, "活动记录.xlsx", filters.get("as_of_position"))

    @route(
        "GET",
        "/care-services/export.xlsx",
        summary="Life care and age-appropriate services (关爱服务记录) as .xlsx: the list's filters "
        "(?as_of: as they stood)",
        tag=TAG,
        query=CareExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_care_services(self, request):
        filters = self.query_args(request)
        rows = self.every_page("casework", "list_care_services", filters, ("contract_id", "kind"))
        return self.workbook_reply(
            "关爱服务记录", CARE_COLUMNS, rows, "关爱服务记录.xlsx", filters.get("as_of_position")
        )

    @route(
        "GET",
        "/contracts/{contract_id}/reports/quarterly/{period}/export.xlsx",
        summary="A contract's deliverables by service line for a quarter (服务内容完成情况) as .xlsx, "
        "as of now or ?as_of (a date or a log position)",
        tag=TAG,
        query=ReportExportQuery,
        media_type=wb.XLSX,
        errors=(400, 404, 422),
    )
    def export_deliverables(self, request, contract_id, period):
        self.loaded_query(request)
        report = self.call("casework", "quarterly_report", contract_id, period, request.args.to_dict())
        return self.workbook_reply(
            f"服务内容完成情况 {period}",
            DELIVERABLE_COLUMNS,
            report["service_lines"],
            f"服务内容完成情况-{period}.xlsx",
            str(report["as_of_position"]),
        )
