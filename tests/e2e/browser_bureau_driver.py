"""The browser half of tests/e2e/test_browser_bureau.py, run as its own process
(`python -m tests.e2e.browser_bureau_driver <journey> <url> [args]`) for the
reason tests/e2e/browser_driver.py gives. Exits non-zero with the failure on
stderr."""

from __future__ import annotations

import re
import sys

from playwright.sync_api import expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, DESKTOP, PHONE, Watched, choose, sign_in


def bureau(
    browser, url: str, password: str, child_name: str, account: str, account_password: str, new_password: str
) -> None:
    watched = Watched(browser, DESKTOP)
    try:
        bureau_on_a_desktop(watched, url, password, child_name, account, account_password, new_password)
    except Exception:
        watched.shot("bureau-failed")
        raise


def bureau_on_a_desktop(
    admin: Watched, url: str, password: str, child_name: str, account: str, account_password: str, new_password: str
) -> None:
    page = admin.page
    page.goto(f"{url}/app/")
    page.get_by_role("link", name="登录").click()
    sign_in(page, "admin", password)

    # The desk opens first, on the figures of the data the test made through the API.
    expect(page.get_by_role("heading", name="局工作台")).to_be_visible()
    menu = page.get_by_role("navigation", name="主菜单")
    for item in ("局工作台", "儿童统计", "用户账号", "今日待办", "日志链核验"):
        expect(menu.get_by_role("link", name=item)).to_be_visible()
    alerts = page.get_by_role("region", name="一级风险未立案儿童")
    expect(alerts.locator(".count")).to_have_text(re.compile(r"^\s*1\s*人"))
    expect(alerts.get_by_role("link", name=child_name)).to_be_visible()
    overdue = page.get_by_role("region", name="逾期未走访")
    expect(overdue.locator(".count")).to_have_text(re.compile(r"^\s*2\s*人，2 个村"))
    expect(overdue).to_contain_text("滨河镇新北村")
    expect(overdue).to_contain_text("迎水桥镇沙坡头村")
    late = page.get_by_role("region", name="季度报告逾期")
    expect(late.locator(".count")).to_have_text(re.compile(r"^\s*0\s*份合同"))
    expect(late).to_contain_text("没有逾期未报送的季度报告")
    objections = page.get_by_role("region", name="待处理异议")
    expect(objections.locator(".count")).to_have_text(re.compile(r"^\s*1\s*件"))
    held = page.get_by_role("region", name="待评估的拨付")
    expect(held.locator(".count")).to_have_text(re.compile(r"^\s*2\s*笔"))
    expect(held).to_contain_text("阳光社会工作服务中心 第 2 笔")
    expect(held).to_contain_text("待中期评估通过")
    expect(held).to_contain_text("阳光社会工作服务中心 第 3 笔")
    expect(page.get_by_role("region", name="系统运行")).to_contain_text("各系统运行正常", timeout=30_000)
    assert admin.fits_the_screen()
    admin.check("bureau-desk")

    # The child on the alert card opens on their file.
    alerts.get_by_role("link", name=child_name).click()
    expect(page.get_by_role("heading", name=child_name)).to_be_visible()

    # Children by town, tier and category. First the registry is down: said so, with a retry.
    page.route(
        "**/children/statistics",
        lambda route: route.fulfill(status=503, json={"error": "SERVICE_UNAVAILABLE", "message": "registry down"}),
    )
    menu.get_by_role("link", name="儿童统计").click()
    expect(page.get_by_role("heading", name="儿童统计")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("服务暂时不可用")
    admin.check("bureau-statistics-failed")
    page.unroute("**/children/statistics")
    page.get_by_role("button", name="重试").click()
    # Then three charts drawn as SVG, with their numbers.
    expect(page.get_by_text(re.compile(r"在册儿童 3 人"))).to_be_visible()
    charts = page.locator(".chart svg")
    expect(charts).to_have_count(3)
    by_town = page.get_by_role("figure", name="按乡镇")
    expect(by_town.locator("svg text", has_text="滨河镇")).to_have_count(1)
    expect(by_town.get_by_role("row", name="滨河镇 2")).to_be_visible()
    by_tier = page.get_by_role("figure", name="按风险等级")
    for tier in ("一级（高风险） 1", "二级（中风险） 1", "未评估 1"):
        expect(by_tier.get_by_role("row", name=tier)).to_be_visible()
    expect(by_tier.locator("svg path").first).to_be_attached()
    assert admin.fits_the_screen()
    admin.check("bureau-statistics")
    # As printed: the app's menu gone, the charts still drawn.
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(charts).to_have_count(3)
    admin.shot("bureau-statistics-print")
    page.emulate_media(media="screen")

    # The accounts: open the director's, refuse an empty reason, then disable it.
    menu.get_by_role("link", name="用户账号").click()
    expect(page.get_by_role("heading", name="用户账号")).to_be_visible()
    table = page.locator(".el-table", has_text="权限范围")
    expect(table.locator("tbody tr", has_text=account)).to_contain_text("启用")
    admin.check("bureau-accounts")
    table.get_by_role("link", name=account).click()
    expect(page.get_by_role("heading", name=f"账号：{account}")).to_be_visible()
    details = page.get_by_label("账号信息")
    expect(details).to_contain_text("迎水桥镇沙坡头村")
    expect(details).to_contain_text("启用")
    page.get_by_role("button", name="停用", exact=True).click()
    # the API's field message, in Chinese, under the field
    expect(page.get_by_role("region", name="停用账号").locator(".el-form-item__error")).to_contain_text("必填")
    page.get_by_label("新密码").fill("short")
    page.get_by_role("button", name="重设密码").click()
    expect(page.get_by_role("region", name="重设密码").locator(".el-form-item__error")).to_contain_text("12")
    admin.check("bureau-account-refused")
    page.get_by_label("新密码").fill(new_password)
    page.get_by_role("button", name="重设密码").click()
    expect(page.get_by_text("密码已重设")).to_be_visible()
    page.get_by_label("停用原因").fill("调离岗位")
    page.get_by_role("button", name="停用", exact=True).click()
    expect(page.get_by_text("账号已停用")).to_be_visible()
    expect(details).to_contain_text("已停用")
    admin.check("bureau-account-disabled")
    menu.get_by_role("link", name="用户账号").click()
    expect(table.locator("tbody tr", has_text=account)).to_contain_text("已停用")

    # The disabled director can no longer sign in, with the new password or the old.
    page.get_by_role("button", name="退出").click()
    page.goto(f"{url}/app/signin")
    sign_in(page, account, new_password)
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    page.reload()
    sign_in(page, account, account_password)
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    assert admin.errors == [], admin.errors
    admin.context.close()


def not_the_bureau(browser, url: str, username: str, password: str) -> None:
    """A village director who types the bureau's addresses lands on their own to-do list."""
    director = Watched(browser, DESKTOP)
    page = director.page
    page.goto(f"{url}/app/bureau/accounts")
    sign_in(page, username, password)
    expect(page.get_by_role("heading", name="今日待办")).to_be_visible()
    menu = page.get_by_role("navigation", name="主菜单")
    expect(menu.get_by_role("link", name="局工作台")).to_have_count(0)
    for path in ("/app/bureau", "/app/bureau/statistics"):
        page.goto(f"{url}{path}")
        expect(page.get_by_role("heading", name="今日待办")).to_be_visible()
    assert director.errors == [], director.errors
    director.context.close()


def duplicates(browser, url: str, password: str, kept_id: str, moved_id: str, director: str) -> None:
    watched = Watched(browser, DESKTOP)
    try:
        duplicates_on_a_desktop(watched, url, password, kept_id, moved_id)
    except Exception:
        watched.shot("duplicates-failed")
        raise
    phone = Watched(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        director_on_a_phone(phone, url, director, password, kept_id)
    except Exception:
        phone.shot("director-file-failed")
        raise


def duplicates_on_a_desktop(admin: Watched, url: str, password: str, kept_id: str, moved_id: str) -> None:
    """Two candidate pairs: one dismissed as twins (an empty reason refused
    first), the other merged; then the kept file's name corrected, and the
    change read in the file's history; a child director added; one twin
    transferred out of the district, their file closed."""
    page = admin.page
    page.goto(f"{url}/app/signin")
    sign_in(page, "admin", password)
    expect(page.get_by_role("heading", name="局工作台")).to_be_visible()
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="疑似重复").click()
    expect(page.get_by_role("heading", name="疑似重复档案")).to_be_visible()
    twins = page.get_by_role("article", name=re.compile("^疑似重复：.*吴小军"))
    same = page.get_by_role("article", name=re.compile("^疑似重复：.*周小燕"))
    expect(twins).to_contain_text("姓名相似度 67%")
    expect(same).to_be_visible()
    assert admin.fits_the_screen()
    admin.check("bureau-duplicates")

    twins.get_by_role("button", name="不是同一人…").click()
    twins.get_by_role("button", name="确认排除").click()
    expect(twins.locator(".el-form-item__error")).to_have_text(re.compile("必填|不能为空"))
    admin.check("bureau-dismiss-refused")
    twins.get_by_label("为什么不是同一名儿童").fill("双胞胎，入户核实为两名儿童")
    twins.get_by_role("button", name="确认排除").click()
    expect(page.get_by_text(re.compile("^已排除：吴.军 与 吴.军 不是同一名儿童$"))).to_be_visible()
    expect(twins).to_have_count(0)

    same.get_by_role("button", name="合并…").click()
    same.locator("label.el-radio", has_text="周小燕（").click()
    expect(same.get_by_role("radio", name=re.compile("^周小燕"))).to_be_checked()
    same.get_by_label("合并原因").fill("入户核实为同一名儿童，重复建档")
    admin.check("bureau-merge")
    same.get_by_role("button", name="确认合并").click()
    expect(page.get_by_text(re.compile("已合并：周晓燕 的档案并入 周小燕 的档案"))).to_be_visible()
    expect(page.get_by_text("没有疑似重复的档案")).to_be_visible()
    page.get_by_role("tab", name="已排除").click()
    dismissed = page.get_by_role("article", name=re.compile("^已排除：.*吴小军"))
    expect(dismissed).to_contain_text("双胞胎，入户核实为两名儿童")
    admin.check("bureau-dismissed")

    # The kept file: its name corrected — an unchanged name, then an empty reason, refused at their fields first.
    page.goto(f"{url}/app/children/{kept_id}")
    expect(page.get_by_role("heading", name="周小燕")).to_be_visible()
    page.get_by_role("button", name="更正档案").click()
    expect(page.get_by_role("heading", name="更正档案：周小燕")).to_be_visible()
    name = page.get_by_label("更正后的姓名")
    expect(name).to_have_value("周小燕")
    page.get_by_label("更正原因").fill("户口本核对，姓名登记有误")
    page.get_by_role("button", name="保存更正").click()
    expect(
        page.locator(".el-form-item", has=page.get_by_label("更正后的姓名")).locator(".el-form-item__error")
    ).to_have_text("与档案中现有内容相同，无需更正")
    name.fill("周晓燕")
    page.get_by_label("更正原因").fill("")
    page.get_by_role("button", name="保存更正").click()
    expect(
        page.locator(".el-form-item", has=page.get_by_label("更正原因")).locator(".el-form-item__error")
    ).to_have_text(re.compile("必填|不能为空"))
    admin.check("child-correct-refused")
    page.get_by_label("更正原因").fill("户口本核对，姓名登记有误")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_role("heading", name="周晓燕")).to_be_visible()
    expect(page.get_by_text("更正已保存")).to_be_visible()
    page.get_by_role("link", name="档案历史").click()
    history = page.get_by_role("list", name="档案历史")
    latest = history.get_by_role("listitem").first
    expect(latest).to_contain_text("更正")
    expect(latest).to_contain_text("姓名：周小燕 → 周晓燕")
    expect(latest).to_contain_text("原因：户口本核对，姓名登记有误")
    expect(history).to_contain_text("并入重复档案")
    assert admin.fits_the_screen()
    admin.check("child-history")

    # A village's child director added: the name is asked for first, then listed.
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="儿童主任").click()
    expect(page.get_by_role("heading", name="儿童主任", exact=True)).to_be_visible()
    expect(page.get_by_text("正在加载…")).to_have_count(0)
    page.get_by_label("乡镇", exact=True).last.fill("滨河镇")
    page.get_by_label("村（社区）", exact=True).last.fill("新北村")
    page.get_by_role("button", name="添加", exact=True).click()
    add = page.get_by_role("region", name="添加儿童主任")
    expect(
        add.locator(".el-form-item", has=page.get_by_label("姓名", exact=True)).locator(".el-form-item__error")
    ).to_have_text(re.compile("必填|不能为空"))
    add.get_by_label("姓名", exact=True).fill("马兰花")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_text("已添加儿童主任：滨河镇新北村 马兰花")).to_be_visible()
    expect(page.get_by_role("table").get_by_text("马兰花")).to_be_visible()
    assert admin.fits_the_screen()
    admin.check("bureau-directors")

    # A twin moved away: where to is asked for first; then the file is closed, read only.
    page.goto(f"{url}/app/children/{moved_id}")
    page.get_by_role("button", name="转出本区").click()
    expect(page.get_by_role("heading", name=re.compile("^转出本区：吴"))).to_be_visible()
    page.get_by_label("转出原因").fill("随父母迁居")
    page.get_by_role("button", name="确认转出").click()
    expect(
        page.locator(".el-form-item", has=page.get_by_label("迁往何处")).locator(".el-form-item__error")
    ).to_have_text(re.compile("必填|不能为空"))
    admin.check("child-transfer-refused")
    page.get_by_label("迁往何处").fill("银川市兴庆区")
    page.get_by_role("button", name="确认转出").click()
    expect(page.get_by_text("已转出，档案已关闭")).to_be_visible()
    expect(page.get_by_text(re.compile("档案已关闭：.*转往银川市兴庆区"))).to_be_visible()
    for gone in ("记录走访", "更正档案", "转出本区"):
        expect(page.get_by_role("button", name=gone)).to_have_count(0)

    # Who serves the kept child, and the referral form: a contract is asked for first.
    page.goto(f"{url}/app/children/{kept_id}")
    page.get_by_role("link", name="服务机构与转介").click()
    expect(page.get_by_role("heading", name="可为其服务的合同")).to_be_visible()
    expect(page.get_by_text("正在加载…")).to_have_count(0)
    expect(page.get_by_role("region", name="个案服务情况")).to_contain_text("在服务范围内")
    refer = page.get_by_role("region", name="转介给服务合同")
    refer.get_by_role("button", name="转介").click()
    expect(refer.locator(".el-form-item__error")).to_have_text("请选择服务合同")
    assert admin.fits_the_screen()
    admin.check("child-reach")
    # The children casework knows, the kept one among them.
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="服务对象名册").click()
    roster = page.locator(".el-table", has_text="纳入时间")
    expect(roster.locator(f'a[href$="/children/{kept_id}"]')).to_be_visible()
    assert admin.fits_the_screen()
    admin.check("bureau-casework-children")
    assert admin.errors == [], admin.errors
    admin.context.close()


def director_on_a_phone(phone: Watched, url: str, username: str, password: str, kept_id: str) -> None:
    """The village director, on a 390 px phone, assesses the file's risk tier
    (told the next visit due), finds moving the child is the bureau's, and
    reads the file's history; each screen fits and passes axe."""
    page = phone.page
    page.goto(f"{url}/app/signin")
    sign_in(page, username, password)
    expect(page.get_by_role("heading", name="今日待办")).to_be_visible()
    page.goto(f"{url}/app/children/{kept_id}")
    expect(page.get_by_role("heading", name="周晓燕")).to_be_visible()
    expect(page.get_by_role("button", name="转出本区")).to_have_count(0)
    page.get_by_role("button", name="风险评估").click()
    expect(page.get_by_role("heading", name="风险等级评估：周晓燕")).to_be_visible()
    page.get_by_text("二级（中风险）").click()
    page.get_by_label("评估理由（每行一条）").fill("父母均外出务工\n祖母年迈")
    page.get_by_role("button", name="保存评估").click()
    expect(page.get_by_text("已评估为二级（中风险）")).to_be_visible()
    expect(page.get_by_text(re.compile("下次应走访日期：\\d{4}年"))).to_be_visible()
    assert phone.fits_the_screen()
    phone.check("child-assessed")
    page.goto(f"{url}/app/children/{kept_id}/correct")
    expect(page.get_by_role("heading", name="更正档案：周晓燕")).to_be_visible()
    expect(page.get_by_text("须由区民政局办理")).to_be_visible()
    assert phone.fits_the_screen()
    phone.check("child-correct")
    page.get_by_role("link", name="返回档案").click()
    page.get_by_role("link", name="档案历史").click()
    latest = page.get_by_role("list", name="档案历史").get_by_role("listitem").first
    expect(latest).to_contain_text("风险评估")
    expect(latest).to_contain_text("二级（中风险）")
    assert phone.fits_the_screen()
    phone.check("child-history")
    assert phone.errors == [], phone.errors
    phone.context.close()


def visits_register(browser, url: str, password: str, findings: str, yesterday: str, tomorrow: str) -> None:
    """The visit records register: today's visit listed; the register as it stood
    at the end of yesterday holds nothing of this test's; a day ahead is refused
    at its field."""
    admin = Watched(browser, DESKTOP)
    page = admin.page
    try:
        page.goto(f"{url}/app/")
        page.get_by_role("link", name="登录").click()
        sign_in(page, "admin", password)
        page.get_by_role("navigation", name="主菜单").get_by_role("link", name="走访记录").click()
        expect(page.get_by_role("heading", name="走访记录")).to_be_visible()
        table = page.get_by_role("table", name="走访记录")
        expect(page.get_by_text(findings)).to_be_visible()
        download = page.get_by_role("link", name="下载走访记录（Excel）")
        expect(download).to_have_attribute("href", "/visits/export.xlsx")
        admin.check("visits-register")

        as_of = page.locator("#visits-as-of")
        as_of.fill(yesterday)
        as_of.press("Enter")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_text("没有符合条件的走访记录")).to_be_visible()
        expect(download).to_have_attribute("href", f"/visits/export.xlsx?as_of={yesterday}")
        expect(table).to_have_count(0)

        as_of.fill(tomorrow)
        as_of.press("Enter")
        page.get_by_role("button", name="查询").click()
        expect(page.locator(".el-form-item.is-error")).to_contain_text("不能晚于今天")
        admin.check("visits-register-refused")
        assert admin.errors == [], admin.errors
    except Exception:
        admin.shot("visits-register-failed")
        raise
    admin.context.close()


def open_account(browser, url: str, password: str, username: str, account_password: str) -> None:
    """The bureau opens a village director's account: the village left out is
    refused at its field, then chosen; the new account's page shows its scope."""
    admin = Watched(browser, DESKTOP)
    page = admin.page
    try:
        page.goto(f"{url}/app/")
        page.get_by_role("link", name="登录").click()
        sign_in(page, "admin", password)
        page.get_by_role("navigation", name="主菜单").get_by_role("link", name="用户账号").click()
        page.get_by_role("button", name="开通账号").click()
        expect(page.get_by_role("heading", name="开通账号")).to_be_visible()
        page.get_by_label("账号名").fill(username)
        page.get_by_label("姓名").fill("马主任")
        choose(page, "account-role", "儿童主任")
        page.get_by_label("初始密码").fill(account_password)
        choose(page, "account-town", "滨河镇")
        page.get_by_role("button", name="开通账号").click()
        expect(page.locator(".el-form-item.is-error", has=page.locator("#account-village"))).to_contain_text(
            "儿童主任账号必须填写此项"
        )
        admin.check("account-new-refused")
        choose(page, "account-village", "新北村")
        page.get_by_role("button", name="开通账号").click()
        expect(page.get_by_role("heading", name=f"账号：{username}")).to_be_visible()
        expect(page.get_by_role("table", name="账号信息").or_(page.get_by_label("账号信息"))).to_contain_text(
            "滨河镇新北村"
        )
        assert admin.errors == [], admin.errors
    except Exception:
        admin.shot("account-new-failed")
        raise
    admin.context.close()


def main() -> None:
    journey, *args = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            {
                "bureau": bureau,
                "not_the_bureau": not_the_bureau,
                "duplicates": duplicates,
                "visits_register": visits_register,
                "open_account": open_account,
            }[journey](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
