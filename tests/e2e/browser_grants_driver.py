"""The browser half of tests/e2e/test_browser_grants.py, run as its own process
(`python -m tests.e2e.browser_grants_driver <stage> <url> [args]`, for the
same reason as browser_driver.py). Each stage is one sitting of one person;
the test does what others do in between (applicants apply, other reviewers
score) through the API. A stage that learns something the test needs prints
it as `KEY value` on stdout. Exits non-zero with the failure on stderr."""

from __future__ import annotations

import re
import sys

from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, DESKTOP, PHONE, Watched, choose, pick, sign_in

TITLE = "沙坡头区2026年留守儿童和困境儿童关爱服务项目"
SECOND_TITLE = "沙坡头区留守儿童关爱服务项目（第二批）"


def set_date(page: Page, field_id: str, value: str) -> None:
    """Types a decision date (YYYY-MM-DD) into a date field, as a clerk does."""
    field = page.locator(f"#{field_id}")
    field.fill(value)
    field.press("Enter")
    page.keyboard.press("Escape")
    expect(field).to_have_value(value)
    # Focus left in the field reopens the picker's popup, which an accessibility
    # check then finds (a dialog without a name): leave the field, wait for it to close.
    field.evaluate("element => element.blur()")
    expect(page.locator(".el-popper[role=dialog]:visible")).to_have_count(0)


def signed_in(browser, url: str, username: str, password: str, path: str, viewport: dict = DESKTOP) -> Watched:
    watched = Watched(browser, viewport)
    page = watched.page
    page.goto(f"{url}/app{path}")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    sign_in(page, username, password)
    return watched


def field_error(page: Page, field_id: str):
    return page.locator(".el-form-item", has=page.locator(f"#{field_id}")).locator(".el-form-item__error")


def staged(stage):
    """Keeps a screenshot of where a stage failed (with WEB_SCREENSHOTS)."""

    def run(browser, *args):
        watched: list[Watched] = []
        try:
            stage(browser, watched, *args)
        except Exception:
            for w in watched:
                w.shot(f"grants-{stage.__name__}-failed")
            raise

    return run


@staged
def bureau_opens_call(browser, watched: list, url: str, username: str, password: str, dates: str) -> None:
    """Drafts a call (the API's refusal of a blank title shown next to it), reads
    its terms and rubric, and publishes it on the given day."""
    (sub_opens, sub_closes, rev_opens, rev_closes, svc_start, svc_end, published) = dates.split(",")
    bureau = signed_in(browser, url, username, password, "/grants")
    watched.append(bureau)
    page = bureau.page
    expect(page.get_by_role("heading", name="征集公告")).to_be_visible()
    expect(page.get_by_text("还没有征集公告")).to_be_visible()
    bureau.check("grants-calls-empty")

    page.get_by_role("button", name="起草征集公告").click()
    for field_id, value in (
        ("call-sub-opens", sub_opens),
        ("call-sub-closes", sub_closes),
        ("call-rev-opens", rev_opens),
        ("call-rev-closes", rev_closes),
        ("call-svc-start", svc_start),
        ("call-svc-end", svc_end),
    ):
        set_date(page, field_id, value)
    page.get_by_role("button", name="保存草稿").click()  # the title is still blank
    expect(field_error(page, "call-title")).to_have_text("必填，不超过 200 个字")
    assert bureau.fits_the_screen()
    bureau.check("grants-call-refused")
    page.get_by_label("项目名称").fill("沙坡头区2026年留守儿童和困境儿童关爱服务项目")
    page.get_by_role("button", name="保存草稿").dblclick()  # a double click drafts one call

    expect(page.get_by_role("heading", name="沙坡头区2026年留守儿童和困境儿童关爱服务项目")).to_be_visible()
    expect(page.get_by_text("草稿").first).to_be_visible()
    rubric = page.get_by_role("region", name="评分细则")
    expect(rubric).to_contain_text("需求真实性")
    expect(rubric).to_contain_text("20%")
    expect(page.get_by_text("第1笔 40%（合同签订）")).to_be_visible()
    assert bureau.fits_the_screen()
    bureau.check("grants-call-draft")
    set_date(page, "publish-on", published)
    page.get_by_role("button", name="发布公告").click()
    expect(page.locator(".head").get_by_text("已发布")).to_be_visible()
    expect(page.get_by_role("button", name="发布公告")).to_have_count(0)

    page.get_by_role("tab", name=re.compile("申报与初审")).click()
    expect(page.get_by_text("还没有机构申报")).to_be_visible()
    bureau.check("grants-applications-empty")
    print("CALL", page.url.split("/grants/calls/")[1].split("?")[0])
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


@staged
def bureau_reviews(
    browser, watched: list, url: str, username: str, password: str, call_id: str, reviewed_on: str, weak_year: str
) -> None:
    """Eligibility with a reason per rule; the ineligible applicant is refused a
    pass, rejected with the failed rule's reason, then disqualified for false
    materials (the refusal of a blank finding said at the field); due diligence and a pass for
    the other; then the panel of four seated."""
    bureau = signed_in(browser, url, username, password, f"/grants/calls/{call_id}?tab=applications")
    watched.append(bureau)
    page = bureau.page
    table = page.get_by_role("region", name="申报列表")
    good = table.get_by_role("row", name=re.compile("阳光社会工作服务中心"))
    weak = table.get_by_role("row", name=re.compile("某社会团体"))
    expect(good).to_contain_text("符合资格")
    expect(weak).to_contain_text("不符合资格")
    assert bureau.fits_the_screen()
    bureau.check("grants-applications")

    weak.get_by_role("link").click()
    expect(page.get_by_role("heading", name="某社会团体")).to_be_visible()
    rules = page.get_by_role("region", name="资格审查结果")
    inspections = rules.get_by_role("row", name=re.compile("年检结果"))
    expect(inspections).to_contain_text("不符合")
    expect(inspections).to_contain_text(f"年检未通过：{weak_year}年无年检记录")  # the reason, in Chinese
    expect(rules.get_by_role("row", name=re.compile("登记类型"))).to_contain_text("符合")
    set_date(page, "review-on", reviewed_on)
    page.get_by_role("button", name="提交初审结论").click()  # a pass, refused while a hard rule fails
    decision = page.locator(".el-form-item", has=page.get_by_role("radiogroup", name="初审结论"))
    expect(decision.locator(".el-form-item__error")).to_have_text("不符合资格条件，不能通过初审（未通过：年检结果）")
    assert bureau.fits_the_screen()
    bureau.check("grants-eligibility-refused")
    page.locator("label.el-radio", has_text="不通过").click()
    reasons = page.get_by_label("不通过理由（每行一条，申报机构可见）")
    expect(reasons).to_have_value(f"年检未通过：{weak_year}年无年检记录")  # the failed rule's reason
    page.get_by_role("button", name="提交初审结论").click()
    expect(page.locator(".head").get_by_text("初审未通过")).to_be_visible()
    expect(page.get_by_role("region", name="初审")).to_contain_text(weak_year)
    bureau.check("grants-rejected")
    # due diligence then finds its certificate forged: disqualified (and banned)
    page.get_by_role("button", name="取消申报资格…").click()
    page.get_by_role("button", name="确认取消资格").click()  # nothing said of what was found
    expect(field_error(page, "dq-details")).to_have_text("必填，不超过 5000 个字")
    page.get_by_label("查实情况").fill("登记证书副本系伪造，经登记管理机关核实")
    set_date(page, "dq-on", reviewed_on)
    page.get_by_role("button", name="确认取消资格").click()
    expect(page.locator(".head").get_by_text("已取消资格")).to_be_visible()
    expect(page.get_by_text("取消资格（提供虚假材料）：登记证书副本系伪造")).to_be_visible()
    bureau.check("grants-disqualified")

    page.get_by_role("link", name="← 申报列表").click()
    page.get_by_role("region", name="申报列表").get_by_role("link", name="阳光社会工作服务中心").click()
    expect(page.get_by_role("heading", name="阳光社会工作服务中心")).to_be_visible()
    expect(page.get_by_text("符合全部资格条件")).to_be_visible()
    page.get_by_label("调查事项").fill("办公场所实地核查")
    page.get_by_label("调查情况").fill("办公场所与登记地址一致，专职社工 6 人在岗")
    set_date(page, "dd-on", reviewed_on)
    page.get_by_role("button", name="记录调查结果").click()
    expect(page.get_by_role("region", name="尽职调查记录")).to_contain_text("办公场所实地核查")
    set_date(page, "review-on", reviewed_on)
    page.get_by_role("button", name="提交初审结论").click()
    expect(page.locator(".head").get_by_text("初审通过")).to_be_visible()
    assert bureau.fits_the_screen()
    bureau.check("grants-application-passed")

    page.get_by_role("link", name="← 申报列表").click()
    page.get_by_role("tab", name="评审小组").click()
    expect(page.get_by_text("尚缺：")).to_be_visible()
    bureau.check("grants-panel-empty")
    for name, role, where in (
        ("张评审", "民政代表", "区民社局"),
        ("李评审", "财务代表", "区财政局"),
        ("王评审", "社工代表", "社工协会"),
        ("马评审", "实施方代表", "项目实施代表"),
    ):
        page.get_by_label("姓名").fill(name)
        choose(page, "member-role", role)
        page.get_by_label("单位").fill(where)
        page.get_by_role("button", name="任命").click()
        expect(page.get_by_role("region", name="评审小组名单")).to_contain_text(name)
    expect(page.get_by_text("尚缺：")).to_have_count(0)
    assert bureau.fits_the_screen()
    bureau.check("grants-panel")
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


@staged
def reviewer(browser, watched: list, url: str, username: str, password: str, scored_on: str) -> None:
    """Their one seat only; the declaration first, then the rubric with the
    total computed as they type and a score beyond the bounds said so."""
    judge = signed_in(browser, url, username, password, "/review")
    watched.append(judge)
    page = judge.page
    expect(page.get_by_role("heading", name="我的评审")).to_be_visible()
    menu = page.get_by_role("navigation")
    expect(menu.get_by_role("link", name="项目评审")).to_have_count(0)
    seats = page.locator("section.sub-form")
    expect(seats).to_have_count(1)
    expect(seats).to_contain_text("张评审（民政代表）")
    tasks = page.get_by_role("region", name=re.compile("待评审申报"))
    expect(tasks.get_by_role("row")).to_have_count(2)  # the header and the one passed application
    expect(tasks).to_contain_text("待申报利益关系")
    assert judge.fits_the_screen()
    judge.check("review-seats")

    tasks.get_by_role("link", name="申报利益关系：阳光社会工作服务中心").click()
    expect(page.get_by_role("heading", name="阳光社会工作服务中心")).to_be_visible()
    expect(page.get_by_role("form", name="评分表")).to_have_count(0)  # no scoring before declaring
    judge.check("review-declare")
    set_date(page, "declare-on", scored_on)
    page.get_by_role("button", name="提交申报").click()

    sheet = page.get_by_role("form", name="评分表")
    expect(sheet).to_be_visible()
    total = page.get_by_test_id("score-total")
    expect(total).to_have_text("0.00")
    page.get_by_label("需求真实性").fill("90")
    expect(total).to_have_text("18.00")  # 90 × 20%
    page.get_by_label("目标公益性").fill("120")
    expect(page.locator("#score-public_benefit-error")).to_have_text("应在 0 到 100 之间")
    expect(total).to_have_text("18.00")
    page.get_by_role("button", name="提交评分").click()  # not sent: bounds and blanks are said first
    expect(page.locator("#score-innovation-error")).to_have_text("请评分")
    judge.check("review-score-refused")
    for criterion, score in (
        ("目标公益性", "88"),
        ("理念创新性", "80"),
        ("策划科学性", "85"),
        ("主体专业性", "90"),
        ("团队能力", "86"),
    ):
        page.get_by_label(criterion).fill(score)
    expect(total).to_have_text("86.60")
    expect(page.locator("#score-public_benefit-error")).to_have_count(0)
    set_date(page, "score-on", scored_on)
    assert judge.fits_the_screen()
    judge.check("review-score")
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_text("已评分：总分 86.60")).to_be_visible()
    judge.check("review-scored")

    page.get_by_role("link", name="← 我的评审").click()
    expect(page.get_by_role("region", name=re.compile("待评审申报"))).to_contain_text("已评分")
    page.goto(f"{url}/app/grants")  # the bureau's screens are not a reviewer's
    expect(page.get_by_role("heading", name="我的评审")).to_be_visible()
    assert judge.errors == [], judge.errors
    judge.context.close()


@staged
def bureau_decides(browser, watched: list, url: str, username: str, password: str, call_id: str, dates: str) -> None:
    """Ranking, a shortlist of one, the public notice, an objection that holds
    the determination until it is resolved, then the determination."""
    shortlisted, opened, lodged, resolved, determined = dates.split(",")
    bureau = signed_in(browser, url, username, password, f"/grants/calls/{call_id}?tab=panel")
    watched.append(bureau)
    page = bureau.page
    declarations = page.get_by_role("region", name="利益关系申报")
    expect(declarations.get_by_role("row", name=re.compile("马评审"))).to_contain_text("有，回避")
    expect(declarations.get_by_role("row", name=re.compile("张评审"))).to_contain_text("无")
    bureau.check("grants-declarations")

    page.get_by_role("tab", name="排名与入围").click()
    ranking = page.get_by_role("region", name="评审排名")
    top = ranking.get_by_role("row", name=re.compile("阳光社会工作服务中心"))
    expect(top).to_contain_text("86.60")
    expect(top.get_by_role("cell").nth(2)).to_have_text("3")  # three scorers; the conflicted seat did not score
    set_date(page, "shortlist-on", shortlisted)
    assert bureau.fits_the_screen()
    bureau.check("grants-ranking")
    page.get_by_role("button", name="确定入围名单").click()
    expect(top).to_contain_text("入围")
    expect(page.get_by_text("确定入围名单（1 家）")).to_be_visible()

    page.get_by_role("tab", name="公示与确定").click()
    set_date(page, "notice-on", opened)
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_role("region", name="公示名单")).to_contain_text("阳光社会工作服务中心")
    page.locator("summary", has_text="登记异议").click()
    page.get_by_label("异议人").fill("村民")
    choose(page, "objection-target", "阳光社会工作服务中心")
    page.get_by_label("异议理由").fill("质疑该中心的专职社工人数")
    set_date(page, "objection-on", lodged)
    page.get_by_role("button", name="登记异议").click()
    objections = page.get_by_role("region", name="异议", exact=True)
    expect(objections).to_contain_text("质疑该中心的专职社工人数")
    expect(page.get_by_text("还有 1 条异议待处理")).to_be_visible()

    choose(page, "determine-application", "阳光社会工作服务中心")
    set_date(page, "determine-on", determined)
    page.get_by_role("button", name="确定承接机构").click()  # held by the open objection
    expect(page.locator("#determine-notice")).to_have_text("还有 1 条异议未处理，处理完毕后才能确定")
    assert bureau.fits_the_screen()
    bureau.check("grants-notice-objection")

    objections.get_by_role("button", name="处理异议").click()
    page.get_by_label("处理意见").fill("经核实，该中心专职社工 6 人，与申报一致")
    set_date(page, "resolution-on", resolved)
    page.get_by_role("button", name="提交处理结果").click()
    expect(objections).to_contain_text("异议不成立")
    expect(page.get_by_text("还有 1 条异议待处理")).to_have_count(0)
    page.get_by_role("button", name="确定承接机构").click()
    expect(page.locator(".el-descriptions", has_text="承接机构")).to_contain_text("阳光社会工作服务中心")
    expect(page.locator(".el-descriptions", has_text="确定金额")).to_contain_text("250,000.00 元")
    assert bureau.fits_the_screen()
    bureau.check("grants-determined")
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


@staged
def bureau_contracts(browser, watched: list, url: str, username: str, password: str, call_id: str, dates: str) -> None:
    """The optimised plan (its gap to the determined amount shown as they type),
    the contract signed for one year in 滨河镇, and services started."""
    revised, period_start, period_end, signed, started = dates.split(",")
    bureau = signed_in(browser, url, username, password, f"/grants/calls/{call_id}?tab=contract")
    watched.append(bureau)
    page = bureau.page
    # on a loaded machine this first read after signing in took over 5 s (expect's default)
    # in two of three runs: allowed the page's own 15 s
    expect(page.get_by_role("heading", name="实施方案优化")).to_be_visible(timeout=15_000)
    gap = page.get_by_test_id("plan-gap")
    expect(gap).to_have_text("合计与确定金额一致")  # the proposal's lines, to start from
    page.get_by_label("优化说明").fill("按评审意见增加督导评估经费")
    page.locator("#plan-amount-1").fill("90000")
    page.locator("#plan-amount-1").press("Tab")
    expect(gap).to_have_text("合计与确定金额相差 10,000.00 元")
    page.get_by_role("button", name="增加一项").click()
    page.get_by_label("第 3 项名称").fill("督导评估")
    page.locator("#plan-amount-2").fill("10000")
    page.locator("#plan-amount-2").press("Tab")
    expect(gap).to_have_text("合计与确定金额一致")
    set_date(page, "plan-on", revised)
    assert bureau.fits_the_screen()
    bureau.check("grants-plan")
    page.get_by_role("button", name="记录优化方案").click()
    expect(page.get_by_role("region", name="方案优化记录")).to_contain_text("督导评估 10,000.00 元")

    set_date(page, "contract-start", period_start)
    expect(page.locator("#contract-end")).to_have_value(period_end)  # one year, computed
    pick(page, "contract-towns", "滨河镇", close=True)
    page.get_by_label("服务要求（每行一条）").fill("一人一档全覆盖\n每月一次塞上护童主题活动")
    page.get_by_label("违约责任").fill("按合同约定追究违约责任")
    set_date(page, "contract-signed", signed)
    bureau.check("grants-contract-form")
    page.get_by_role("button", name="签订合同").click()
    terms = page.locator(".el-descriptions", has_text="合同状态")
    expect(terms).to_contain_text("已签订")
    expect(terms).to_contain_text("滨河镇")
    expect(terms).to_contain_text("第1笔 100,000.00 元（合同签订）")
    set_date(page, "start-on", started)
    page.get_by_role("button", name="开始服务").click()
    expect(terms).to_contain_text("服务中")
    assert bureau.fits_the_screen()
    bureau.check("grants-contract")
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


@staged
def bureau_supervises(browser, watched: list, url: str, username: str, password: str, call_id: str) -> None:
    """A quarterly report returned without a reason is refused and said so, then
    accepted; the contract suspended and reinstated; then terminated for false
    materials, and the organisation is on the public list of bans."""
    bureau = signed_in(browser, url, username, password, f"/grants/calls/{call_id}?tab=contract")
    watched.append(bureau)
    page = bureau.page
    page.get_by_role("link", name=re.compile("打开合同")).click()
    expect(page.get_by_role("heading", name="服务合同：阳光社会工作服务中心")).to_be_visible()
    reports = page.get_by_role("region", name="季度书面报告")
    expect(reports).to_contain_text("本季度实施情况")
    reports.get_by_role("button", name="审核报告").click()
    page.locator("label.el-radio", has_text="退回").click()
    page.get_by_role("button", name="提交审核结论").click()
    expect(field_error(page, "report-reason")).to_have_text("退回报告须写明理由")
    assert bureau.fits_the_screen()
    bureau.check("grants-report-refused")
    page.locator("label.el-radio", has_text="通过").click()
    page.get_by_role("button", name="提交审核结论").click()
    expect(reports).to_contain_text("已通过")

    head = page.locator(".head")
    page.get_by_label("暂停理由").fill("未按要求开展月度主题活动")
    page.get_by_role("button", name="暂停履约").click()
    expect(head).to_contain_text("已暂停")
    page.get_by_label("恢复理由").fill("已整改")
    page.get_by_role("button", name="恢复履约").click()
    expect(head).to_contain_text("服务中")

    choose(page, "end-reason", "提供虚假材料")
    expect(page.get_by_text("禁止该机构三年内参与政府购买服务")).to_be_visible()
    page.get_by_label("事实与依据").fill("申报材料中的荣誉证书系伪造")
    bureau.check("grants-terminate")
    page.get_by_role("button", name="终止合同").click()
    expect(head).to_contain_text("已终止")
    expect(page.locator(".el-descriptions", has_text="终止情况")).to_contain_text("提供虚假材料")
    bureau.check("grants-terminated")

    page.get_by_role("navigation").get_by_role("link", name="失信名单").click()
    expect(page.get_by_role("heading", name="失信名单")).to_be_visible()
    expect(page.get_by_text("阳光社会工作服务中心")).to_be_visible()
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


def fill_application(page: Page, due: str) -> None:
    """Every part of the application form but the signed-and-sealed box, with a
    budget of 300,000 yuan (150,000 on each of two lines)."""
    page.get_by_label("需求概述").fill("全区留守儿童和困境儿童需求分层排序")
    page.locator("#ap-dp-ind-0").fill("困境儿童人数")
    page.locator("#ap-dp-val-0").fill("412")
    page.locator("#ap-dp-src-0").fill("2025年摸底台账")
    page.get_by_label("项目目标（每行一条）").fill("一人一档全覆盖\n每月一主题塞上护童活动")
    for field in page.locator("textarea[id^=ap-act-]").all():
        field.fill("按月开展，覆盖全部服务村")
    page.locator("#ap-bl-line-0").fill("人员经费")
    page.locator("#ap-bl-yuan-0").fill("150000")
    page.get_by_role("button", name="增加预算科目").click()
    page.locator("#ap-bl-line-1").fill("活动经费")
    page.locator("#ap-bl-yuan-1").fill("150000")
    page.locator("#ap-ms-0").fill("摸底建档完成")
    set_date(page, "ap-ms-due-0", due)
    page.get_by_label("评估标准").fill("按季度考核服务人次与满意度")
    page.locator("#ap-tm-name-0").fill("王强")
    page.locator("#ap-tm-role-0").fill("项目负责人")
    page.locator("#ap-tm-q-0").fill("中级社会工作师")
    for kind, file in (
        ("application_form", "申报书.pdf"),
        ("registration_certificate", "登记证书副本.pdf"),
        ("bank_account_documents", "开户许可证.pdf"),
        ("accountant_qualification", "会计资质.pdf"),
    ):
        page.locator(f"#ap-doc-{kind}").fill(file)


@staged
def provider_applies(
    browser, watched: list, url: str, username: str, password: str, org_id: str, open_call_id: str, evidence_on: str
) -> None:
    """Provider staff on a phone: their own organisation only; a credit check
    submitted (the service's refusal of a blank list name said at the field),
    which waits for the bureau; then an application to the open call, the
    budget over the call's refused and said so, eligibility as of today not
    trusting the unverified check, and the application withdrawn with a reason."""
    provider = signed_in(browser, url, username, password, f"/organizations/{org_id}", PHONE)
    watched.append(provider)
    page = provider.page
    expect(page.get_by_role("heading", name="阳光社会工作服务中心")).to_be_visible()
    menu = page.get_by_role("navigation")
    expect(menu.get_by_role("link", name="本机构")).to_be_visible()
    expect(menu.get_by_role("link", name="社会组织")).to_have_count(0)  # no list of the others
    evidence = page.get_by_role("region", name="资质材料清单")
    expect(evidence.get_by_text("已核实")).to_have_count(2)  # the two inspections the bureau recorded
    assert provider.fits_the_screen()
    provider.check("orgs-provider-own")

    page.get_by_role("button", name="提交材料").click()
    choose(page, "ev-submit-kind", "信用核查")
    set_date(page, "ev-submit-effective-on", evidence_on)
    choose(page, "ev-submit-subject", "机构")
    choose(page, "ev-submit-result", "未列入")
    page.get_by_role("button", name="提交材料").click()  # the list's name is still blank
    expect(field_error(page, "ev-submit-list_name")).to_have_text("必填")
    assert provider.fits_the_screen()
    provider.check("orgs-evidence-refused")
    page.get_by_label("信用名单").fill("信用中国严重失信主体名单")
    page.get_by_role("button", name="提交材料").click()
    expect(evidence.get_by_role("row", name=re.compile("信用中国严重失信主体名单"))).to_contain_text("待核实")
    expect(evidence).to_contain_text("等待民政局核实")

    menu.get_by_role("link", name="项目申报").click()
    expect(page.get_by_role("heading", name="项目申报")).to_be_visible()
    expect(page.get_by_role("region", name=TITLE)).to_contain_text("本机构申报")  # applied earlier (through the API)
    assert provider.fits_the_screen()
    provider.check("apply-calls")
    page.get_by_role("region", name=SECOND_TITLE).get_by_role("link", name="填写申报书 →").click()
    expect(page.get_by_role("heading", name=SECOND_TITLE)).to_be_visible()
    fill_application(page, evidence_on)
    page.get_by_text("已由法定代表人签字并加盖公章").click()
    expect(page.get_by_role("status").filter(has_text="预算合计")).to_contain_text("超出")
    page.get_by_role("button", name="提交申报").click()  # 300,000 yuan against a 250,000 budget
    expect(page.locator("#ap-budget-error")).to_have_text("预算合计 300,000.00 元，超过公告预算 250,000.00 元")
    assert provider.fits_the_screen()
    provider.check("apply-refused")
    page.locator("#ap-bl-yuan-1").fill("100000")
    page.get_by_role("button", name="提交申报").click()

    expect(page.get_by_role("heading", name="本机构申报")).to_be_visible()
    expect(page.locator(".head").get_by_text("已提交")).to_be_visible()
    rules = page.get_by_role("region", name="资格审查结果")
    # the credit check the organisation submitted does not count until the bureau verifies it
    expect(rules.get_by_role("row", name=re.compile("无不良记录"))).to_contain_text("无经民政局核实的机构信用名单查询")
    assert provider.fits_the_screen()
    provider.check("apply-submitted")
    page.get_by_role("button", name="撤回申报…").click()
    page.get_by_role("button", name="确认撤回").click()  # no reason given
    expect(field_error(page, "withdraw-reason")).to_have_text("必填，不超过 5000 个字")
    page.get_by_label("撤回理由").fill("人员调整，本期无法承接")
    page.get_by_role("button", name="确认撤回").click()
    expect(page.locator(".head").get_by_text("已撤回")).to_be_visible()
    expect(page.get_by_text("撤回：人员调整，本期无法承接")).to_be_visible()
    provider.check("apply-withdrawn")
    print("APPLICATION", page.url.split("/my-applications/")[1])
    assert provider.errors == [], provider.errors
    provider.context.close()


@staged
def bureau_verifies(
    browser, watched: list, url: str, username: str, password: str, open_call_id: str, evidence_on: str
) -> None:
    """The organisations (a mistyped credit code said before sending; the
    community organisations' list, empty); the credit check the provider submitted verified
    against its source (the blank source refused at the field); a paper
    application entered for another organisation (refused until the
    organisation is named); the call closed with a reason."""
    bureau = signed_in(browser, url, username, password, "/organizations")
    watched.append(bureau)
    page = bureau.page
    expect(page.get_by_role("heading", name="社会组织")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("某社会团体"))).to_contain_text("社会团体")
    bureau.check("orgs-list")
    page.get_by_role("button", name="登记社会组织").click()
    page.get_by_label("统一社会信用代码").fill("52640502MJ0000018J")  # a mistyped check character
    page.get_by_role("button", name="登记", exact=True).click()
    expect(field_error(page, "org-code")).to_have_text("校验码（第 18 位）不符，请核对")
    bureau.check("orgs-register-refused")
    page.get_by_role("button", name="取消").click()
    page.get_by_role("navigation").get_by_role("link", name="社区社会组织").click()
    expect(page.get_by_text("还没有登记培育的社区社会组织")).to_be_visible()
    bureau.check("community-orgs-empty")
    page.get_by_role("navigation").get_by_role("link", name="社会组织", exact=True).click()
    page.get_by_role("link", name=re.compile("阳光社会工作服务中心")).click()
    expect(page.get_by_text("待核实 1 项")).to_be_visible()
    row = page.get_by_role("region", name="资质材料清单").get_by_role(
        "row", name=re.compile("信用中国严重失信主体名单")
    )
    row.get_by_role("button", name="核实").click()
    page.get_by_role("button", name="提交核实结论").click()  # no source named
    expect(field_error(page, "verify-source")).to_have_text("必填，不超过 500 个字")
    assert bureau.fits_the_screen()
    bureau.check("orgs-verify-refused")
    page.get_by_label("核实依据").fill("信用中国 查询截图")
    page.get_by_role("button", name="提交核实结论").click()
    expect(row).to_contain_text("已核实")
    expect(row).to_contain_text("依据：信用中国 查询截图")
    expect(page.get_by_text("待核实 1 项")).to_have_count(0)
    bureau.check("orgs-verified")

    # an organisation that handed in its application on paper: the bureau enters it
    page.goto(f"{url}/app/grants/calls/{open_call_id}")
    page.get_by_role("tab", name=re.compile("申报与初审")).click()
    page.get_by_role("button", name="代机构录入纸质申报").click()
    expect(page.get_by_role("heading", name=SECOND_TITLE)).to_be_visible()
    fill_application(page, evidence_on)
    page.locator("#ap-bl-yuan-1").fill("100000")
    page.get_by_text("已由法定代表人签字并加盖公章").click()
    page.get_by_role("button", name="提交申报").click()  # no organisation named yet
    expect(field_error(page, "ap-organization")).to_have_text("请选择申报机构")
    bureau.check("apply-on-behalf-refused")
    choose(page, "ap-organization", "某社会团体")
    page.get_by_role("button", name="提交申报").click()
    expect(page).to_have_url(re.compile(r"/app/grants/applications/[0-9a-f-]{36}$"))
    print("ON_BEHALF", page.url.rsplit("/", 1)[1])

    page.goto(f"{url}/app/grants/calls/{open_call_id}")
    page.get_by_role("button", name="关闭公告…").click()
    page.get_by_label("关闭理由").fill("唯一申报机构已撤回，本次征集终止")
    page.get_by_role("button", name="确认关闭").click()
    expect(page.locator(".head").get_by_text("已截止")).to_be_visible()
    expect(page.get_by_text("关闭：唯一申报机构已撤回，本次征集终止")).to_be_visible()
    bureau.check("grants-call-closed")
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


def main() -> None:
    stage, *args = sys.argv[1:]
    stages = {
        "bureau_opens_call": bureau_opens_call,
        "provider_applies": provider_applies,
        "bureau_verifies": bureau_verifies,
        "bureau_reviews": bureau_reviews,
        "reviewer": reviewer,
        "bureau_decides": bureau_decides,
        "bureau_contracts": bureau_contracts,
        "bureau_supervises": bureau_supervises,
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            stages[stage](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
