"""The browser half of tests/e2e/test_browser_exports.py (run as its own
process, as tests/e2e/browser_driver.py is): a provider's social worker
downloads the caseload, the care records, the activities and the quarter's service-line
figures from the screens that show them, with the session cookie alone, and
each workbook holds what the screen shows."""

from __future__ import annotations

import io
import re
import sys

from openpyxl import load_workbook
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, DESKTOP, Watched, choose_contract, sign_in


def downloaded_rows(page: Page, link: str) -> tuple[str, list[dict]]:
    """Clicks the link, as a person does, and reads the workbook the browser saved."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    download = info.value
    assert download.failure() is None, download.failure()
    with open(download.path(), "rb") as saved:
        sheet = load_workbook(io.BytesIO(saved.read())).active
    _title, headers, *rows = list(sheet.iter_rows(values_only=True))
    return download.suggested_filename, [dict(zip(headers, row, strict=True)) for row in rows]


def social_worker_downloads(browser, url: str, username: str, password: str, contract_id: str, child_id: str) -> None:
    worker = Watched(browser, DESKTOP, accept_downloads=True)
    page = worker.page
    try:
        page.goto(f"{url}/app/caseload")
        sign_in(page, username, password)
        choose_contract(page, contract_id)
        expect(page.locator("a.list-item")).to_have_count(1)
        worker.check("sw-caseload-download")
        name, (case,) = downloaded_rows(page, "下载个案台账（Excel）")
        assert name == "个案台账.xlsx" and case["档案编号"] == child_id and case["个案状态"] == "进行中", case

        page.get_by_role("navigation").get_by_role("link", name="生活关爱").click()
        expect(page.locator("article.list-item")).to_have_count(1)
        name, (care,) = downloaded_rows(page, "下载关爱服务记录（Excel）")
        assert name == "关爱服务记录.xlsx" and care["服务类型"] == "节日慰问" and care["价值（元）"] == 200, care

        page.get_by_role("navigation").get_by_role("link", name="社区活动").click()
        expect(page.locator("article.list-item")).to_have_count(1)
        name, (activity,) = downloaded_rows(page, "下载活动记录（Excel）")
        assert name == "活动记录.xlsx" and activity["活动名称"] == "防溺水安全课", activity

        page.get_by_role("navigation").get_by_role("link", name="季度报告").click()
        expect(page.get_by_role("heading", name=re.compile("实施情况报告"))).to_be_visible()
        name, lines = downloaded_rows(page, "下载服务内容完成情况（Excel）")
        assert name.startswith("服务内容完成情况-") and len(lines) == 8, (name, lines)
        assert {r["服务内容"]: r["本季度已开展"] for r in lines}["生活关爱服务"] == "是", lines
        assert worker.errors == [], worker.errors
    except Exception:
        worker.shot("sw-downloads-failed")
        raise
    finally:
        worker.context.close()


def main() -> None:
    journey, *args = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            {"social_worker_downloads": social_worker_downloads}[journey](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
