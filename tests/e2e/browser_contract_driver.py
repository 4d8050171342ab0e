"""The browser half of tests/e2e/test_browser_contract_phase.py, run as its own
process (`python -m tests.e2e.browser_contract_driver <stage> <url> [args]`,
for the same reason as browser_driver.py). Exits non-zero with the failure on
stderr."""

from __future__ import annotations

import sys

from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, choose
from tests.e2e.browser_grants_driver import field_error, signed_in, staged


def score(page: Page, leaves: dict[str, str]) -> None:
    """Types each leaf indicator's points, as the evaluators read them out."""
    for path, points in leaves.items():
        box = page.locator(f"#eval-{path}")
        box.fill(points)
        box.press("Tab")


@staged
def bureau_closes_out(
    browser, watched: list, url: str, username: str, password: str, contract_id: str, quarters: str, late: str
) -> None:
    """The late quarters flagged; the mid-term evaluation refused without the
    bureau, then recorded; completion; the effectiveness evaluation; the audit
    (a qualified opinion refused without its findings); the closure."""
    bureau = signed_in(browser, url, username, password, f"/grants/contracts/{contract_id}")
    watched.append(bureau)
    page = bureau.page
    head = page.locator(".head")
    expect(page.get_by_role("heading", name="服务合同：沙坡头区阳光社工服务中心")).to_be_visible()
    schedule = page.get_by_role("region", name="报送进度")
    expect(schedule.locator("tbody tr")).to_have_count(int(quarters))
    expect(schedule.get_by_text("逾期", exact=True)).to_have_count(int(late))
    expect(page.get_by_role("region", name="评估记录")).to_have_count(0)
    expect(page.get_by_text("尚未评估")).to_be_visible()
    bureau.check("contract-schedule")

    # Mid-term: the total and grade as typed; the API refuses evaluators without the bureau.
    form = page.get_by_role("form", name="中期评估")
    score(page, {"budget_execution": "8.1", "output": "42.2", "effect": "25", "satisfaction": "9"})
    expect(form).to_contain_text("合计 84.3 分 · 良 · 合格")
    choose(page, "eval-body-0", "区财政局")
    page.locator("#eval-name-0").fill("李科员")
    expect(form).to_contain_text("还须有以下单位的评估人员：区民社局")
    form.get_by_role("button", name="记录中期评估").click()
    expect(page.locator("#eval-evaluators-error")).to_have_text("须有以下单位的评估人员：区民社局")
    assert bureau.fits_the_screen()
    bureau.check("contract-mid-term-refused")
    choose(page, "eval-body-0", "区民社局")
    page.locator("#eval-name-0").fill("王科长")
    page.locator("#eval-opinion").fill("进度符合计划，资金使用规范")
    form.get_by_role("button", name="记录中期评估").click()
    evaluations = page.get_by_role("region", name="评估记录")
    expect(evaluations).to_contain_text("84.3（良）合格")
    expect(evaluations).to_contain_text("区民社局 王科长")

    # Completion with the final report.
    page.locator("#complete-report").fill("全年服务覆盖滨河镇困境儿童，目标全部达成")
    bureau.check("contract-completion")
    page.get_by_role("button", name="记录项目完成").click()
    expect(head).to_contain_text("已完成")

    # Effectiveness: one row per required body, already chosen.
    form = page.get_by_role("form", name="绩效评估（项目结项）")
    for i, name in enumerate(("王科长", "赵科长", "孙代表")):
        page.locator(f"#eval-name-{i}").fill(name)
    score(page, {"budget_execution": "9", "output": "46", "effect": "27", "satisfaction": "9"})
    expect(form).to_contain_text("合计 91.0 分 · 优 · 合格")
    bureau.check("contract-effectiveness")
    form.get_by_role("button", name="记录绩效评估（项目结项）").click()
    expect(head).to_contain_text("已评估")
    expect(evaluations.locator("tbody tr")).to_have_count(2)

    # The audit: a qualified opinion needs its findings.
    page.locator("#audit-auditor").fill("宁夏某会计师事务所")
    choose(page, "audit-opinion", "保留意见")
    page.get_by_role("button", name="记录审计").click()
    expect(field_error(page, "audit-findings")).to_have_text("非无保留意见须写明审计发现")
    bureau.check("contract-audit-refused")
    page.locator("#audit-findings").fill("个别票据不规范，已整改")
    page.get_by_role("button", name="记录审计").click()
    expect(head).to_contain_text("已审计")

    page.get_by_role("button", name="结项", exact=True).click()
    expect(head).to_contain_text("已结项")
    expect(page.locator(".el-descriptions", has_text="结项情况")).to_contain_text("保留意见")
    assert bureau.fits_the_screen()
    bureau.check("contract-closed")
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


@staged
def bureau_decides_force_majeure(
    browser, watched: list, url: str, username: str, password: str, contract_id: str
) -> None:
    """A termination without fault is refused until the value delivered is stated."""
    bureau = signed_in(browser, url, username, password, f"/grants/contracts/{contract_id}")
    watched.append(bureau)
    page = bureau.page
    reports = page.get_by_role("region", name="不可抗力报告")
    expect(reports).to_contain_text("暴雨洪水")
    expect(reports).to_contain_text("终止合同")  # what the provider proposes
    reports.get_by_role("button", name="作出决定").click()
    page.locator("label.el-radio", has_text="无过错终止").click()
    page.locator("#fm-basis").fill("经核实属不可抗力，无过错终止")
    page.get_by_role("button", name="提交决定").click()
    expect(field_error(page, "fm-delivered")).to_have_text("请填写已提供服务的价值（不超过合同金额）")
    assert bureau.fits_the_screen()
    bureau.check("contract-force-majeure-refused")
    delivered = page.locator("#fm-delivered")
    delivered.fill("30000")
    delivered.press("Tab")
    page.get_by_role("button", name="提交决定").click()
    expect(page.locator(".head")).to_contain_text("已终止")
    expect(reports).to_contain_text("已提供服务价值 30,000.00 元")
    bureau.check("contract-force-majeure-decided")
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


def main() -> None:
    stage, *args = sys.argv[1:]
    stages = {"bureau_closes_out": bureau_closes_out, "bureau_decides_force_majeure": bureau_decides_force_majeure}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            stages[stage](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
