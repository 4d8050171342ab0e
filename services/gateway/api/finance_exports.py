"""The finance officer's tables as .xlsx (issue 16): the journal, the trial
balance as of a date and the recoveries, by the convention of api/exports.py —
`GET <list route>/export.xlsx` with the list's filters (not its paging), the
same RPCs through the same policy as the JSON route, money as yuan with two
decimals (the rows hold integer fen), codes in Chinese from the web app's
dictionary, and at most EXPORT_MAX_ROWS rows read."""

from __future__ import annotations

from typing import Any

from services.finance import schemas as s
from services.gateway import workbook as wb
from services.gateway.api.exports import EXPORT_MAX_ROWS
from services.gateway.web.http_errors import InvalidQuery
from services.gateway.web.routes import route
from shared.pagination import MAX_LIMIT

TAG = "exports"


class JournalExportQuery(s.JournalQuery):
    """The journal's date filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


class RecoveriesExportQuery(s.RecoveriesQuery):
    class Meta:
        exclude = ("limit", "cursor")


JOURNAL_COLUMNS = (
    wb.Column("sequence", wb.NUMBER),
    wb.Column("entry_date", wb.DATE),
    wb.Column("journal_kind", wb.CODE),
    wb.Column("account", wb.CODE),
    wb.Column("fund", wb.CODE),
    wb.Column("debit_fen", wb.MONEY),
    wb.Column("credit_fen", wb.MONEY),
    wb.Column("contract_id"),
    wb.Column("memo"),
    wb.Column("reverses"),
    wb.Column("reversal_reason"),
    wb.Column("source_id"),
    wb.Column("source_version", wb.NUMBER),
)

TRIAL_BALANCE_COLUMNS = (
    wb.Column("fund", wb.CODE),
    wb.Column("account", wb.CODE),
    wb.Column("account_kind", wb.CODE),
    wb.Column("debit_fen", wb.MONEY),
    wb.Column("credit_fen", wb.MONEY),
    wb.Column("balance_fen", wb.MONEY),
)

RECOVERY_COLUMNS = (
    wb.Column("contract_id"),
    wb.Column("organization_id"),
    wb.Column("raised_on", wb.DATE),
    wb.Column("age_days", wb.NUMBER),
    wb.Column("termination_reason", wb.CODE),
    wb.Column("recovery_basis", wb.CODE),
    wb.Column("amount_fen", wb.MONEY),
    wb.Column("collected_fen", wb.MONEY),
    wb.Column("written_off_fen", wb.MONEY),
    wb.Column("outstanding_fen", wb.MONEY),
    wb.Column("recovery_status", wb.CODE),
    wb.Column("recovery_id"),
)


def journal_rows(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per journal line, each carrying its entry's date, kind and source."""
    return [
        {
            "sequence": e["sequence"],
            "entry_date": e["entry_date"],
            "journal_kind": e["kind"],
            "memo": e["memo"],
            "reverses": e.get("reverses"),
            "reversal_reason": e.get("reason"),
            "source_id": e["source_id"],
            "source_version": e["source_version"],
            **line,
        }
        for e in entries
        for line in e["lines"]
    ]


def trial_balance_rows(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**row, "account_kind": row["kind"]} for row in answer["accounts"]]


def recovery_rows(recoveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**r, "termination_reason": r["reason"], "recovery_basis": r["basis"], "recovery_status": r["status"]}
        for r in recoveries
    ]


class FinanceExportRoutes:
    def finance_pages(self, method: str, filters: dict[str, Any], narrow_by: str) -> list[dict]:
        """All of a finance list's rows for these filters, refused past EXPORT_MAX_ROWS."""
        rows: list[dict] = []
        cursor = None
        while True:
            found = self.call(
                "finance", method, {**filters, "limit": str(MAX_LIMIT), **({"cursor": cursor} if cursor else {})}
            )
            rows += found["items"]
            if len(rows) > EXPORT_MAX_ROWS:
                raise InvalidQuery(
                    f"more than {EXPORT_MAX_ROWS} rows: narrow the export by {narrow_by}",
                    {narrow_by: [f"at most {EXPORT_MAX_ROWS} rows per export"]},
                )
            cursor = found.get("next_cursor")
            if not cursor:
                return rows

    @route(
        "GET",
        "/ledger/journal/export.xlsx",
        summary="The journal (会计分录) as .xlsx, one row per line: the journal's date filters",
        tag=TAG,
        query=JournalExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_journal(self, request):
        entries = self.finance_pages("journal", self.query_args(request), "since")
        return self.workbook_reply("会计分录", JOURNAL_COLUMNS, journal_rows(entries), "会计分录.xlsx")

    @route(
        "GET",
        "/ledger/trial-balance/export.xlsx",
        summary="The trial balance (试算平衡表) as of a date as .xlsx, per fund and account",
        tag=TAG,
        query=s.TrialBalanceQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_trial_balance(self, request):
        answer = self.call("finance", "trial_balance", self.query_args(request))
        title = f"试算平衡表（截至 {answer['as_of']}）"
        return self.workbook_reply(
            title, TRIAL_BALANCE_COLUMNS, trial_balance_rows(answer), f"试算平衡表-{answer['as_of']}.xlsx"
        )

    @route(
        "GET",
        "/recoveries/export.xlsx",
        summary="Money to recover (追回款) as .xlsx, with age: the list's status filter",
        tag=TAG,
        query=RecoveriesExportQuery,
        media_type=wb.XLSX,
        errors=(400,),
    )
    def export_recoveries(self, request):
        recoveries = self.finance_pages("list_recoveries", self.query_args(request), "status")
        return self.workbook_reply("追回款", RECOVERY_COLUMNS, recovery_rows(recoveries), "追回款.xlsx")
