"""The browser half of tests/e2e/test_browser_finance.py, run as its own
process (`python -m tests.e2e.browser_finance_driver <journey> <url> [args]`),
reusing tests/e2e/browser_driver.py's watched pages, axe-core checks and
sign-in. Exits non-zero with the failure on stderr."""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from shared.clock import programme_today
from tests.e2e.browser_driver import CHROMIUM, DESKTOP, Watched, pick, sign_in


def finance(browser, url: str, username: str, password: str, contract_id: str, organisation: str) -> None:
    officer = Watched(browser, DESKTOP)
    # The same officer on a second computer, the contract opened before the payment: its screen is behind.
    behind = Watched(browser, DESKTOP)
    try:
        finance_officer_on_a_laptop(officer, behind, url, username, password, contract_id, organisation)
    except Exception:
        officer.shot("finance-failed")
        behind.shot("finance-behind-failed")
        raise


def finance_officer_on_a_laptop(
    officer: Watched, behind: Watched, url: str, username: str, password: str, contract_id: str, organisation: str
) -> None:
    page = officer.page
    page.goto(f"{url}/app/")
    page.get_by_role("link", name="登录").click()
    sign_in(page, username, password)

    # The officer's home: the contracts whose money they keep; their menu, not the director's.
    expect(page.get_by_role("heading", name="合同资金", exact=True)).to_be_visible()
    menu = page.get_by_role("navigation")
    for item in ("合同资金", "追回款", "会计分录", "试算平衡表", "对账"):
        expect(menu.get_by_role("link", name=item)).to_be_visible()
    expect(menu.get_by_role("link", name="今日待办")).to_have_count(0)
    expect(menu.get_by_role("link", name="日志链核验")).to_have_count(0)
    assert officer.fits_the_screen()
    officer.check("finance-contracts")

    # The other screen opens the pay form for the same tranche before anything is paid.
    other = behind.page
    other.goto(f"{url}/app/finance/contracts/{contract_id}")
    sign_in(other, username, password)
    expect(other.get_by_role("heading", name=f"合同资金：{organisation}")).to_be_visible()
    other.get_by_role("button", name="办理支付：第 1 笔").click()
    other.get_by_label("付款凭证号").fill("PV-2026-LATE")

    # The contract's money: appropriation, commitment, obligation, tranches and the gate each waits on.
    page.get_by_role("link", name=organisation).click()
    expect(page.get_by_role("heading", name=f"合同资金：{organisation}")).to_be_visible()
    chain = page.get_by_role("region", name="预算批复、承诺与签约")
    expect(chain).to_contain_text("困难群众救助补助资金")
    expect(chain).to_contain_text("250,000.00 元")
    rows = page.get_by_role("region", name="拨款计划与支付").locator(".el-table__body tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("100,000.00 元")
    expect(rows.nth(0)).to_contain_text("合同签订后支付")
    expect(rows.nth(0)).to_contain_text("可支付")
    expect(rows.nth(1)).to_contain_text("等待：中期评估合格")
    expect(rows.nth(2)).to_contain_text("项目结项且成效评估合格后支付")
    expect(rows.nth(1).get_by_role("button")).to_have_count(0)  # nothing to pay before its gate
    expect(page.get_by_role("region", name="定向捐赠")).to_contain_text("余额 0.00 元")
    expect(page.get_by_role("region", name="应追回")).to_contain_text("没有应追回的资金")
    assert officer.fits_the_screen()
    officer.check("finance-contract")

    # Paying the first tranche with its voucher: a double click pays once.
    page.get_by_role("button", name="办理支付：第 1 笔").click()
    form = page.get_by_role("form", name="支付第 1 笔拨款")
    expect(form).to_contain_text("100,000.00 元")
    form.get_by_role("button", name="确认支付").click()  # no voucher: refused before anything is sent
    expect(form.locator(".el-form-item__error")).to_have_text("请填写付款凭证号")
    form.get_by_label("付款凭证号").fill("PV-2026-001")
    officer.check("finance-pay-form")
    form.get_by_role("button", name="确认支付").dblclick()
    expect(page.get_by_role("status").filter(has_text="已支付")).to_contain_text(
        "第 1 笔拨款 100,000.00 元 已支付，凭证号 PV-2026-001"
    )
    expect(form).to_have_count(0)
    expect(rows.nth(0)).to_contain_text("已支付")
    expect(rows.nth(0)).to_contain_text("凭证号 PV-2026-001")
    expect(rows.nth(0).get_by_role("button", name="办理支付：第 1 笔")).to_have_count(0)
    expect(rows.nth(0).get_by_role("button")).to_have_text(["冲销支付"])  # only its reversal is left
    expect(chain).to_contain_text("100,000.00 元")
    officer.check("finance-paid")

    # The paid tranche's scanned voucher (issue 17), on the shared attachments panel.
    vouchers = page.get_by_role("form", name="上传第 1 笔付款凭证")
    vouchers.get_by_role("radio", name="付款凭证").check()
    scan = Path(tempfile.mkdtemp()) / "voucher.pdf"
    scan.write_bytes(b"%PDF-1.4\n% PV-2026-001\n" + bytes(2000))
    vouchers.get_by_label(re.compile("选择文件或拍照")).set_input_files(str(scan))
    vouchers.get_by_role("button", name="上传").click()
    expect(vouchers.get_by_role("status")).to_contain_text("已上传：付款凭证")
    expect(page.get_by_role("heading", name="第 1 笔付款凭证（1）")).to_be_visible()
    expect(page.get_by_role("link", name="下载付款凭证")).to_have_count(1)

    # A designated donation to the project, typed in 元: its balance is the project's own.
    donations = page.get_by_role("region", name="定向捐赠")
    donations.get_by_role("button", name="登记捐赠").click()
    gift = page.get_by_role("form", name="登记捐赠")
    gift.get_by_label("捐赠人").fill("中卫爱心企业")
    gift.get_by_label("金额（元）").fill("2,000.5")
    gift.get_by_label("捐赠票据号").fill("JZ-2026-0001")
    officer.check("finance-donation-form")
    gift.get_by_role("button", name="保存捐赠").click()
    expect(donations.get_by_role("status")).to_have_text("已登记捐赠 2,000.50 元，定向捐赠余额 2,000.50 元")
    expect(donations).to_contain_text("余额 2,000.50 元")
    expect(donations.locator(".el-table__body tr", has_text="中卫爱心企业")).to_contain_text("JZ-2026-0001")
    officer.check("finance-donated")

    # The provider's spending on a budget line, from the fiscal money it received.
    lines = page.get_by_role("region", name="预算科目与支出")
    lines.get_by_role("button", name="记录支出").click()
    spend = page.get_by_role("form", name="记录支出")
    spend.get_by_role("button", name="保存支出").click()  # nothing typed: the amount is refused before sending
    expect(spend.locator(".el-form-item", has_text="金额（元）").locator(".el-form-item__error")).to_have_text(
        "请输入大于 0 的金额（元），最多两位小数"
    )
    pick(page, "spend-line", "activities")
    spend.get_by_label("金额（元）").fill("1,000")
    spend.get_by_label("凭证号").fill("E-2026-001")
    officer.check("finance-expenditure-form")
    spend.get_by_role("button", name="保存支出").dblclick()  # one expenditure
    expect(lines.get_by_role("status")).to_have_text("已记录支出 1,000.00 元，凭证号 E-2026-001")
    # the budget line (first table), not the expenditure row below it
    expect(lines.locator(".el-table__body tr", has_text="activities").first).to_contain_text("99,000.00 元")
    officer.check("finance-spent")

    # The screen that was behind tries the same tranche: refused, said so with the voucher that paid it.
    other.get_by_role("form", name="支付第 1 笔拨款").get_by_role("button", name="确认支付").click()
    expect(other.get_by_role("alert").filter(has_text="不能重复支付")).to_have_text(
        "该笔拨款已支付（凭证号 PV-2026-001），不能重复支付"
    )
    expect(other.get_by_role("form", name="支付第 1 笔拨款")).to_have_count(0)
    other_rows = other.get_by_role("region", name="拨款计划与支付").locator(".el-table__body tr")
    expect(other_rows.nth(0)).to_contain_text("已支付")
    behind.check("finance-second-payment-refused")

    # The journal: the payment posted once, after the appropriation, commitment and obligation.
    menu.get_by_role("link", name="会计分录").click()
    expect(page.get_by_role("heading", name="会计分录")).to_be_visible()
    entries = page.locator(".el-table__body tr")
    expect(entries.filter(has_text="拨款支付")).to_have_count(2)  # this contract's, and the terminated one's
    expect(entries.filter(has_text="预算批复").first).to_be_visible()
    expect(entries.filter(has_text="拨款支付").last).to_contain_text("应付拨款")
    assert officer.fits_the_screen()
    officer.check("finance-journal")
    with page.expect_download() as got:
        page.get_by_role("link", name="下载会计分录（Excel）").click()
    assert got.value.suggested_filename == "序时账.xlsx", got.value.suggested_filename
    assert got.value.failure() is None

    # The trial balance as of today: balanced, fiscal money only.
    menu.get_by_role("link", name="试算平衡表").click()
    expect(page.get_by_role("heading", name="试算平衡表")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("借贷平衡")
    fiscal = page.get_by_role("region", name=re.compile("^财政资金"))
    expect(fiscal).to_contain_text("平衡")
    expect(fiscal.locator("tr", has_text="应付拨款")).to_be_visible()
    assert officer.fits_the_screen()
    donation = page.get_by_role("region", name=re.compile("^社会捐赠"))
    expect(donation.locator("tr", has_text="捐赠资金存款")).to_contain_text("借 2,000.50 元")
    officer.check("finance-trial-balance")
    with page.expect_download() as got:
        page.get_by_role("link", name="下载试算平衡表（Excel）").click()
    assert re.fullmatch(r"科目余额表-\d{4}-\d{2}-\d{2}\.xlsx", got.value.suggested_filename), (
        got.value.suggested_filename
    )

    menu.get_by_role("link", name="对账").click()
    expect(page.get_by_role("heading", name="对账")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("截至")
    expect(page.get_by_label("各合同对账").locator(".el-table__body tr")).to_have_count(2)
    officer.check("finance-reconciliation")
    # As of yesterday (a shared link): the contracts were not yet known to finance.
    today = programme_today()
    page.goto(f"{url}/app/finance/reconciliation?as_of={today - timedelta(days=1)}")
    expect(page.get_by_text("按该日结束时已记录")).to_be_visible()
    expect(page.get_by_label("各合同对账")).to_contain_text("暂无合同")
    # A date after today cannot be reconciled: said at the date picker.
    page.goto(f"{url}/app/finance/reconciliation?as_of={today + timedelta(days=1)}")
    refused = page.locator(".el-form-item", has_text="截至").locator(".el-form-item__error")
    expect(refused).to_contain_text("不能晚于今天")
    officer.check("finance-reconciliation-refused-date")

    # The terminated contract's money owed back: part collected, the rest written off with its approver.
    menu.get_by_role("link", name="追回款").click()
    expect(page.get_by_role("heading", name="追回款")).to_be_visible()
    owed = page.locator(".el-table__body tr")
    expect(owed).to_have_count(1)
    expect(owed.first).to_contain_text("全部已拨付财政资金")
    expect(owed.first).to_contain_text("100,000.00 元")
    officer.check("finance-recoveries")
    owed.first.get_by_role("button", name="收款").click()
    collect = page.get_by_role("form", name="记录收回款")
    collect.get_by_label("收回金额（元）").fill("40000")
    collect.get_by_label("银行流水号").fill("BANK-2026-1")
    officer.check("finance-collect-form")
    collect.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="已记录收回")).to_have_text(
        "已记录收回 40,000.00 元，尚欠 60,000.00 元"
    )
    expect(owed.first).to_contain_text("60,000.00 元")
    owed.first.get_by_role("button", name="核销").click()
    write_off = page.get_by_role("form", name="核销追回款")
    write_off.get_by_role("button", name="保存").click()  # no approver, no reason: refused field by field
    expect(write_off.locator(".el-form-item", has_text="批准人").locator(".el-form-item__error")).to_be_visible()
    expect(write_off.locator(".el-form-item", has_text="核销原因").locator(".el-form-item__error")).to_be_visible()
    officer.check("finance-write-off-refused")
    write_off.get_by_label("批准人").fill("王局长")
    write_off.get_by_label("核销原因").fill("机构已注销，无财产可供追偿")
    write_off.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="已核销")).to_have_text("已核销，尚欠 0.00 元")
    expect(page.get_by_text("没有符合条件的追回款")).to_be_visible()
    page.get_by_role("radio", name="已结清").check(force=True)
    expect(owed.first).to_contain_text("已结清")
    officer.check("finance-recoveries-settled")

    # Not the auditors' screens: the officer lands on their own.
    page.goto(f"{url}/app/audit")
    expect(page.get_by_role("heading", name="合同资金", exact=True)).to_be_visible()

    # The bureau's administrator reads the same money and moves none: no pay or record buttons.
    page.get_by_role("button", name="退出").click()
    page.goto(f"{url}/app/finance/contracts/{contract_id}")
    sign_in(page, "admin", password)
    expect(page.get_by_role("heading", name=f"合同资金：{organisation}")).to_be_visible()
    expect(rows.nth(0)).to_contain_text("已支付")
    expect(page.get_by_role("button", name=re.compile("办理支付|冲销|记录支出|登记捐赠"))).to_have_count(0)
    officer.check("finance-contract-admin")
    assert officer.errors == [], officer.errors
    assert behind.errors == [], behind.errors
    officer.context.close()
    behind.context.close()


def main() -> None:
    journey, *args = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            {"finance": finance}[journey](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
