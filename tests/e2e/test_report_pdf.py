"""The quarterly report as PDF over HTTP on the real services (issue 17): the
provider's staff download their contract's report, which names the provider,
carries the Chinese headings in an embedded font subset and rasterises to a
page with ink on it; regenerated as of the same log position it is the same
file, whatever was recorded since; the JSON report's readers may have it, other
roles are refused and another organisation's contract is hidden."""

import io
import uuid
from urllib.parse import unquote

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System
from tests.support.world import World, build_world, day, ok, post

PERIOD = f"{day(0)[:4]}-Q{(int(day(0)[5:7]) - 1) // 3 + 1}"
FIRST = 180  # seconds: the first PDF of a machine may instance the font first (report_fonts.py)


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("report-pdf"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def pdf_path(contract_id: str, period: str = PERIOD) -> str:
    return f"/contracts/{contract_id}/reports/quarterly/{period}.pdf"


def pdf_of(response) -> bytes:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def font_files(document: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            found |= {k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor}
    return found


def test_the_provider_downloads_its_report_with_its_name_in_chinese(world, tmp_path):
    provider = world.clients["provider_staff"]
    response = provider.get(pdf_path(world.ours.contract_id), timeout=FIRST)
    document = pdf_of(response)
    disposition = unquote(response.headers["Content-Disposition"])
    assert disposition.startswith("attachment;") and f"阳光社会工作服务中心-{PERIOD}-实施情况报告" in disposition
    text = text_of(document)
    quarter = f"{PERIOD[:4]}年第{PERIOD[-1]}季度实施情况报告"
    for expected in (
        "留守儿童和困境儿童关爱服务项目",
        quarter,
        "一、八项服务内容完成情况",
        "二、个案工作",
        "各服务内容记录数",
        "阳光社会工作服务中心",  # the provider, named from the signed contract
        world.ours.contract_id,
        "负责人签字",
        "第 1 页",
    ):
        assert expected in text, expected
    assert "星光社会工作服务中心" not in text
    assert font_files(document) == {"/FontFile2"}  # embedded: renders without a CJK font on the reader's machine

    page = pdfium.PdfDocument(document)[0]
    image = page.render(scale=1.5).to_pil().convert("L")
    image.save(tmp_path / "report-page-1.png")
    assert (tmp_path / "report-page-1.png").read_bytes().startswith(b"\x89PNG")
    assert (image.width, image.height) == (893, 1263)  # A4 at 1.5 × 72 dpi
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height, "page 1 is blank"


def test_the_same_position_gives_the_same_file_whatever_was_recorded_since(world):
    admin = world.system.api
    position = admin.get(f"/contracts/{world.ours.contract_id}/reports/quarterly/{PERIOD}").json()["as_of_position"]
    params = {"as_of_position": str(position)}
    first = pdf_of(admin.get(pdf_path(world.ours.contract_id), params=params, timeout=FIRST))
    assert str(position) in text_of(first)
    ok(
        post(
            world.clients["provider_staff"],
            "/activities",
            {
                "kind": "protection_publicity",
                "title": "未成年人保护法进社区",
                "held_on": day(0),
                "contract_id": world.ours.contract_id,
                "community_count": 30,
                "worker": "社工乙",
            },
        ),
        201,
    )
    again = pdf_of(world.clients["auditor"].get(pdf_path(world.ours.contract_id), params=params))
    assert again == first  # byte for byte, another reader, after a new record


def test_the_json_reports_readers_may_have_it_and_no_one_else(world):
    path = pdf_path(world.ours.contract_id)
    for role in ("bureau_admin", "auditor", "finance_officer", "provider_staff"):
        pdf_of(world.clients[role].get(path, timeout=FIRST))
    for role in ("child_director", "reviewer"):
        refused = world.clients[role].get(path)
        assert refused.status_code == 403 and refused.json()["error"] == "FORBIDDEN", role
    assert world.system.anonymous.get(path).status_code == 401


def test_another_organisations_contract_is_hidden_from_the_provider(world):
    provider = world.clients["provider_staff"]
    hidden = provider.get(pdf_path(world.theirs.contract_id))
    assert hidden.status_code == 404 and hidden.json()["error"] == "NOT_FOUND"
    assert world.theirs.contract_id in hidden.json()["message"]
    other = world.system.login("provider_staff", organization_id=world.theirs.organization_id)
    assert "星光社会工作服务中心" in text_of(pdf_of(other.get(pdf_path(world.theirs.contract_id), timeout=FIRST)))


def test_bad_requests_are_refused_with_field_messages(world):
    admin = world.system.api
    path = pdf_path(world.ours.contract_id)
    assert admin.get(pdf_path(world.ours.contract_id, "2025-Q5")).status_code == 400
    for params in ({"as_of_position": "-1"}, {"format": "html"}, {"expected_lines": "knitting"}):
        refused = admin.get(path, params=params)
        assert refused.status_code == 400 and refused.json()["fields"], (params, refused.text)
    beyond = admin.get(path, params={"as_of_position": "100000000"})
    assert beyond.status_code == 422 and "as_of_position" in beyond.json()["fields"]
    unknown = admin.get(pdf_path(str(uuid.uuid4())))  # casework reports on any id; grants knows no such contract
    assert unknown.status_code == 404 and unknown.json()["error"] == "NOT_FOUND"
    assert admin.get(pdf_path("nope")).status_code == 404
