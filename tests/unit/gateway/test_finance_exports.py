"""The finance tables as .xlsx (services/gateway/api/finance_exports.py):
one row per journal line, money in yuan with two decimals from integer fen
(exactly), Chinese headers and codes from the web app's dictionary."""

import io
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import load_workbook

from services.gateway import workbook as wb
from services.gateway.api import finance_exports as fx

ENTRY = {
    "sequence": 5,
    "entry_id": "e5",
    "entry_date": "2026-03-02",
    "kind": "tranche_paid",
    "memo": "tranche 1 paid",
    "reverses": None,
    "reason": None,
    "source_id": "c-1",
    "source_version": 4,
    "posted_at": "2026-03-02T01:00:00+00:00",
    "lines": [
        {
            "account": "tranches_payable",
            "fund": "fiscal",
            "contract_id": "c-1",
            "debit_fen": 10_000_001,
            "credit_fen": 0,
        },
        {"account": "fiscal_cash", "fund": "fiscal", "contract_id": "c-1", "debit_fen": 0, "credit_fen": 10_000_001},
    ],
}


def sheet_rows(columns, rows) -> tuple[list, list[dict], object]:
    data = wb.build("会计分录", columns, rows, datetime(2026, 3, 2, tzinfo=UTC))
    sheet = load_workbook(io.BytesIO(data)).active
    _title, headers, *body = list(sheet.iter_rows(values_only=True))
    return list(headers), [dict(zip(headers, r, strict=True)) for r in body], sheet


def test_the_journal_is_one_row_per_line_with_money_in_yuan_and_chinese_codes():
    headers, rows, sheet = sheet_rows(fx.JOURNAL_COLUMNS, fx.journal_rows([ENTRY]))
    assert headers[:7] == ["序号", "记账日期", "业务", "科目", "资金", "借方（元）", "贷方（元）"]
    assert [(r["序号"], r["业务"], r["科目"], r["资金"], r["借方（元）"], r["贷方（元）"]) for r in rows] == [
        (5, "拨款支付", "应付拨款", "财政资金", 100000.01, 0),
        (5, "拨款支付", "财政资金存款", "财政资金", 0, 100000.01),
    ]
    assert rows[0]["记账日期"].date().isoformat() == "2026-03-02"
    assert sheet.cell(row=3, column=6).number_format == wb.MONEY_FORMAT


def test_money_is_exact_yuan_never_a_float_rounding():
    column = wb.Column("amount_fen", wb.MONEY)
    assert wb.cell_value(column, 29) == Decimal("0.29")
    assert wb.cell_value(column, 10**13) == Decimal("100000000000")
    assert wb.cell_value(column, 0) == 0
    assert wb.cell_value(column, None) is None


def test_the_trial_balance_and_recoveries_read_in_chinese():
    answer = {
        "as_of": "2026-03-02",
        "accounts": [
            {
                "fund": "donation",
                "account": "donation_cash",
                "kind": "asset",
                "normal_side": "debit",
                "debit_fen": 200_000,
                "credit_fen": 0,
                "balance_fen": 200_000,
            }
        ],
    }
    _, (row,), _ = sheet_rows(fx.TRIAL_BALANCE_COLUMNS, fx.trial_balance_rows(answer))
    assert row == {
        "资金": "社会捐赠",
        "科目": "捐赠资金存款",
        "科目类别": "资产类",
        "借方（元）": 2000,
        "贷方（元）": 0,
        "余额（元，借方为正）": 2000,
    }
    recovery = {
        "recovery_id": "r-1",
        "contract_id": "c-1",
        "organization_id": "o-1",
        "amount_fen": 10_000_000,
        "collected_fen": 4_000_000,
        "written_off_fen": 0,
        "outstanding_fen": 6_000_000,
        "raised_on": "2026-03-01",
        "reason": "misuse",
        "basis": "all_fiscal_paid",
        "status": "open",
        "age_days": 1,
    }
    _, (row,), _ = sheet_rows(fx.RECOVERY_COLUMNS, fx.recovery_rows([recovery]))
    assert (row["终止原因"], row["追回依据"], row["状态"], row["尚欠（元）"]) == (
        "挪用资金",
        "全部已拨付财政资金",
        "待追回",
        60000,
    )


def test_every_finance_column_has_a_chinese_header():
    for column in (*fx.JOURNAL_COLUMNS, *fx.TRIAL_BALANCE_COLUMNS, *fx.RECOVERY_COLUMNS):
        assert wb.header(column.key)
