"""The browser half of tests/e2e/test_browser_journeys.py, run as its own
process (`python -m tests.e2e.browser_driver <journey> <url> [args]`) so that
Playwright runs outside the test process's eventlet monkey-patching (its
shutdown hangs under it). Exits non-zero with the failure on stderr."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
FINITE_ANIMATIONS_DONE = """Promise.all(document.getAnimations()
  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null))).then(() => true)"""
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
SHOTS = os.environ.get("WEB_SCREENSHOTS")


class Watched:
    """A page whose script errors and CSP violations fail the journey (a
    refused request, e.g. 401 before sign-in, is an answer, not an error)."""

    def __init__(self, browser, viewport: dict, **options):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="UTC", **options)
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def shot(self, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.wait_for_timeout(400)  # let Element Plus's transitions finish
            width = self.page.viewport_size["width"]
            self.page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)

    def check(self, name: str) -> None:
        """The screen as it is now: its screenshot (when kept) and axe-core."""
        self.shot(name)
        assert_accessible(self.page, name)

    def fits_the_screen(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assert_accessible(page: Page, screen: str) -> None:
    """Runs axe-core (web/node_modules, pinned in web/package-lock.json) on the
    page as it is now and fails on any serious or critical violation. The
    script goes in through the DevTools protocol, which the page's CSP does not
    govern, so the page's own policy stays as strict as it is for users."""
    # colours are read as painted: let fades and transitions finish first
    # (endless ones, such as a spinner, never do)
    page.evaluate(FINITE_ANIMATIONS_DONE)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not found, f"axe-core on {screen}:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} -> "
        + "; ".join(
            " ".join(node["target"]) + " " + node.get("failureSummary", "").replace("\n", " ")
            for node in v["nodes"][:4]
        )
        for v in found
    )


def public(browser, url: str) -> None:
    for viewport in (DESKTOP, PHONE):
        visitor = Watched(browser, viewport)
        page = visitor.page
        answer = page.goto(f"{url}/app/public/notices")
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        expect(page.get_by_role("heading", name="公示公告")).to_be_visible()
        expect(page.get_by_text("正在公示（1）")).to_be_visible()
        notice = page.locator("article.notice").first
        expect(notice).to_contain_text("阳光社会工作服务中心")
        expect(notice).to_contain_text("公示期：")
        expect(notice).to_contain_text("年")
        expect(notice).to_contain_text("如何提出异议")
        assert visitor.fits_the_screen()
        visitor.check("public-notices")

        page.get_by_role("link", name="失信名单").click()
        expect(page.get_by_role("heading", name="失信名单")).to_be_visible()
        expect(page.get_by_text("目前没有被禁入的组织")).to_be_visible()
        assert visitor.fits_the_screen()
        visitor.check("public-bans")

        page.goto(f"{url}/app/no-such-page")
        expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
        visitor.check("not-found")
        assert visitor.errors == []
        visitor.context.close()


def director(browser, url: str, username: str, password: str, name: str, screen: str = "phone") -> None:
    if screen == "phone":
        director = Watched(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    else:
        director = Watched(browser, DESKTOP)
    page = director.page

    page.goto(f"{url}/app/today")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    director.check("signin")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="今日待办")).to_be_visible()
    overdue = page.get_by_role("link", name=name)
    expect(overdue).to_contain_text("逾期")
    assert director.fits_the_screen()
    director.check("today")

    page.get_by_role("navigation").get_by_role("link", name="本村儿童").click()
    page.get_by_label("按姓名搜索").fill(name[:2])
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_text("共 1 人")).to_be_visible()
    assert director.fits_the_screen()
    director.check("children")
    page.get_by_role("link", name=name).click()

    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text("一级（高风险）").first).to_be_visible()
    assert director.fits_the_screen()
    director.check("child-file")
    page.get_by_role("button", name="记录走访").click()

    expect(page.get_by_role("heading", name=f"记录走访：{name}")).to_be_visible()
    save = page.get_by_role("button", name="保存走访记录")
    save.click()  # nothing written yet: the API refuses the empty findings
    findings = page.locator(".el-form-item", has_text="走访情况")
    expect(findings.locator(".el-form-item__error")).to_have_text("必填，不超过 2000 个字")
    director.check("visit-refused")
    page.get_by_label("走访情况").fill("孩子在家写作业，祖母身体尚可，家中缺少冬衣。")
    page.get_by_label("后续跟进（可不填）").fill("联系社工送冬衣")
    save.dblclick()  # a double tap records one visit

    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text("走访记录（1）")).to_be_visible()
    expect(page.get_by_text("家中缺少冬衣")).to_be_visible()
    director.check("child-file-visited")

    page.get_by_role("navigation").get_by_role("link", name="今日待办").click()
    expect(page.get_by_text("没有逾期未走访的儿童")).to_be_visible()
    # visited today, the child is next due within the tier's cadence: listed as due soon, not overdue
    due_soon = page.get_by_role("region", name="近 14 天到期").get_by_role("link", name=name)
    expect(due_soon).to_contain_text("一级儿童走访")
    expect(due_soon).not_to_contain_text("逾期")
    page.get_by_role("navigation").get_by_role("link", name="儿童建档").click()
    expect(page.get_by_role("heading", name="儿童建档")).to_be_visible()
    assert director.fits_the_screen()
    director.check("register-child")

    # the session ends mid-form: signing in again over the page keeps what was typed
    page.get_by_label("姓名").fill("张小军")
    director.context.clear_cookies()
    page.get_by_role("button", name="建档").click()
    expired = page.get_by_role("dialog", name="登录已过期")
    expect(expired).to_be_visible()
    director.check("session-expired")
    expired.get_by_label("密码").fill(password)
    expired.get_by_role("button", name="登录").click()
    expect(expired).to_be_hidden()
    expect(page.get_by_label("姓名")).to_have_value("张小军")

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="公示公告")).to_be_visible()
    assert director.errors == []
    director.context.close()


def docs(browser, url: str, username: str, password: str) -> None:
    """/docs is Swagger UI from the gateway's own files under its CSP, and its
    try-it requests run as whoever signed in to the app in this browser."""
    reader = Watched(browser, DESKTOP)
    page = reader.page
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((url + "/", "data:")) else elsewhere.append(r.url))

    answer = page.goto(f"{url}/docs")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Shapotou")
    expect(page.locator("#who")).to_contain_text("未登录")
    reader.shot("docs")

    page.goto(f"{url}/app/signin")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="今日待办")).to_be_visible()

    page.goto(f"{url}/docs")
    expect(page.locator("#who")).to_contain_text("已登录：王主任")
    register = page.locator("#operations-registry-register_child")
    register.locator(".opblock-summary").first.click()
    register.get_by_role("button", name="Try it out").click()
    register.locator("textarea.body-param__text").fill("{}")
    register.locator("input[placeholder='Idempotency-Key']").fill(f"docs-{os.getpid()}")
    register.get_by_role("button", name="Execute").click()
    # 400 (the empty child refused field by field): the cookie signed the request
    # in (else 401) and the CSRF header went with it (else 403 CSRF_REFUSED).
    status = register.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("400")
    expect(register.locator(".live-responses-table tbody .response-col_description").first).to_contain_text(
        "VALIDATION_ERROR"
    )
    reader.shot("docs-tried")
    assert elsewhere == [], elsewhere
    assert reader.errors == [], reader.errors
    reader.context.close()


def main() -> None:
    journey, *args = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            {"public": public, "director": director, "docs": docs}[journey](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
