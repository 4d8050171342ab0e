"""Browser journey for the quarterly report's PDF (issue 17), in its own module
so it shares nothing but helpers with tests/e2e/browser_driver.py: a provider's
social worker opens the report screen and downloads the gateway's PDF through
the screen's link, with the session cookie.

    python -m tests.e2e.report_pdf_driver URL USERNAME PASSWORD CONTRACT_ID SAVE_TO"""

from __future__ import annotations

import io
import re
import sys

from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

from tests.e2e.browser_driver import CHROMIUM, DESKTOP, Watched, choose_contract, sign_in


def download_the_pdf(browser, url: str, username: str, password: str, contract_id: str, save_to: str) -> None:
    worker = Watched(browser, DESKTOP, accept_downloads=True)
    page = worker.page
    page.goto(f"{url}/app/caseload")
    sign_in(page, username, password)
    choose_contract(page, contract_id)
    page.get_by_role("navigation").get_by_role("link", name="季度报告").click()
    expect(page.get_by_role("heading", name=re.compile("实施情况报告"))).to_be_visible()
    link = page.get_by_role("link", name="下载正式 PDF（含签章栏）")
    expect(link).to_be_visible()
    position = page.locator("p.meta").inner_text().split("数据截至日志位置：")[1].split("（")[0]
    expect(link).to_have_attribute("href", re.compile(rf"/contracts/{contract_id}/.*\.pdf\?as_of_position={position}$"))
    worker.check("sw-report-pdf-link")
    with page.expect_download(timeout=180_000) as downloading:  # the first PDF may instance the font
        link.click()
    download = downloading.value
    assert download.suggested_filename.endswith(".pdf") and "实施情况报告" in download.suggested_filename
    download.save_as(save_to)
    with open(save_to, "rb") as saved:
        document = saved.read()
    assert document.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    assert "星火社会工作服务中心" in text and f"数据截至日志位置:{position}" in text, text[:500]
    assert worker.errors == [], worker.errors
    worker.context.close()


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            download_the_pdf(browser, *sys.argv[1:])
        finally:
            browser.close()


if __name__ == "__main__":
    main()
