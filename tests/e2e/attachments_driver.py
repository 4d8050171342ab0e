"""The browser half of tests/e2e/test_browser_attachments.py, run as its own
process (`python -m tests.e2e.attachments_driver <journey> <url> <child_id> <username> <password> <files dir>`)
as browser_driver.py's journeys are, reusing its helpers. The files dir holds
what the test generated: consent.png, photo.png (a camera photo over the
limit), big.pdf (over the limit), program.exe, fake.png (text named .png)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.browser_driver import CHROMIUM, PHONE, Watched, sign_in


def open_the_file(page: Page, url: str, child_id: str, username: str, password: str) -> None:
    page.goto(f"{url}/app/children/{child_id}")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    sign_in(page, username, password)
    expect(page.get_by_role("heading", name=re.compile(r"附件（\d+）"))).to_be_visible()


def attach(page: Page, kind: str, path: Path) -> None:
    form = page.get_by_role("form", name="上传附件")
    form.get_by_role("radio", name=kind).check()
    form.get_by_label(re.compile("选择文件或拍照")).set_input_files(str(path))


def refused(page: Page, path: Path, message: str) -> None:
    attach(page, "其他", path)
    page.get_by_role("form", name="上传附件").get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()


def director(browser, url: str, child_id: str, username: str, password: str, files: Path) -> None:
    director = Watched(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = director.page
    open_the_file(page, url, child_id, username, password)
    expect(page.get_by_role("heading", name="附件（0）")).to_be_visible()
    expect(page.get_by_text("还没有附件")).to_be_visible()
    picker = page.get_by_label(re.compile("选择文件或拍照"))
    assert picker.get_attribute("accept") == "image/*,application/pdf"
    assert director.fits_the_screen()
    director.check("attachments-empty")

    # the signed consent form, photographed as a PNG
    attach(page, "知情同意书", files / "consent.png")
    page.get_by_role("button", name="上传").dblclick()  # a double tap attaches once
    expect(page.get_by_role("status").filter(has_text="已上传：知情同意书")).to_be_visible()
    expect(page.get_by_role("heading", name="附件（1）")).to_be_visible()
    listed = page.get_by_role("listitem").filter(has_text="知情同意书")
    expect(listed).to_contain_text("PNG 图片")
    expect(listed).to_contain_text("年")
    assert director.fits_the_screen()
    director.check("attachments-consent")

    # downloaded, it is the same bytes
    with page.expect_download() as download:
        page.get_by_role("link", name="下载知情同意书").click()
    assert Path(download.value.path()).read_bytes() == (files / "consent.png").read_bytes()
    assert download.value.suggested_filename.endswith(".png")

    # a camera photo over 5 MB is downscaled in the browser and sent as a JPEG
    attach(page, "走访照片", files / "photo.png")
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("status").filter(has_text="已上传：走访照片")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="附件（2）")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="走访照片")).to_contain_text("JPEG 图片")

    # refused in the browser before anything is sent
    refused(page, files / "big.pdf", "文件超过 5 MB，无法上传")
    director.check("attachments-too-large")
    refused(page, files / "program.exe", "只能上传 PDF 文件或 JPEG、PNG 图片")
    # refused by the server: the bytes are not what the name says
    refused(page, files / "fake.png", "文件内容与文件类型不符")
    director.check("attachments-refused-by-server")
    expect(page.get_by_role("heading", name="附件（2）")).to_be_visible()
    assert director.errors == [], director.errors
    director.context.close()


def auditor(browser, url: str, child_id: str, username: str, password: str, files: Path) -> None:
    """The auditor reads and downloads, and is offered no upload."""
    auditor = Watched(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = auditor.page
    open_the_file(page, url, child_id, username, password)
    expect(page.get_by_role("heading", name="附件（2）")).to_be_visible()
    expect(page.get_by_role("link", name="下载知情同意书")).to_be_visible()
    expect(page.get_by_role("button", name="记录走访")).to_have_count(0)
    expect(page.get_by_role("form", name="上传附件")).to_have_count(0)
    expect(page.get_by_label(re.compile("选择文件或拍照"))).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载知情同意书").click()
    assert Path(download.value.path()).read_bytes() == (files / "consent.png").read_bytes()
    auditor.check("attachments-auditor")
    assert auditor.errors == [], auditor.errors
    auditor.context.close()


JOURNEYS = {"director": director, "auditor": auditor}


def main() -> None:
    journey, url, child_id, username, password, files = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            JOURNEYS[journey](browser, url, child_id, username, password, Path(files))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
