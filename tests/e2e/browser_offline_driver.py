"""The browser half of tests/e2e/test_browser_offline.py, run as its own
process like tests/e2e/browser_driver.py (whose helpers it uses):
`python -m tests.e2e.browser_offline_driver <journey> <url> [args]`.
A journey that has something to tell the test prints one JSON line."""

from __future__ import annotations

import json
import sys
import time

from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, DESKTOP, PHONE, Watched, sign_in

OUTBOX_ITEMS = """() => new Promise((done, fail) => {
  const opening = indexedDB.open("childcare-outbox");
  opening.onerror = () => fail(opening.error);
  opening.onsuccess = () => {
    const reading = opening.result.transaction("items").objectStore("items").getAll();
    reading.onsuccess = () => { opening.result.close(); done(reading.result); };
    reading.onerror = () => fail(reading.error);
  };
})"""
PUT_BACK = """(item) => new Promise((done, fail) => {
  const opening = indexedDB.open("childcare-outbox");
  opening.onsuccess = () => {
    const writing = opening.result.transaction("items", "readwrite");
    writing.objectStore("items").put(item);
    writing.oncomplete = () => { opening.result.close(); done(true); };
    writing.onerror = () => fail(writing.error);
  };
})"""


def record_visit(page: Page, url: str, child_id: str, findings: str) -> None:
    """Opens the visit form with no signal: the service worker answers the page."""
    page.goto(f"{url}/app/children/{child_id}/visit")
    expect(page.get_by_role("heading", name="记录走访")).to_be_visible()
    page.get_by_label("走访情况").fill(findings)
    page.get_by_role("button", name="保存走访记录").click()
    expect(page.get_by_role("heading", name="待发送", exact=True)).to_be_visible()
    expect(page.get_by_text("走访记录已保存在手机上")).to_be_visible()


def file_child(page: Page, name: str, born: str, gender: str, id_number: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="儿童建档").click()
    expect(page.get_by_role("heading", name="儿童建档")).to_be_visible()
    page.get_by_label("姓名").fill(name)
    page.locator("label.el-radio", has_text=gender).click()
    page.locator("#child-dob").fill(born)
    page.locator("#child-dob").press("Enter")
    page.keyboard.press("Escape")
    page.get_by_label("身份证号（可不填）").fill(id_number)
    page.locator("label.el-checkbox", has_text="困境儿童").click()
    page.locator("label.el-checkbox", has_text="自身残疾").click()
    page.get_by_role("button", name="建档").click()
    expect(page.get_by_role("heading", name="待发送", exact=True)).to_be_visible()
    expect(page.get_by_text("建档信息已保存在手机上")).to_be_visible()


def wait_for_service_worker_control(page: Page, seconds: float) -> None:
    """Polls from here rather than with wait_for_function: that evaluates its
    predicate as a string inside the page, which the app's CSP (no
    'unsafe-eval') refuses once the page is slow enough to need a second try."""
    deadline = time.monotonic() + seconds
    while not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        if time.monotonic() > deadline:
            raise AssertionError(f"the service worker took no control within {seconds} s")
        page.wait_for_timeout(250)


def director_offline(
    browser, url: str, username: str, password: str, child_id: str, name: str, born: str, gender: str, id_numbers: str
) -> None:
    """A director on a phone loses the signal after signing in, reopens the
    app, records two visits and two new files (the second with an ID number
    already on file), sees four waiting, and gets the signal back."""
    new_id, taken_id = id_numbers.split(",")
    director = Watched(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page, context = director.page, director.context
    page.goto(f"{url}/app/children/{child_id}")
    sign_in(page, username, password)
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    manifest = page.evaluate("document.querySelector('link[rel=manifest]').href")
    assert manifest == f"{url}/app/manifest.webmanifest", manifest
    # the service worker has kept the app shell and controls the page
    wait_for_service_worker_control(page, seconds=120)

    context.set_offline(True)
    page.reload()  # no signal: the kept shell opens, the director is still known
    expect(page.get_by_role("navigation").get_by_role("link", name="待发送")).to_be_visible()
    record_visit(page, url, child_id, "离线走访一：孩子在家，祖母身体尚可。")
    record_visit(page, url, child_id, "离线走访二：孩子上学去了，与祖母交谈。")
    file_child(page, "马小军", born, gender, new_id)
    file_child(page, "马小军重复", born, gender, taken_id)
    expect(page.get_by_role("region", name="等待发送（4）")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="待发送（4）")).to_be_visible()
    expect(page.get_by_text("当前没有网络。有 4 条等待发送")).to_be_visible()
    assert director.fits_the_screen()
    director.check("outbox-offline")
    kept = page.evaluate(OUTBOX_ITEMS)
    assert len(kept) == 4 and len({item["key"] for item in kept}) == 4, kept

    context.set_offline(False)  # the signal returns: the outbox sends itself
    expect(page.get_by_text("没有等待发送的记录")).to_be_visible(timeout=30_000)
    refused = page.get_by_role("region", name="未被接收（1）")
    expect(refused).to_contain_text("建档：马小军重复")
    expect(refused).to_contain_text("原因：该身份证号已建档")
    expect(page.get_by_role("region", name="区民政局的处理")).to_contain_text("等待区民政局处理")
    director.check("outbox-refused")

    # the same visit sent again (a second tab, a lost answer): its key makes it the same visit
    visit = next(item for item in kept if item["kind"] == "visit")
    page.evaluate(PUT_BACK, visit)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("没有等待发送的记录")).to_be_visible()
    left = page.evaluate(OUTBOX_ITEMS)
    assert [item["title"] for item in left] == ["马小军重复"], left
    assert director.errors == [], director.errors
    print(json.dumps({"kept": [{"key": i["key"], "kind": i["kind"], "title": i["title"]} for i in kept]}))
    context.close()


def bureau_resolves(browser, url: str, password: str, director: str) -> None:
    bureau = Watched(browser, DESKTOP)
    page = bureau.page
    page.goto(f"{url}/app/offline-conflicts")
    sign_in(page, "admin", password)
    expect(page.get_by_role("heading", name="离线提交冲突")).to_be_visible()
    conflict = page.get_by_role("list", name="离线提交冲突").get_by_role("listitem").filter(has_text=director)
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text("儿童建档")
    expect(conflict).to_contain_text("该身份证号已建档")
    expect(conflict).to_contain_text("身份证号")
    expect(conflict).to_contain_text("未处理")
    bureau.check("offline-conflicts")
    conflict.get_by_role("button", name="处理").click()
    conflict.get_by_label(f"处理说明：{director} 的儿童建档").fill("该儿童已建档，已电话告知主任，无需重复录入。")
    bureau.check("offline-conflict-resolving")
    conflict.get_by_role("button", name="确认处理").click()
    expect(
        page.get_by_role("list", name="离线提交冲突").get_by_role("listitem").filter(has_text=director)
    ).to_have_count(0)
    page.get_by_text("只看未处理").click()
    resolved = page.get_by_role("list", name="离线提交冲突").get_by_role("listitem").filter(has_text=director)
    expect(resolved).to_contain_text("已处理")
    expect(resolved).to_contain_text("已电话告知主任")
    bureau.check("offline-conflicts-resolved")
    assert bureau.errors == [], bureau.errors
    bureau.context.close()


def director_reads_the_resolution(browser, url: str, username: str, password: str) -> None:
    director = Watched(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = director.page
    page.goto(f"{url}/app/outbox")
    sign_in(page, username, password)
    handled = page.get_by_role("region", name="区民政局的处理")
    expect(handled).to_contain_text("已处理：该儿童已建档")
    director.check("outbox-resolved")
    assert director.errors == [], director.errors
    director.context.close()


def main() -> None:
    journey, *args = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            journeys = {
                "director_offline": director_offline,
                "bureau_resolves": bureau_resolves,
                "director_reads_the_resolution": director_reads_the_resolution,
            }
            journeys[journey](browser, *args)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
