"""The workbook builder (services/gateway/workbook.py) and the export's paging
(services/gateway/api/exports.py): Chinese headers and labels from the web
app's dictionary, masked values shown as given, dates as dates, Beijing time,
and a register too large for one export refused."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from services.gateway import workbook as wb
from services.gateway.api import audit, exports, exports_casework, exports_finance
from services.gateway.web.http_errors import InvalidQuery

COLUMNS = (
    wb.Column("name"),
    wb.Column("id_number"),
    wb.Column("gender", wb.CODE),
    wb.Column("date_of_birth", wb.DATE),
    wb.Column("categories", wb.CODES),
    wb.Column("guardianship_status", wb.CODE),
    wb.Column("tier", wb.CODE),
    wb.Column("contact_overdue", wb.YES_NO),
    wb.Column("days_overdue", wb.NUMBER),
)


def opened(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_headers_labels_and_a_masked_id_number_as_given():
    rows = [
        {
            "name": "马小兰",
            "id_number": "640502********0012",
            "gender": "female",
            "date_of_birth": "2016",  # cut by masking to the year: stays text
            "categories": ["left_behind", "distressed"],
            "guardianship_status": "missing",
            "tier": 1,
            "contact_overdue": True,
            "days_overdue": 3,
        },
        {"name": "王小明", "date_of_birth": "2015-03-04", "categories": [], "tier": None, "contact_overdue": False},
    ]
    sheet = opened(wb.build("儿童信息台账", COLUMNS, rows, datetime(2026, 1, 1, 17, 30, tzinfo=UTC)))
    title, headers, first, second = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert title[0] == "儿童信息台账" and "2026-01-02 01:30" in title[1]  # Beijing is UTC+8
    assert headers == [
        "姓名",
        "身份证号",
        "性别",
        "出生日期",
        "儿童类别",
        "监护状况",
        "风险等级",
        "走访是否逾期",
        "逾期天数",
    ]
    assert first[1] == "640502********0012"  # shown as masked, kept as text
    assert first[2] == "女" and first[5] == "监护缺失" and first[6] == "一级（高风险）"
    assert first[4] == "、".join([wb.LABELS["left_behind"], wb.LABELS["distressed"]])
    assert first[3] == "2016" and first[7] == "是" and first[8] == 3
    assert second[3].date() == date(2015, 3, 4) and second[6] is None and second[7] == "否"


def test_every_export_column_has_a_chinese_header():
    for columns in (
        exports.LEDGER_COLUMNS,
        exports.VISIT_COLUMNS,
        exports_casework.CASE_COLUMNS,
        exports_casework.CARE_COLUMNS,
        exports_casework.ACTIVITY_COLUMNS,
        exports_finance.TRIAL_BALANCE_COLUMNS,
        exports_finance.RECOVERY_COLUMNS,
        exports_finance.JOURNAL_COLUMNS,
        exports_casework.GROUP_COLUMNS,
        exports_casework.DELIVERABLE_COLUMNS,
        exports_finance.TRANCHE_COLUMNS,
    ):
        for column in columns:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in column.title), column.key


def test_a_column_may_read_its_header_from_another_entry_and_shows_fen_as_yuan():
    status = wb.Column("status", wb.CODE, heading="case_status")
    assert status.title == "个案状态" != wb.header("status")
    assert wb.cell_value(wb.Column("value_fen", wb.YUAN), 12345) == Decimal("123.45")


class Paged(exports.ExportRoutes):
    """The export's paging over a fake list RPC of `total` rows."""

    def __init__(self, total: int):
        self.total, self.asked = total, []

    def call(self, service, method, params):
        self.asked.append(params)
        start = int(params.get("cursor") or 0)
        end = min(start + int(params["limit"]), self.total)
        return {
            "items": [{"child_id": str(i)} for i in range(start, end)],
            "next_cursor": str(end) if end < self.total else None,
        }


def test_an_export_reads_every_page_with_the_filters():
    paged = Paged(1200)
    rows = paged.every_page("registry", "list_children", {"village": "新北村"})
    assert len(rows) == 1200 and len(paged.asked) == 3
    assert all(p["village"] == "新北村" for p in paged.asked)


def test_a_register_too_large_for_one_export_is_refused():
    with pytest.raises(InvalidQuery) as refused:
        Paged(exports.EXPORT_MAX_ROWS + 1).every_page("registry", "list_children", {})
    assert "village" in refused.value.fields


def test_text_that_looks_like_a_formula_is_written_as_text():
    """A child registered as =HYPERLINK(...) (POST /children takes any text)
    must not become a formula that runs when the ledger is opened."""
    sneaky = '=HYPERLINK("http://x.invalid","点我")'
    data = wb.build("台账", (wb.Column("name"),), [{"name": sneaky}], datetime(2025, 6, 1, tzinfo=UTC))
    cell = opened(data).cell(row=3, column=1)
    assert cell.value == sneaky and cell.data_type == "s"


def test_control_characters_the_format_cannot_hold_are_written_as_escapes():
    """A request path in the who-viewed log can carry any character; openpyxl
    refused the whole export over one (found by the fuzz test)."""
    path = "/children/\x01\x1b[0m/history"
    data = wb.build("查阅记录", (wb.Column("access_path"),), [{"access_path": path}], datetime(2025, 6, 1, tzinfo=UTC))
    assert opened(data).cell(row=3, column=1).value == "/children/\\x01\\x1b[0m/history"


def test_a_register_too_large_is_refused_naming_its_own_filter():
    with pytest.raises(InvalidQuery) as refused:
        Paged(exports.EXPORT_MAX_ROWS + 1).every_page("finance", "journal", {}, ("until", "since"))
    assert set(refused.value.fields) == {"since"} and "until, since" in str(refused.value)


def test_a_coded_value_reads_in_the_columns_own_context():
    status = wb.Column("status", wb.CODE, heading="tranche_status")
    assert wb.cell_value(status, "payable") == "可支付" and wb.cell_value(status, "paid") == "已支付"


class LoggedReads(audit.AuditRoutes):
    """The who-viewed export's paging over a fake access log of `total` reads."""

    def __init__(self, total: int):
        self.total, self.asked = total, []
        self.store = self

    def access_log(self, after, limit, *filters):
        self.asked.append((after, limit, filters))
        end = min(after + limit, self.total)
        reads = [{"position": i + 1} for i in range(after, end)]
        return reads, (end if end < self.total else None)


def test_the_who_viewed_export_reads_every_page_with_the_filters():
    logged = LoggedReads(1200)
    filters = {"child_id": None, "actor": "zhang", "read_from": date(2026, 3, 1), "read_to": None}
    assert len(logged.every_read(filters)) == 1200 and len(logged.asked) == 3
    assert {asked[2] for asked in logged.asked} == {(None, "zhang", date(2026, 3, 1), None)}


def test_a_who_viewed_log_too_large_for_one_export_is_refused():
    with pytest.raises(InvalidQuery) as refused:
        LoggedReads(exports.EXPORT_MAX_ROWS + 1).every_read(
            {"child_id": None, "actor": None, "read_from": None, "read_to": None}
        )
    assert set(refused.value.fields) == {"read_from"}


def test_a_read_shows_in_beijing_time_with_its_outcome_and_address_decoded():
    read = {
        "at": datetime(2026, 3, 1, 16, 5, tzinfo=UTC),
        "actor": "zhang",
        "role": "child_director",
        "child_id": "c-1",
        "route": "GET /visits",
        "path": "/visits?village=%E6%96%B0%E5%8C%97%E6%9D%91",
        "status": 403,
    }
    row = audit.access_row(read)
    assert row["read_at"] == "2026-03-02 00:05:00" and row["access_path"] == "/visits?village=新北村"
    assert row["access_outcome"] == "被拒绝" and row["access_status"] == 403
    assert [audit.access_outcome(s) for s in (200, 404, 500)] == ["已查看", "未找到", "未成功（500）"]
    assert [c.title for c in audit.ACCESS_LOG_COLUMNS][:3] == ["查阅时间", "查阅人", "查阅人角色"]
