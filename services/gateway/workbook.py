"""Rows → an .xlsx workbook, and nothing else: one sheet, a title line with
when it was made (Asia/Shanghai), Chinese headers and Chinese labels for coded
values, both from the web app's dictionary (web/src/i18n/labels.zh-CN.json,
read once at start) so a register reads the same on screen and on paper
(卫沙民社函〔2025〕11号 §三: the 信息台账). The rows arrive already masked for the
reader: this module shows what it is given and never unmasks or looks up."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRAMME_TZ = ZoneInfo("Asia/Shanghai")
LABELS_FILE = Path(__file__).resolve().parents[2] / "web/src/i18n/labels.zh-CN.json"
_DICTIONARY = json.loads(LABELS_FILE.read_text("utf-8"))
LABELS: Mapping[str, str] = _DICTIONARY["codes"]
BY_CONTEXT: Mapping[str, Mapping[str, str]] = _DICTIONARY["byContext"]

# How a column's values are shown.
TEXT, CODE, CODES, DATE, NUMBER, YES_NO = "text", "code", "codes", "date", "number", "yes_no"
YUAN = "yuan"  # integer fen in the row, yuan with two decimals in the cell (exact: a Decimal)
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Column:
    key: str  # the row's field, and the header's entry in the dictionary
    kind: str = TEXT
    heading: str | None = None  # the header's entry when the field's own name reads wrong (a case's status)

    @property
    def title(self) -> str:
        return header(self.heading or self.key)


def header(key: str) -> str:
    """The column's Chinese header; a field missing from the dictionary is a bug (tested)."""
    return LABELS[key]


def label(key: str, value: Any) -> str:
    """A coded value in Chinese (a field's own reading first, as the web app's label())."""
    text = str(value)
    return BY_CONTEXT.get(key, {}).get(text) or LABELS.get(text) or text


def cell_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return None
    if column.kind == CODE:
        return label(column.heading or column.key, value)
    if column.kind == CODES:
        return "、".join(label(column.key, v) for v in value)
    if column.kind == YES_NO:
        return "是" if value else "否"
    if column.kind == DATE and isinstance(value, str) and len(value) == 10:
        return date.fromisoformat(value)  # a masked date (2015 or 2015-03) stays text
    if column.kind == NUMBER:
        return value
    if column.kind == YUAN:
        return Decimal(int(value)) / 100
    return shown_text(str(value))


def shown_text(text: str) -> str:
    """Control characters the .xlsx format cannot hold (a request path in the
    who-viewed log can carry any), written as visible escapes rather than
    refusing the whole export."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def build(title: str, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], made_at: datetime) -> bytes:
    """The workbook's bytes: row 1 the title and when it was made (Beijing
    time), row 2 the headers, then one row per record. Written write-only, so
    memory holds one row at a time besides the rows the caller holds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    local = made_at.astimezone(PROGRAMME_TZ)
    sheet.append([title, f"导出时间 {local:%Y-%m-%d %H:%M}（北京时间）"])
    sheet.append([c.title for c in columns])
    for row in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=cell_value(column, row.get(column.key)))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even "=HYPERLINK(...)": openpyxl would write it as a formula
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif column.kind == YUAN and cell.value is not None:
                cell.number_format = MONEY_FORMAT
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
