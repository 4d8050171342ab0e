"""An uploaded roster (.xlsx with Chinese headers) → rows shaped as POST
/children's body, and nothing else (issue 17). The rules of a file are the
registry's: this module only reads cells, turns Chinese labels into codes
(the web app's dictionary, as workbook.py writes them), and refuses what no
honest roster holds — a file that is not an .xlsx, one that unpacks to far
more than it weighs (a zip bomb), more rows than a district has children, and
cells that are formulas (=, +, -, @: a formula would run when the register is
opened again in a spreadsheet). Rows the same child twice are marked here,
since only the whole file shows them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from services.gateway.workbook import BY_CONTEXT, LABELS
from services.registry import schemas as s

MAX_ROWS = s.ROSTER_MAX_ROWS
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # what the parts of one roster may unpack to
MAX_PARTS = 200
MAX_RATIO = 100  # unpacked/packed for one part: text compresses ~10x, a bomb ~1000x
MAX_COLUMNS = 40
HEADER_ROWS = 5  # the header is in one of the first rows (an export has a title row above it)
FORMULA_STARTS = ("=", "+", "-", "@")
EMPTY_MARKS = ("-", "—", "/")  # what a county sheet puts in an empty cell


class RosterFileRefused(Exception):
    """The file as a whole is refused: `kind` is not_xlsx, too_large or no_header."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


# Chinese header → the field of POST /children it fills (several spellings a county sheet uses).
HEADERS: Mapping[str, str] = {
    "姓名": "name",
    "儿童姓名": "name",
    "性别": "gender",
    "出生日期": "date_of_birth",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "乡镇": "town",
    "乡镇（街道）": "town",
    "村（社区）": "village",
    "村": "village",
    "儿童类别": "categories",
    "类别": "categories",
    "就读学校": "school",
    "就学状况": "school_status",
    "监护状况": "guardianship_status",
    "父亲状况": "father",
    "母亲状况": "mother",
    "家庭经济状况": "economic_status",
    "困境原因": "distress_reasons",
}
REQUIRED_HEADERS = ("name", "gender", "date_of_birth", "town", "village", "categories")
LISTS = ("categories", "distress_reasons")
CODED = (
    "gender",
    "categories",
    "school_status",
    "guardianship_status",
    "father",
    "mother",
    "economic_status",
    "distress_reasons",
)
SEPARATORS = ("、", "，", ",", "；", ";", "/")


def _from_label() -> dict[str, str]:
    """Chinese label → code, for every coded value (a field's own reading wins)."""
    found = {label: code for code, label in LABELS.items()}
    for context in BY_CONTEXT.values():
        found.update({label: code for code, label in context.items()})
    return found


CODES_BY_LABEL = _from_label()


@dataclass
class Roster:
    file_sha256: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (sheet row, facts)
    problems: dict[int, list[dict[str, str]]] = field(default_factory=dict)  # rows refused here

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.problems)


def read(data: bytes) -> Roster:
    """The roster in `data`, or RosterFileRefused."""
    _check_package(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - whatever openpyxl fails on, the file is not a roster
        raise RosterFileRefused("not_xlsx", f"not a readable .xlsx workbook ({type(error).__name__})") from None
    try:
        sheet = book.worksheets[0]
        roster = Roster(hashlib.sha256(data).hexdigest())
        _read_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), roster)
    finally:
        book.close()
    _mark_duplicates(roster)
    return roster


def _check_package(data: bytes) -> None:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise RosterFileRefused("not_xlsx", "not an .xlsx file (an .xlsx is a zip package)") from None
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise RosterFileRefused("not_xlsx", "not an .xlsx workbook (no xl/workbook.xml)")
    if len(parts) > MAX_PARTS:
        raise RosterFileRefused("too_large", f"the package has more than {MAX_PARTS} parts")
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise RosterFileRefused("too_large", f"the workbook unpacks to more than {MAX_UNPACKED_BYTES} bytes")
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise RosterFileRefused("too_large", f"{part.filename} unpacks {MAX_RATIO} times its size or more")


def _read_rows(lines: Iterable[tuple[Any, ...]], roster: Roster) -> None:
    columns: dict[int, str] | None = None
    for number, cells in enumerate(lines, start=1):
        if columns is None:
            columns = _header(cells)
            if columns is None and number >= HEADER_ROWS:
                raise RosterFileRefused(
                    "no_header", "no header row with 姓名, 性别, 出生日期, 乡镇, 村（社区）, 儿童类别"
                )
            continue
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if roster.total >= MAX_ROWS:
            raise RosterFileRefused("too_large", f"more than {MAX_ROWS} rows: split the roster")
        facts, problems = _row(columns, cells)
        if problems:
            roster.problems[number] = problems
        else:
            roster.rows.append((number, facts))
    if columns is None:
        raise RosterFileRefused("no_header", "the first sheet is empty: no header row")


def _header(cells: tuple[Any, ...]) -> dict[int, str] | None:
    found = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and cell.strip() in HEADERS:
            found[index] = HEADERS[cell.strip()]
    if not set(REQUIRED_HEADERS) <= set(found.values()):
        return None
    return found


def _row(columns: Mapping[int, str], cells: tuple[Any, ...]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    raw: dict[str, Any] = {}
    problems = []
    for index, name in columns.items():
        value = cells[index] if index < len(cells) else None
        if isinstance(value, str):
            value = value.strip()
            if value in EMPTY_MARKS:
                continue
            if value.startswith(FORMULA_STARTS):
                problems.append(s.roster.problem(s.roster.FORMULA_IN_CELL, name, "a formula or formula-like text"))
                continue
        if value is None or value == "":
            continue
        if name == "id_number" and isinstance(value, int | float):
            reason = "stored as a number, which loses digits beyond the 15th: format the column as text"
            problems.append(s.roster.problem(s.roster.ID_NUMBER_SHAPE, name, reason))
            continue
        raw[name] = value
    return _facts(raw), problems


def _code(value: Any) -> str:
    text = str(value).strip()
    return CODES_BY_LABEL.get(text, text)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[0]}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return text


def _facts(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The row as POST /children's body: codes for labels, lists split, the household gathered."""
    facts: dict[str, Any] = {}
    for name, value in raw.items():
        if name in LISTS:
            parts = [str(value)]
            for separator in SEPARATORS:
                parts = [piece for part in parts for piece in part.split(separator)]
            facts[name] = [_code(p) for p in parts if p.strip()]
        elif name == "date_of_birth":
            facts[name] = _day(value)
        elif name == "id_number":
            facts[name] = _text(value).upper()
        elif name in CODED:
            facts[name] = _code(value)
        else:
            facts[name] = _text(value)
    household = {k: facts.pop(k) for k in ("father", "mother", "economic_status") if k in facts}
    if household:
        for parent in ("father", "mother"):
            if parent in household:
                household[parent] = {"status": household[parent]}
        facts["household"] = household
    return facts


def identity(facts: Mapping[str, Any]) -> str:
    """Two rows with one identity are one child (the registry's rule, s.roster.row_identity)."""
    try:
        return s.roster.row_identity(facts)
    except KeyError:  # a row missing a fact the registry will name
        return ""


def _mark_duplicates(roster: Roster) -> None:
    """Every row after the first of the same child is refused, naming the first."""
    first: dict[str, int] = {}
    kept = []
    for number, facts in roster.rows:
        key = identity(facts)
        if key and key in first:
            message = f"the same child as row {first[key]}"
            roster.problems[number] = [s.roster.problem(s.roster.DUPLICATE_IN_FILE, "id_number", message)]
        else:
            if key:
                first[key] = number
            kept.append((number, facts))
    roster.rows = kept
