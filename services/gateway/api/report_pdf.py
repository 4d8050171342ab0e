"""The quarterly report as an A4 PDF (issue 17): the same blocks as the HTML
(report_layout.py), typeset with fpdf2 in Noto Sans SC, subset and embedded
(report_fonts.py), so it renders on a machine with no Chinese font; bar charts
drawn with fpdf2's own rectangles; the provider and contract named from the
signed contract (grants), page numbers, and a signature block for the provider
and the bureau.

Deterministic: the same report (as of the same log position) and contract give
the same bytes. The creation date is the end of the report's quarter (not the
clock), and the file identifier is a hash of the content."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from services.gateway import report_fonts
from services.gateway.api.report_layout import (
    TITLE,
    Block,
    Chart,
    Heading,
    Meta,
    Para,
    Table,
    blocks,
    meta_lines,
    period_zh,
    yuan,
)

FONT = report_fonts.FAMILY
RED = (0xBB, 0x22, 0x22)
GREY = (0x66, 0x66, 0x66)
INK = (0x22, 0x22, 0x22)
BUREAU = "沙坡头区民政局"  # the bureau that contracts the services (DESIGN.md §1)
UNKNOWN_CONTRACT = "(项目管理中未找到该合同)"


def rgb(color: str) -> tuple[int, int, int]:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


class ReportPDF(FPDF):
    def __init__(self, running_title: str, fonts: dict[str, Path]) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = running_title
        for style, path in fonts.items():
            self.add_font(FONT, style, str(path))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.running_title}    第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")

    def room_for(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()


def contract_lines(report: dict[str, Any], contract: dict[str, Any] | None) -> list[tuple[str, str]]:
    if contract is None:
        return [("服务机构", UNKNOWN_CONTRACT), ("合同编号", str(report["contract_id"]))]
    return [
        ("服务机构", contract["organization_name"]),
        ("合同编号", str(report["contract_id"])),
        ("合同期限", f"{contract['period_start']} 至 {contract['period_end']}"),
        ("签订日期", str(contract["signed_on"])),
        ("合同金额", yuan(contract["amount_fen"])),
    ]


def title_page(pdf: ReportPDF, report: dict[str, Any], contract: dict[str, Any] | None) -> None:
    pdf.add_page()
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 10, TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(0, 10, f"{period_zh(report)}实施情况报告", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(6)
    pdf.set_font(FONT, "", 11)
    for label, value in contract_lines(report, contract):
        pdf.set_font(FONT, "B", 11)
        pdf.cell(24, 7, f"{label}:")
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 7, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    # The contract's number is above already, with its provider.
    draw(pdf, Meta(tuple(line for line in meta_lines(report) if not line.startswith("合同编号"))))


def draw_table(pdf: ReportPDF, block: Table) -> None:
    columns = len(block.headers)
    numeric = [all(isinstance(row[i], int) for row in block.rows) and block.rows != () for i in range(columns)]
    widths = [1.0 if numeric[i] else 1.8 for i in range(columns)]
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(0xCC, 0xCC, 0xCC)
    pdf.set_line_width(0.2)
    pdf.set_fill_color(0xFF, 0xFF, 0xFF)
    with pdf.table(
        col_widths=widths,
        text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
        headings_style=FontFace(emphasis="BOLD", fill_color=(0xF4, 0xF0, 0xF0)),
        line_height=5.5,
        padding=1.2,
    ) as table:
        head = table.row()
        for header in block.headers:
            head.cell(header, align="LEFT")
        for values in block.rows:
            row = table.row()
            for value in values:
                row.cell(str(value))
    pdf.ln(3)


def draw_chart(pdf: ReportPDF, block: Chart) -> None:
    """Horizontal bars with their labels and values, drawn with fpdf2's rectangles."""
    label_w, bar_w, row_h = 52.0, 100.0, 6.5
    items = block.items or (("(无数据)", 0),)
    pdf.room_for(10 + row_h * len(items))
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, block.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = max([v for _, v in items] + [1])
    left = pdf.l_margin
    pdf.set_font(FONT, "", 9)
    pdf.set_fill_color(*rgb(block.color))
    for label, value in items:
        y = pdf.get_y()
        pdf.set_xy(left, y)
        pdf.cell(label_w - 2, row_h, label, align="R")
        width = bar_w * value / top
        if width > 0:
            pdf.rect(left + label_w, y + 1.2, width, row_h - 2.4, style="F")
        pdf.set_xy(left + label_w + width + 1.5, y)
        pdf.cell(20, row_h, str(value))
        pdf.set_xy(left, y + row_h)
    pdf.ln(3)


def draw(pdf: ReportPDF, block: Block) -> None:
    if isinstance(block, Heading):
        pdf.room_for(22)
        pdf.ln(2)
        pdf.set_font(FONT, "B", 13)
        pdf.set_text_color(*RED)
        pdf.multi_cell(0, 8, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Para):
        pdf.set_font(FONT, "B" if block.alarm else "", 10)
        pdf.set_text_color(*(RED if block.alarm else INK))
        pdf.multi_cell(0, 6, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    elif isinstance(block, Meta):
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*GREY)
        for line in block.lines:
            pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    elif isinstance(block, Table):
        draw_table(pdf, block)
    else:
        draw_chart(pdf, block)


def signatures(pdf: ReportPDF, contract: dict[str, Any] | None) -> None:
    """Two boxes side by side: the provider's and the bureau's, each with a
    seal, a signature and a date."""
    height = 52.0
    pdf.room_for(height + 14)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(*RED)
    pdf.cell(0, 8, "十、签章", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y() + 2
    gap = 8.0
    box_w = (pdf.epw - gap) / 2
    provider = UNKNOWN_CONTRACT if contract is None else contract["organization_name"]
    parties = (("服务机构(盖章)", provider), ("民政部门(盖章)", BUREAU))
    pdf.set_draw_color(0x99, 0x99, 0x99)
    pdf.set_line_width(0.3)
    for i, (role, name) in enumerate(parties):
        x = pdf.l_margin + i * (box_w + gap)
        pdf.rect(x, top, box_w, height)
        pdf.set_text_color(*INK)
        pdf.set_xy(x + 3, top + 3)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(box_w - 6, 6, role)
        pdf.set_xy(x + 3, top + 10)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(box_w - 6, 6, name)
        for j, label in enumerate(("负责人签字:", "日期:      年    月    日")):
            y = top + 30 + j * 10
            pdf.set_xy(x + 3, y)
            pdf.cell(box_w - 6, 6, label)
            if j == 0:
                pdf.line(x + 26, y + 5.5, x + box_w - 4, y + 5.5)
    pdf.set_xy(pdf.l_margin, top + height + 2)


def creation_date(report: dict[str, Any]) -> datetime:
    """The end of the report's quarter: fixed for a given report, so the
    document's metadata does not change on regeneration."""
    end = date.fromisoformat(str(report["period"]["end"]))
    return datetime(end.year, end.month, end.day, tzinfo=UTC)


def render(report: dict[str, Any], contract: dict[str, Any] | None, fonts: dict[str, Path] | None = None) -> bytes:
    """The report as PDF bytes; `contract` is grants' answer for the
    contract (None if grants does not know it); `fonts` the static font files
    by style (report_fonts.font_files() unless given)."""
    running = f"{TITLE} {period_zh(report)}实施情况报告"
    pdf = ReportPDF(running, report_fonts.font_files() if fonts is None else fonts)
    pdf.set_title(running)
    pdf.set_subject(f"合同 {report['contract_id']} · 数据截至日志位置 {report['as_of_position']}")
    pdf.set_author(UNKNOWN_CONTRACT if contract is None else contract["organization_name"])
    pdf.set_creator("childcare-programme gateway")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(creation_date(report))
    title_page(pdf, report, contract)
    for block in blocks(report):
        draw(pdf, block)
    signatures(pdf, contract)
    return bytes(pdf.output())
