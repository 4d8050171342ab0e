"""Finance's registers as .xlsx (issue 17): a contract's tranches and payments,
recoveries, the journal line by line and the trial balance as of a date, each
the JSON answer's rows under the same policy (api/exports.py explains the
convention); amounts in 元."""

from __future__ import annotations

from services.finance import schemas as fs
from services.gateway import workbook as wb
from services.gateway.api.exports import TAG, ExportRoutes
from services.gateway.web.routes import route


class RecoveryExportQuery(fs.RecoveriesQuery):
    """The recovery list's filters; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


class JournalExportQuery(fs.JournalQuery):
    """The journal's date range; an export is never paged."""

    class Meta:
        exclude = ("limit", "cursor")


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


TRIAL_BALANCE_COLUMNS = (
    wb.Column("fund", wb.CODE),
    wb.Column("account", wb.CODE),
    wb.Column("kind", wb.CODE, heading="account_kind"),
    wb.Column("normal_side", wb.CODE),
    wb.Column("debit_fen", wb.YUAN, heading="debit_yuan"),
    wb.Column("credit_fen", wb.YUAN, heading="credit_yuan"),
    wb.Column("balance_fen", wb.YUAN, heading="balance_yuan"),
)


class FinanceExportRoutes(ExportRoutes):
    @route(
        "GET",
        "/contracts/{contract_id}/funding/export.xlsx",
        summary="A contract's tranches and their payments (拨付台账) as .xlsx, now or as they stood at ?as_of",
        tag=TAG,
        query=fs.FundingQuery,
        media_type=wb.XLSX,
        errors=(400, 404, 422),
    )
    def export_tranches(self, request, contract_id):
        funding = self.call("finance", "get_funding", contract_id, self.query_args(request))
        return self.workbook_reply(
            "资金拨付台账",
            TRANCHE_COLUMNS,
            funding["tranches"],
            "资金拨付台账.xlsx",
            str(funding["as_of_position"]),
        )

    @route(
        "GET",
        "/recoveries/export.xlsx",
        summary="Money owed back (追回资金台账) as .xlsx: the recovery list's filters (?as_of: as they stood)",
        tag=TAG,
        query=RecoveryExportQuery,
        media_type=wb.XLSX,
        errors=(400, 422),
    )
    def export_recoveries(self, request):
        filters = self.query_args(request)
        rows = self.every_page("finance", "list_recoveries", filters, ("status",))
        return self.workbook_reply(
            "追回资金台账", RECOVERY_COLUMNS, rows, "追回资金台账.xlsx", filters.get("as_of_position")
        )

    @route(
        "GET",
        "/ledger/journal/export.xlsx",
        summary="The journal (序时账) as .xlsx, one row per line: the journal's date range "
        "(?as_of: as recorded by then)",
        tag=TAG,
        query=JournalExportQuery,
        media_type=wb.XLSX,
        errors=(400, 422),
    )
    def export_journal(self, request):
        filters = self.query_args(request)
        entries = self.every_page("finance", "journal", filters, ("until", "since"))
        rows = [
            {**{k: v for k, v in entry.items() if k != "lines"}, **line} for entry in entries for line in entry["lines"]
        ]
        return self.workbook_reply("序时账", JOURNAL_COLUMNS, rows, "序时账.xlsx", filters.get("as_of_position"))

    @route(
        "GET",
        "/ledger/trial-balance/export.xlsx",
        summary="The trial balance (科目余额表) as of a date as .xlsx: one row per fund and account; the journal "
        "as recorded now or up to ?as_of_position",
        tag=TAG,
        query=fs.TrialBalanceQuery,
        media_type=wb.XLSX,
        errors=(400, 422),
    )
    def export_trial_balance(self, request):
        balance = self.call("finance", "trial_balance", self.query_args(request))
        title = f"科目余额表 截至{balance['as_of']}"
        return self.workbook_reply(
            title,
            TRIAL_BALANCE_COLUMNS,
            balance["accounts"],
            f"科目余额表-{balance['as_of']}.xlsx",
            str(balance["as_of_position"]),
        )
