"""Register exports as .xlsx (issue 17; 卫沙民社函〔2025〕11号 §三 信息台账).

One convention: a register's export is `GET <list route>/export.xlsx`, taking
the list's filters (not its paging). It reads the same RPCs as the JSON list,
through the same policy scope (a child director's village is forced by the
guard exactly as for the list), masks the rows with the same function every
JSON answer passes through (guard.as_seen_by), and writes each child it holds
to the access log (policy `children_in_answer`). At most EXPORT_MAX_ROWS rows:
a larger register is refused with 400 and asked to be narrowed, so one export
can neither exhaust the gateway's memory nor stall a worker for minutes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from werkzeug.wrappers import Response

from services.casework import schemas as cs
from services.finance import schemas as fs
from services.gateway import workbook as wb
from services.gateway.web.guard import as_seen_by
from services.gateway.web.http_errors import InvalidQuery
from services.gateway.web.routes import route
from services.registry import schemas as s
from shared.pagination import MAX_LIMIT
from shared.validation import StrictSchema

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

TRIAL_BALANCE_COLUMNS = (
    wb.Column("fund", wb.CODE),
    wb.Column("account", wb.CODE),
    wb.Column("kind", wb.CODE, heading="account_kind"),
    wb.Column("normal_side", wb.CODE),
    wb.Column("debit_fen", wb.YUAN, heading="debit_yuan"),
    wb.Column("credit_fen", wb.YUAN, heading="credit_yuan"),
    wb.Column("balance_fen", wb.YUAN, heading="balance_yuan"),
)


class RecoveryExportQuery(fs.RecoveriesQuery):
    """The recovery list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


RECOVERY_COLUMNS = (
    wb.Column("raised_on", wb.DATE),
    wb.Column("organization_id"),
    wb.Column("contract_id"),
    wb.Column("reason", wb.CODE, heading="recovery_reason"),
    wb.Column("basis", wb.CODE, heading="recovery_basis"),
    wb.Column("amount_fen", wb.YUAN, heading="recovery_amount_yuan"),
    wb.Column("collected_fen", wb.YUAN, heading="collected_yuan"),
    wb.Column("written_off_fen", wb.YUAN, heading="written_off_yuan"),
    wb.Column("outstanding_fen", wb.YUAN, heading="outstanding_yuan"),
    wb.Column("status", wb.CODE, heading="recovery_status"),
    wb.Column("age_days", wb.NUMBER),
    wb.Column("recovery_id"),
)


class JournalExportQuery(fs.JournalQuery):
    """The journal's date range; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


# One row per journal line, its entry's fields repeated on each (a sheet has no nesting).
JOURNAL_COLUMNS = (
    wb.Column("sequence", wb.NUMBER, heading="entry_sequence"),
    wb.Column("entry_date", wb.DATE),
    wb.Column("kind", wb.CODE, heading="entry_kind"),
    wb.Column("memo"),
    wb.Column("fund", wb.CODE),
    wb.Column("account", wb.CODE),
    wb.Column("debit_fen", wb.YUAN, heading="debit_yuan"),
    wb.Column("credit_fen", wb.YUAN, heading="credit_yuan"),
    wb.Column("contract_id"),
    wb.Column("reverses"),
    wb.Column("reason", heading="reversal_reason"),
    wb.Column("entry_id"),
)


class GroupExportQuery(cs.GroupQuery):
    """The group list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


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


class ReportExportQuery(cs.ReportQuery):
    """The quarterly report's query; the format is the workbook's."""

    class Meta:
        exclude = ("format",)


class NoFilters(StrictSchema):
    """A register with no filters: anything asked of it is refused (400), not ignored."""


DELIVERABLE_COLUMNS = (
    wb.Column("line", wb.CODE, heading="service_line"),
    wb.Column("expected", wb.YES_NO, heading="line_expected"),
    wb.Column("records", wb.NUMBER, heading="line_records"),
    wb.Column("attendances", wb.NUMBER),
    wb.Column("children_reached", wb.NUMBER),
    wb.Column("delivered", wb.YES_NO, heading="line_delivered"),
)

TRANCHE_COLUMNS = (
    wb.Column("number", wb.NUMBER, heading="tranche_number"),
    wb.Column("percent", wb.NUMBER, heading="tranche_percent"),
    wb.Column("gate", wb.CODE, heading="tranche_gate"),
    wb.Column("amount_fen", wb.YUAN, heading="amount_yuan"),
    wb.Column("status", wb.CODE, heading="tranche_status"),
    wb.Column("payable_on", wb.DATE),
    wb.Column("paid_on", wb.DATE),
    wb.Column("voucher"),
    wb.Column("withheld_reason"),
    wb.Column("tranche_id"),
)

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
        with the filters that would narrow it (`narrow`, the first named as the field)."""
        rows: list[dict] = []
        cursor = None
        while True:
            found = self.call(
                service, method, {**filters, "limit": str(MAX_LIMIT), **({"cursor": cursor} if cursor else {})}
            )
            rows += found["items"]
            if len(rows) > EXPORT_MAX_ROWS:
                raise InvalidQuery(
                    f"more than {EXPORT_MAX_ROWS} rows: narrow the export (by {', '.join(narrow)})",
                    {narrow[-1]: [f"at most {EXPORT_MAX_ROWS} rows per export"]},
                )
            cursor = found.get("next_cursor")
            if cursor is None or cursor == "":  # the journal's cursor is a number
                return rows

    def workbook_reply(self, title: str, columns, rows: list[dict], filename: str) -> Response:
        seen = as_seen_by(self.caller, rows)
        response = Response(wb.build(title, columns, seen, datetime.now(UTC)), mimetype=wb.XLSX)
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
        errors=(400,),
    )
    def export_children(self, request):
        filters = self.query_args(request)
        children = self.every_page("registry", "list_children", filters, ("town", "category", "tier", "village"))
        narrowing = {k: v for k, v in filters.items() if k in ("town", "village", "tier")}
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
        return self.workbook_reply("儿童信息台账", LEDGER_COLUMNS, rows, "儿童信息台账.xlsx")

    @route(
        "GET",
        "/visits/export.xlsx",
        summary="Home visits (走访记录) as .xlsx: the visit list's filters",
        tag=TAG,
        query=VisitExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_visits(self, request):
        rows = self.every_page("registry", "list_visits", self.query_args(request))
        return self.workbook_reply("走访记录", VISIT_COLUMNS, rows, "走访记录.xlsx")

    @route(
        "GET",
        "/cases/export.xlsx",
        summary="Cases (个案台账) as .xlsx: the case list's filters; provider staff name their contract",
        tag=TAG,
        query=CaseExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_cases(self, request):
        cases = self.every_page("casework", "list_cases", self.query_args(request), ("contract_id", "status"))
        rows = [{**c, "flagged_for_closure": bool(c.get("flagged_for_closure"))} for c in cases]
        return self.workbook_reply("个案台账", CASE_COLUMNS, rows, "个案台账.xlsx")

    @route(
        "GET",
        "/care-services/export.xlsx",
        summary="Life care and age-appropriate services (关爱服务记录) as .xlsx: the list's filters",
        tag=TAG,
        query=CareExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_care_services(self, request):
        rows = self.every_page("casework", "list_care_services", self.query_args(request), ("contract_id", "kind"))
        return self.workbook_reply("关爱服务记录", CARE_COLUMNS, rows, "关爱服务记录.xlsx")

    @route(
        "GET",
        "/contracts/{contract_id}/reports/quarterly/{period}/export.xlsx",
        summary="A contract's deliverables by service line for a quarter (服务内容完成情况) as .xlsx",
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
        )

    @route(
        "GET",
        "/contracts/{contract_id}/funding/export.xlsx",
        summary="A contract's tranches and their payments (拨付台账) as .xlsx",
        tag=TAG,
        query=NoFilters,
        media_type=wb.XLSX,
        errors=(400, 404),
    )
    def export_tranches(self, request, contract_id):
        self.query_args(request)
        funding = self.call("finance", "get_funding", contract_id)
        return self.workbook_reply("资金拨付台账", TRANCHE_COLUMNS, funding["tranches"], "资金拨付台账.xlsx")

    @route(
        "GET",
        "/activities/export.xlsx",
        summary="Activities (活动记录: safety education, 塞上护童 themes, publicity) as .xlsx: the list's filters",
        tag=TAG,
        query=ActivityExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_activities(self, request):
        rows = self.every_page("casework", "list_activities", self.query_args(request), ("contract_id", "month"))
        return self.workbook_reply("活动记录", ACTIVITY_COLUMNS, rows, "活动记录.xlsx")

    @route(
        "GET",
        "/ledger/trial-balance/export.xlsx",
        summary="The trial balance (科目余额表) as of a date as .xlsx: one row per fund and account",
        tag=TAG,
        query=fs.TrialBalanceQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_trial_balance(self, request):
        balance = self.call("finance", "trial_balance", self.query_args(request))
        title = f"科目余额表 截至{balance['as_of']}"
        return self.workbook_reply(
            title, TRIAL_BALANCE_COLUMNS, balance["accounts"], f"科目余额表-{balance['as_of']}.xlsx"
        )

    @route(
        "GET",
        "/recoveries/export.xlsx",
        summary="Money owed back (追回资金台账) as .xlsx: the recovery list's filters",
        tag=TAG,
        query=RecoveryExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_recoveries(self, request):
        rows = self.every_page("finance", "list_recoveries", self.query_args(request), ("status",))
        return self.workbook_reply("追回资金台账", RECOVERY_COLUMNS, rows, "追回资金台账.xlsx")

    @route(
        "GET",
        "/ledger/journal/export.xlsx",
        summary="The journal (序时账) as .xlsx, one row per line: the journal's date range",
        tag=TAG,
        query=JournalExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_journal(self, request):
        entries = self.every_page("finance", "journal", self.query_args(request), ("until", "since"))
        rows = [
            {**{k: v for k, v in entry.items() if k != "lines"}, **line} for entry in entries for line in entry["lines"]
        ]
        return self.workbook_reply("序时账", JOURNAL_COLUMNS, rows, "序时账.xlsx")

    @route(
        "GET",
        "/groups/export.xlsx",
        summary="Group work (小组工作记录) as .xlsx: the group list's filters",
        tag=TAG,
        query=GroupExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_groups(self, request):
        rows = self.every_page("casework", "list_groups", self.query_args(request), ("contract_id", "service_line"))
        return self.workbook_reply("小组工作记录", GROUP_COLUMNS, rows, "小组工作记录.xlsx")
