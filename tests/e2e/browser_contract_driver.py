"""The browser half of tests/e2e/test_browser_contract_phase.py, run as its own
process (`python -m tests.e2e.browser_contract_driver <stage> <url> [args]`,
for the same reason as browser_driver.py). Exits non-zero with the failure on
stderr."""

from __future__ import annotations

import re
import sys

from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, DESKTOP, PHONE, Watched, choose, pick, sign_in
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


@staged
def provider_reports_and_finance_reverses(
    browser,
    watched: list,
    url: str,
    provider: str,
    officer: str,
    password: str,
    contract_id: str,
    organisation: str,
    period: str,
    quarter: str,
    other_contract: str,
) -> None:
    """The provider on a phone: their contract (我的合同), the quarter to
    report, the written report refused blank then sent citing the generated
    report; another organisation's contract refused and said so. The finance
    officer on a laptop: the paid first tranche reversed (refused without a
    reason, then confirmed, a double click reversing once), and an expenditure
    reversed."""
    phone = Watched(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    watched.append(phone)
    page = phone.page
    page.goto(f"{url}/app/signin")
    sign_in(page, provider, password)
    menu = page.get_by_role("navigation")
    menu.get_by_role("link", name="我的合同").click()
    expect(page.get_by_role("heading", name=f"我的合同：{organisation}")).to_be_visible()
    schedule = page.get_by_role("region", name="报送进度")
    expect(schedule.locator("tbody tr", has_text=quarter)).to_contain_text("未报送")
    expect(page.get_by_role("region", name="拨款计划")).to_contain_text("凭证号 PV-E2E-1")
    assert phone.fits_the_screen()
    phone.check("provider-my-contract")
    page.set_viewport_size(DESKTOP)  # the same screen at the office
    assert phone.fits_the_screen()
    phone.check("provider-my-contract")
    page.set_viewport_size(PHONE)
    with page.expect_download() as got:
        page.get_by_role("link", name="下载拨付台账（Excel）").click()
    assert got.value.suggested_filename == "资金拨付台账.xlsx", got.value.suggested_filename
    assert got.value.failure() is None

    schedule.get_by_role("link", name=f"去报送：{quarter}书面报告").click()
    written = page.get_by_role("region", name=f"{quarter}书面报告")
    expect(written).to_contain_text("本季度尚未报送书面报告")
    written.get_by_role("button", name="填写并报送书面报告").click()
    form = page.get_by_role("form", name="报送季度书面报告")
    form.get_by_role("button", name="报送").click()  # blank: said before anything is sent
    expect(field_error(page, "written-summary")).to_have_text("请填写书面报告（本季度项目实施情况）")
    page.locator("#written-summary").fill("本季度完成摸底走访和个案服务，按计划推进")
    assert phone.fits_the_screen()
    phone.check("provider-written-report-form")
    form.get_by_role("button", name="报送").dblclick()
    expect(written.get_by_role("status")).to_have_text(f"已报送{quarter}书面报告，等待区民社局审核")
    expect(form).to_have_count(0)
    phone.check("provider-written-report-sent")

    # Line 5: a village child director's supervision; the organisation's supervision team training its staff.
    menu.get_by_role("link", name="督导培训").click()
    directors = page.get_by_role("region", name="儿童主任督导情况")
    expect(directors).to_contain_text("李主任")
    session = page.get_by_role("form", name="记录儿童主任督导")
    page.locator("#session-topic").fill("个案发现与报告流程")
    page.locator("#session-supervisor").fill("马督导")
    session.get_by_role("button", name="保存").click()  # nobody attending: said before sending
    expect(field_error(page, "session-directors")).to_have_text("请至少选择一名参加的儿童主任")
    pick(page, "session-directors", "滨河镇新北村 李主任", close=True)
    session.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="已记录督导：")).to_have_text(
        "已记录督导：个案发现与报告流程（1 名儿童主任参加）"
    )
    held = page.get_by_role("region", name="已记录的督导与交流学习")
    expect(held.locator(".el-table__body tr", has_text="个案发现与报告流程")).to_contain_text("新北村 李主任")
    team = page.get_by_role("form", name="记录督导团队咨询培训")
    page.locator("#team-topic").fill("个案评估方法")
    page.locator("#team-supervisor").fill("宁夏社工督导中心")
    team.get_by_role("button", name="保存").click()
    expect(team.locator(".el-form-item", has_text="内容").locator(".el-form-item__error")).to_have_text(
        "请至少选择一项督导内容"
    )
    team.locator("label.el-checkbox", has_text="专业技能").click()
    team.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="督导团队")).to_have_text(
        "已记录督导团队培训：个案评估方法（5 名工作人员参加）"
    )
    trained = page.get_by_role("region", name="已记录的督导团队咨询培训")
    expect(trained.locator(".el-table__body tr", has_text="个案评估方法")).to_contain_text("专业技能")
    assert phone.fits_the_screen()
    phone.check("provider-supervision")

    # Line 6: an activity held by a community organisation the project nurtures, picked from the list.
    menu.get_by_role("link", name="社区活动").click()
    page.get_by_role("button", name="记录活动").click()
    pick(page, "act-kind", "社会组织参与活动")
    page.get_by_label("活动名称").fill("爱心妈妈陪伴日")
    page.get_by_label("社区居民人次（宣传受众）").fill("12")
    page.get_by_role("button", name="保存活动").click()  # no organisation named: the API says so at the field
    expect(
        page.locator(".el-form-item", has_text="举办活动的社区社会组织").locator(".el-form-item__error")
    ).to_have_text("请选择举办活动的社区社会组织")
    pick(page, "act-org", "新北村爱心妈妈志愿队（滨河镇）")
    page.get_by_role("button", name="保存活动").click()
    expect(page.locator("article.list-item", has_text="爱心妈妈陪伴日")).to_contain_text(
        "举办组织：新北村爱心妈妈志愿队"
    )
    assert phone.fits_the_screen()
    phone.check("provider-organisation-activity")

    menu.get_by_role("link", name="我的合同").click()
    reports = page.get_by_role("region", name="已报送的书面报告")
    expect(reports).to_contain_text("本季度完成摸底走访和个案服务")
    expect(reports).to_contain_text("已提交")
    # the figures the written report cites: the generated report at its log position
    cited = reports.get_by_role("link", name=f"{quarter}所依据的系统报告 PDF")
    expect(cited).to_have_attribute(
        "href", re.compile(rf"/contracts/{contract_id}/reports/quarterly/{period}\.pdf\?as_of_position=\d+$")
    )
    # Force majeure reported to the bureau; a transfer asked for anyway is refused with the rule.
    page.get_by_role("button", name="报告不可抗力").click()
    report = page.get_by_role("form", name="报告不可抗力")
    report.get_by_role("button", name="提交报告").click()  # blank: said before sending
    expect(field_error(page, "fm-event")).to_have_text("请填写事件")
    page.locator("#fm-event").fill("暴雨致道路中断")
    page.locator("#fm-impact").fill("新北村两周无法入户走访")
    report.get_by_role("button", name="提交报告").click()
    expect(page.get_by_role("status").filter(has_text="不可抗力")).to_have_text("已向区民社局报告不可抗力，等待决定")
    expect(page.get_by_role("region", name="不可抗力报告")).to_contain_text("等待决定")
    page.get_by_role("button", name="申请转让或分包").click()
    page.locator("#transfer-to").fill("某某咨询公司")
    page.get_by_role("form", name="申请转让或分包").get_by_role("button", name="提交申请").click()
    expect(page.locator("#transfer-error")).to_have_text(
        "项目不得转让或分包给其他机构或个人；确实无法履行的，请向区民社局报告不可抗力"
    )
    phone.check("provider-force-majeure-and-transfer")

    # Another organisation's contract: the gateway refuses, the screen says why.
    page.goto(f"{url}/app/my-contracts/{other_contract}")
    expect(page.get_by_role("alert").filter(has_text="只能查看本机构的服务合同")).to_be_visible()
    phone.check("provider-other-contract-refused")
    assert phone.errors == [], phone.errors

    laptop = signed_in(browser, url, officer, password, f"/finance/contracts/{contract_id}")
    watched.append(laptop)
    page = laptop.page
    rows = page.get_by_role("region", name="拨款计划与支付").locator(".el-table__body tr")
    expect(rows.nth(0)).to_contain_text("已支付")
    page.get_by_role("button", name="冲销支付：第 1 笔").click()
    form = page.get_by_role("form", name="冲销第 1 笔拨款的支付")
    form.get_by_role("button", name="下一步：确认").click()
    expect(field_error(page, "reverse-payment-reason")).to_have_text("请填写冲销原因")
    page.locator("#reverse-payment-reason").fill("凭证录入错误，款项未实际付出")
    form.get_by_role("button", name="下一步：确认").click()
    expect(form.get_by_role("alert").filter(has_text="确认冲销")).to_contain_text(
        "确认冲销第 1 笔拨款 100,000.00 元（凭证号 PV-E2E-1）"
    )
    laptop.check("finance-reversal-confirm")
    page.set_viewport_size(PHONE)  # kept as a picture only: the money tables scroll sideways on a phone
    laptop.shot("finance-reversal-confirm")
    page.set_viewport_size(DESKTOP)
    form.get_by_role("button", name="确认冲销").dblclick()
    expect(page.get_by_role("status").filter(has_text="已冲销")).to_contain_text(
        "第 1 笔拨款的支付（凭证号 PV-E2E-1）已冲销，原因：凭证录入错误，款项未实际付出"
    )
    expect(form).to_have_count(0)
    expect(rows.nth(0)).to_contain_text("可支付")
    expect(page.get_by_role("button", name="办理支付：第 1 笔")).to_be_visible()

    spending = page.get_by_role("region", name="支出明细")
    page.get_by_role("button", name="冲销支出：凭证号 E-E2E-1").click()
    form = page.get_by_role("form", name="冲销支出（凭证号 E-E2E-1）")
    page.locator("#reverse-expenditure-reason").fill("记错项目")
    form.get_by_role("button", name="下一步：确认").click()
    form.get_by_role("button", name="确认冲销").click()
    expect(page.get_by_role("status").filter(has_text="支出 1,000.00 元")).to_have_text(
        "支出 1,000.00 元（凭证号 E-E2E-1）已冲销，原因：记错项目"
    )
    expect(spending).to_contain_text("已冲销")
    assert laptop.fits_the_screen()
    laptop.check("finance-reversed")
    assert laptop.errors == [], laptop.errors
    phone.context.close()
    laptop.context.close()


def main() -> None:
    stage, *args = sys.argv[1:]
    stages = {
        "bureau_closes_out": bureau_closes_out,
        "bureau_decides_force_majeure": bureau_decides_force_majeure,
        "provider_reports_and_finance_reverses": provider_reports_and_finance_reverses,
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            stages[stage](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
