"""Reading an uploaded roster (services/gateway/roster_file.py): Chinese
headers and labels into POST /children's shape, duplicates within the file,
and the attacks refused before or while reading: not an .xlsx, a zip bomb,
too many rows, formulas in cells."""

import io
import zipfile
from datetime import date

import pytest

from services.gateway import roster_file
from services.registry.domain import roster_imports as codes
from tests.support import rosters


def test_a_row_is_read_as_post_children_takes_it():
    row = rosters.child(3)
    read = roster_file.read(rosters.workbook([row]))
    [(number, facts)] = read.rows
    assert number == 3  # title row, header row, then the child
    assert facts == {
        "name": row.cells["姓名"],
        "gender": "female",
        "date_of_birth": row.cells["出生日期"].isoformat(),
        "id_number": row.cells["身份证号"],
        "town": "滨河镇",
        "village": "新北村",
        "categories": ["left_behind"],
        "household": {"father": {"status": "migrant"}, "mother": {"status": "migrant"}, "economic_status": "ordinary"},
    }
    assert read.problems == {} and len(read.file_sha256) == 64


def test_text_dates_numbers_and_several_categories_are_understood():
    row = rosters.child(4)
    row.cells.update(
        {"出生日期": "2015/3/4", "儿童类别": "留守儿童、困境儿童", "身份证号": row.cells["身份证号"].lower()}
    )
    [(_, facts)] = roster_file.read(rosters.workbook([row])).rows
    assert facts["date_of_birth"] == date(2015, 3, 4).isoformat()
    assert facts["categories"] == ["left_behind", "distressed"]
    assert facts["id_number"] == row.cells["身份证号"].upper()


def test_the_same_child_twice_is_refused_after_the_first():
    first = rosters.child(5)
    read = roster_file.read(rosters.workbook([first, rosters.Row(dict(first.cells)), rosters.child(6)]))
    assert [n for n, _ in read.rows] == [3, 5]
    assert [p["code"] for p in read.problems[4]] == [codes.DUPLICATE_IN_FILE]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.invalid","点")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"])
def test_a_formula_or_formula_like_cell_is_refused_and_not_passed_on(text):
    row = rosters.child(7)
    row.cells["姓名"] = text
    read = roster_file.read(rosters.workbook([row]))
    assert read.rows == []
    assert read.problems[3] == [
        {"code": codes.FORMULA_IN_CELL, "field": "name", "message": "a formula or formula-like text"}
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"name,gender\n", b"%PDF-1.4 not a sheet", b"PK\x03\x04 broken zip"],
)
def test_a_file_that_is_not_an_xlsx_is_refused(data):
    with pytest.raises(roster_file.RosterFileRefused) as refused:
        roster_file.read(data)
    assert refused.value.kind == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<doc/>")
    with pytest.raises(roster_file.RosterFileRefused) as refused:
        roster_file.read(out.getvalue())
    assert refused.value.kind == "not_xlsx"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    """A workbook with one part of 100 MB of zeros (about 100 KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(rosters.workbook([rosters.child(1)]))) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for part in source.infolist():
                package.writestr(part, source.read(part))
            with package.open("xl/worksheets/padding.xml", "w") as padding:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(100):
                    padding.write(chunk)
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(roster_file.RosterFileRefused) as refused:
        roster_file.read(out.getvalue())
    assert refused.value.kind == "too_large"


def test_more_rows_than_a_roster_holds_are_refused(monkeypatch):
    monkeypatch.setattr(roster_file, "MAX_ROWS", 5)
    with pytest.raises(roster_file.RosterFileRefused) as refused:
        roster_file.read(rosters.workbook([rosters.child(n) for n in range(6)]))
    assert refused.value.kind == "too_large"


def test_a_sheet_without_the_chinese_headers_is_refused():
    with pytest.raises(roster_file.RosterFileRefused) as refused:
        roster_file.read(_sheet_of([["name", "gender"], ["a", "b"]] * 4))
    assert refused.value.kind == "no_header"


def _sheet_of(lines):
    from openpyxl import Workbook

    book = Workbook()
    for line in lines:
        book.active.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_dash_is_an_empty_cell_not_a_formula():
    row = rosters.child(8)
    row.cells["父亲状况"] = "-"
    read = roster_file.read(rosters.workbook([row]))
    [(_, facts)] = read.rows
    assert "father" not in facts["household"]


def test_an_id_number_stored_as_a_number_is_refused_for_its_lost_digits():
    row = rosters.child(9)
    row.cells["身份证号"] = int(row.cells["身份证号"][:17] + "0")
    read = roster_file.read(rosters.workbook([row]))
    assert [p["code"] for p in read.problems[3]] == [codes.ID_NUMBER_SHAPE]
