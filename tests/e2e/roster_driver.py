"""The browser half of tests/e2e/test_browser_roster_import.py, run as its own
process (`python -m tests.e2e.roster_driver <url> <username> <password> <roster.xlsx> <clean> <broken>`)
as browser_driver.py's journeys are, reusing its helpers."""

from __future__ import annotations

import re
import sys

from playwright.sync_api import expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, DESKTOP, Watched, sign_in


def bureau_imports_a_roster(browser, url: str, username: str, password: str, roster: str, clean: str, broken: str):
    staff = Watched(browser, DESKTOP)
    page = staff.page
    page.goto(f"{url}/app/children/import")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    sign_in(page, username, password)
    expect(page.get_by_role("heading", name="花名册导入")).to_be_visible()
    staff.check("roster-empty")

    page.get_by_label("花名册文件").set_input_files(roster)
    page.get_by_role("button", name="检查花名册").click()
    expect(page.get_by_role("heading", name="检查结果")).to_be_visible()
    expect(page.get_by_text(re.compile(f"可导入 {clean} 行，有问题 {broken} 行"))).to_be_visible()
    problems = page.locator(".el-table").first  # Element Plus: header and body are two tables
    expect(problems).to_contain_text("身份证号校验码不对")
    expect(problems).to_contain_text("出生日期与身份证号不一致")
    expect(problems).to_contain_text("村（社区）不在该乡镇的名录中")
    expect(problems).to_contain_text("单元格含公式")
    staff.check("roster-preview")

    page.get_by_role("button", name=f"导入 {clean} 行").click()
    expect(page.get_by_text("导入已完成")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(f"新建档案 {clean} 份，未导入 {broken} 行"))).to_be_visible()
    staff.check("roster-imported")
    assert staff.errors == [], staff.errors
    staff.context.close()


def main() -> None:
    url, username, password, roster, clean, broken = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            bureau_imports_a_roster(browser, url, username, password, roster, clean, broken)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
