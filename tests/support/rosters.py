"""Generated district rosters (.xlsx with the Chinese headers a county sheet
uses), valid and broken rows mixed, each broken row with the code it must be
refused with: for the roster import's tests and bench/roster_import.py."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from services.registry.domain import roster_imports as codes
from services.registry.domain.id_number import check_character

HEADERS = (
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "乡镇",
    "村（社区）",
    "儿童类别",
    "父亲状况",
    "母亲状况",
    "家庭经济状况",
)
TOWN, VILLAGE = "滨河镇", "新北村"
SURNAMES = "马李王张刘杨田赵周吴"
GIVEN = "小兰花明刚军丽芳伟强娟静磊洋艳勇"


def id_number(born: date, male: bool, serial: int) -> str:
    """Unique per serial below 50,000 (region code and order code vary with it)."""
    first17 = f"6405{serial // 500 % 100:02d}{born:%Y%m%d}{(serial % 500) * 2 + (1 if male else 0):03d}"
    return first17 + check_character(first17)


@dataclass
class Row:
    cells: dict[str, Any]  # header → cell value
    refused_with: str | None = None  # the code the row must be refused with, None if clean


def child(serial: int, today: date | None = None) -> Row:
    today = today or date.today()
    born = today - timedelta(days=3 * 365 + serial * 7 % (10 * 365))
    male = serial % 2 == 0
    name = SURNAMES[serial % 10] + GIVEN[serial // 10 % 16] + GIVEN[serial // 160 % 16] + str(serial)
    return Row(
        {
            "姓名": name,
            "性别": "男" if male else "女",
            "出生日期": born,
            "身份证号": id_number(born, male, serial),
            "乡镇": TOWN,
            "村（社区）": VILLAGE,
            "儿童类别": "留守儿童",
            "父亲状况": "外出务工",
            "母亲状况": "外出务工",
            "家庭经济状况": "一般家庭",
        }
    )


def broken(serial: int, kind: int, today: date | None = None) -> Row:
    """A row with one of the problems a real roster has, by `kind`."""
    row = child(serial, today)
    cells = row.cells
    number = cells["身份证号"]
    if kind == 0:
        cells["身份证号"] = number[:17] + ("0" if number[17] != "0" else "1")
        row.refused_with = codes.ID_NUMBER_CHECKSUM
    elif kind == 1:
        cells["出生日期"] = cells["出生日期"] - timedelta(days=1)
        row.refused_with = codes.ID_NUMBER_BIRTH_MISMATCH
    elif kind == 2:
        cells["村（社区）"] = "不存在村"
        row.refused_with = codes.UNKNOWN_VILLAGE
    elif kind == 3:
        cells["姓名"] = None
        row.refused_with = codes.MISSING_FIELD
    else:
        cells["姓名"] = '=HYPERLINK("http://example.invalid","点我")'
        row.refused_with = codes.FORMULA_IN_CELL
    return row


def mixed(count: int, start: int = 0, broken_every: int = 7, today: date | None = None) -> list[Row]:
    """`count` rows: every `broken_every`-th broken (kinds in turn), and every
    `broken_every * 5`-th a repeat of the row before it (a duplicate in the file)."""
    rows: list[Row] = []
    for n in range(count):
        serial = start + n
        if n and n % (broken_every * 5) == 0 and rows[-1].refused_with is None:
            rows.append(Row(dict(rows[-1].cells), codes.DUPLICATE_IN_FILE))
        elif n % broken_every == broken_every - 1:
            rows.append(broken(serial, n // broken_every % 5, today))
        else:
            rows.append(child(serial, today))
    return rows


def workbook(rows: Sequence[Row], title: str | None = "儿童花名册") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    if title:
        sheet.append([title])
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([row.cells.get(h) for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
