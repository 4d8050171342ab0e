"""The quarterly report as an A4 PDF (issue 17), rendered by the gateway
(services/gateway/api/report_pdf.py) from casework's JSON report and grants'
contract: Chinese text extractable, the Noto Sans SC subset embedded, a page
that rasterises to something other than blank paper, page numbers, the
provider named with a signature block, and the same bytes on regeneration."""

import hashlib
import io
import json
import os
import re
import subprocess
import sys

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from services.gateway import report_fonts
from services.gateway.api.report_pdf import render

# The renderer is a pure function of the report: one store kind is enough.
ONE_STORE = pytest.mark.parametrize("store_kind", ["popo"], indirect=True)

CONTRACT = {
    "organization_name": "阳光社会工作服务中心",
    "period_start": "2025-07-01",
    "period_end": "2026-06-30",
    "signed_on": "2025-06-20",
    "amount_fen": 40_000_000,
}
A4 = (595.28, 841.89)  # points


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def embedded_fonts(document: bytes) -> list[tuple[str, str]]:
    """(BaseFont, FontFile key) of every font the pages use."""
    found = []
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            found.append((str(font["/BaseFont"]), files[0] if files else ""))
    return found


@ONE_STORE
def test_the_pdf_is_a4_chinese_numbered_and_names_the_provider(reported):
    report, _, _ = reported
    document = render(report, CONTRACT)
    assert document.startswith(b"%PDF-") and len(document) < 400_000  # a subset, not the 10 MB font
    reader = PdfReader(io.BytesIO(document))
    assert all(tuple(round(float(v), 2) for v in page.mediabox[2:]) == A4 for page in reader.pages)
    text = text_of(document)
    pages = len(reader.pages)
    for expected in (
        "留守儿童和困境儿童关爱服务项目",
        "2025年第3季度实施情况报告",
        "一、八项服务内容完成情况",
        "九、资金到位与使用",
        "各服务内容记录数",  # a chart's title
        "服务儿童按乡镇分布",
        "滨河镇",
        "阳光社会工作服务中心",
        "400,000.00 元",
        "90,655.00 元",
        "负责人签字",
        "沙坡头区民政局",
        report["content_hash"],
        f"第 1 页 / 共 {pages} 页",
        f"第 {pages} 页 / 共 {pages} 页",
    ):
        assert expected in text, expected
    assert reader.metadata["/Title"].startswith("留守儿童和困境儿童关爱服务项目")


@ONE_STORE
def test_the_chinese_font_is_embedded_as_a_subset(reported):
    report, _, _ = reported
    fonts = embedded_fonts(render(report, CONTRACT))
    assert fonts
    for base_font, font_file in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansSC.*", base_font), base_font  # the subset tag
        assert font_file == "/FontFile2", base_font  # TrueType outlines in the file itself


def embedded_subsets(document: bytes) -> list[TTFont]:
    fonts = {}
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = descriptor["/FontFile2"].get_object().get_data()
    return [TTFont(io.BytesIO(data)) for data in fonts.values()]


@ONE_STORE
def test_the_embedded_subsets_hold_every_chinese_character_shown(reported):
    """What a reader with no Chinese font needs is in the file itself: every
    Han character of the text has a glyph in an embedded subset."""
    report, _, _ = reported
    document = render(report, CONTRACT)
    shown = {ch for ch in text_of(document) if "\u4e00" <= ch <= "\u9fff"}
    subsets = embedded_subsets(document)
    covered = set().union(*(chr(code) for font in subsets for code in font.getBestCmap()))
    assert len(shown) > 100 and shown <= covered, sorted(shown - covered)
    assert sorted(font["OS/2"].usWeightClass for font in subsets) == [400, 700]  # Regular and Bold
    assert all(font["maxp"].numGlyphs < 2000 for font in subsets)  # of the font's ~30,000


def test_the_font_comes_from_the_pinned_package_under_the_ofl():
    source = report_fonts.source()
    assert "justmytype_intl_cjk" in source.parts and source.is_file()
    assert "SIL OPEN FONT LICENSE" in (source.parent / "OFL.txt").read_text().upper()
    for style, path in report_fonts.font_files().items():
        font = TTFont(path, lazy=True)
        assert "fvar" not in font  # a static instance, not the variable font
        assert font["OS/2"].usWeightClass == report_fonts.WEIGHTS[style]
        assert font["name"].getBestFamilyName().startswith("Noto Sans SC")


@ONE_STORE
def test_a_page_rasterises_to_ink_on_paper(reported):
    report, _, _ = reported
    page = pdfium.PdfDocument(render(report, CONTRACT))[0]
    image = page.render(scale=1).to_pil().convert("L")
    png = io.BytesIO()
    image.save(png, format="PNG")
    assert png.getvalue().startswith(b"\x89PNG")
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert dark > 0.01 * image.width * image.height, "the page is blank"
    # The title's glyphs are drawn: its band (top 15% of the page) holds dark pixels.
    band = image.crop((0, 0, image.width, int(image.height * 0.15)))
    assert sum(band.histogram()[:128]) > 500


@ONE_STORE
def test_regenerating_gives_the_same_bytes(reported):
    report, _, _ = reported
    first = render(report, CONTRACT)
    assert render(dict(report), dict(CONTRACT)) == first
    assert b"/CreationDate (D:20250930000000Z" in first  # the quarter's end, not the clock
    other = render({**report, "as_of_position": report["as_of_position"] + 1}, CONTRACT)
    assert other != first and str(report["as_of_position"] + 1) in text_of(other)


RENDER_ELSEWHERE = """
import hashlib, json, sys
from services.gateway.api.report_pdf import render
report, contract = json.load(open(sys.argv[1]))
print(hashlib.sha256(render(report, contract)).hexdigest())
"""


@ONE_STORE
def test_another_process_with_another_hash_seed_gives_the_same_bytes(reported, tmp_path):
    """Nothing in the file depends on the process (set order, ids, the clock)."""
    report, _, _ = reported
    saved = tmp_path / "report.json"
    saved.write_text(json.dumps([report, CONTRACT], default=str))
    report_again, contract = json.loads(saved.read_text())
    here = hashlib.sha256(render(report_again, contract)).hexdigest()
    elsewhere = subprocess.run(
        [sys.executable, "-c", RENDER_ELSEWHERE, str(saved)],
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert elsewhere == here


@ONE_STORE
def test_a_contract_grants_does_not_know_is_said_so(reported):
    report, _, _ = reported
    assert "项目管理中未找到该合同" in text_of(render(report, None))
