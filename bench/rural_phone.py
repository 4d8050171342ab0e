"""A village child director's first screen on a phone over a slow rural network.

    .venv/bin/python bench/rural_phone.py [--runs N]

What is measured, in headless Chromium (Debian's, /usr/bin/chromium, through
Playwright) with a 390×844 phone viewport and the network throttled through the
DevTools protocol (Network.emulateNetworkConditions: 1.6 Mbit/s down, 750 kbit/s
up, 150 ms round trip), each run in a fresh browser context (cold cache):

* sign-in page: from navigating to /app/signin until the sign-in form can be
  typed into (the app's HTML, JavaScript and CSS all come down here).
* sign-in → to-do list usable: from the tap on 登录 until the 今日待办 screen
  shows the overdue child (POST /auth/session, the Today screen's lazily
  loaded chunk, and its API reads). Target: under 3 s (issue 15, item 8).
* first screen, gzipped: everything the browser fetched from the first
  navigation until the to-do list was usable (HTML, JS, CSS, API JSON), each
  body gzip-compressed (level 6) here and summed. Target: under 200 KB. The
  bytes actually on the wire (encodedDataLength, which is what the throttle
  charges) are printed next to it: the gateway gzips the app's files for
  browsers that accept it (services/gateway/web/app_pages.py).

The system runs as the browser journeys run it (tests/support/processes.py
System: registry, grants and gateway as `nameko run` processes, in their own
RabbitMQ vhost and PostgreSQL schemas, removed at the end). One director
account and one overdue child (tier 1, assessed 10 days ago) are made through
the API. Needs the built app (scripts/web.sh). Figures come from runs on a
machine shared with the services, PostgreSQL and RabbitMQ: the median of the
runs is printed, read it as an indication.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from services.gateway.web.app_pages import DIST  # noqa: E402
from tests.support.children import new_child  # noqa: E402
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost  # noqa: E402
from tests.support.processes import PASSWORD, System  # noqa: E402
from tests.support.world import HOME, day, ok, post  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
RURAL = {
    "offline": False,
    "latency": 150,  # ms, round trip
    "downloadThroughput": 1_600_000 / 8,  # bytes/s
    "uploadThroughput": 750_000 / 8,
}
TARGET_SECONDS = 3.0
TARGET_GZIP_KB = 200.0
CHILD = "李小花"


def director_with_an_overdue_child(system: System) -> str:
    username = f"director-{uuid.uuid4().hex[:6]}"
    account = {
        "username": username,
        "display_name": "王主任",
        "role": "child_director",
        "scope": HOME,
        "password": PASSWORD,
    }
    ok(post(system.api, "/users", account), 201)
    child_id = ok(post(system.api, "/children", {**new_child(), **HOME, "name": CHILD}), 201)["child_id"]
    assessment = {"level": 1, "reasons": ["父母外出务工，祖母年迈"], "assessed_on": day(-10)}
    ok(post(system.api, f"/children/{child_id}/assessments", assessment), 200, 201)
    return username


def one_run(browser, url: str, username: str) -> dict:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", RURAL)
    wire: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], e["encodedDataLength"]))
    responses = []
    page.on("response", lambda response: responses.append(response))

    started = time.perf_counter()
    page.goto(f"{url}/app/signin")
    page.get_by_label("用户名").fill(username)
    sign_in_page = time.perf_counter() - started
    page.get_by_label("密码").fill(PASSWORD)

    tapped = time.perf_counter()
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="今日待办").wait_for()
    page.get_by_role("link", name=CHILD).wait_for()
    to_do = time.perf_counter() - tapped

    loaded = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
            body = b""
        loaded.append((response.url.removeprefix(url), len(body), len(gzip.compress(body, 6))))
    context.close()
    return {"sign_in_page": sign_in_page, "to_do": to_do, "loaded": loaded, "wire": sum(wire.values())}


def kind_of(path: str) -> str:
    if path.endswith(".js"):
        return "js"
    if path.endswith(".css"):
        return "css"
    if path.startswith("/app/"):
        return "html"
    return "api"


def report(runs: list[dict]) -> bool:
    sign_in_page = statistics.median(r["sign_in_page"] for r in runs)
    to_do = statistics.median(r["to_do"] for r in runs)
    loaded = runs[-1]["loaded"]
    by_kind: dict[str, list[int]] = {}
    for path, raw, gz in loaded:
        total = by_kind.setdefault(kind_of(path), [0, 0, 0])
        total[0] += 1
        total[1] += raw
        total[2] += gz
    gz_kb = sum(gz for _, _, gz in loaded) / 1024
    wire_kb = statistics.median(r["wire"] for r in runs) / 1024
    print(f"network: 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT; viewport 390x844; {len(runs)} cold runs (median)")
    print(f"  sign-in page usable after navigation   {sign_in_page:6.2f} s")
    fits_time = to_do < TARGET_SECONDS
    verdict = "ok" if fits_time else "OVER"
    print(f"  sign-in -> to-do list usable           {to_do:6.2f} s   target < {TARGET_SECONDS:.0f} s   {verdict}")
    fits_size = gz_kb < TARGET_GZIP_KB
    verdict = "ok" if fits_size else "OVER"
    print(f"  first screen, gzipped                  {gz_kb:6.1f} KB  target < {TARGET_GZIP_KB:.0f} KB {verdict}")
    print(f"  first screen, bytes on the wire        {wire_kb:6.1f} KB")
    for kind, (count, raw, gz) in sorted(by_kind.items()):
        print(f"    {kind:5} {count:3} responses  {raw / 1024:8.1f} KB raw  {gz / 1024:7.1f} KB gzipped")
    return fits_time and fits_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not (DIST / "index.html").is_file():
        print("build the web app first: scripts/web.sh", file=sys.stderr)
        return 2
    with (
        tempfile.TemporaryDirectory(prefix="rural-phone-") as logs,
        isolated_vhost() as vhost,
        isolated_pg_store() as store,
    ):
        system = System(amqp_uri_for(vhost), store, Path(logs))
        system.start("registry", "grants", "gateway")
        try:
            username = director_with_an_overdue_child(system)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                try:
                    runs = [one_run(browser, system.url, username) for _ in range(args.runs)]
                finally:
                    browser.close()
        finally:
            system.stop_all()
    return 0 if report(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
