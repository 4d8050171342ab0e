"""The built browser app is served under /app/ only, with its security headers."""

import gzip

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.web import app_pages


def get(path, method="GET", **headers):
    return Request(EnvironBuilder(method=method, path=path, headers=headers).get_environ())


def built(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    return tmp_path


def test_only_paths_under_app_are_the_apps():
    assert app_pages.is_app_path("/app") and app_pages.is_app_path("/app/children/1")
    assert not app_pages.is_app_path("/children") and not app_pages.is_app_path("/apply")


def test_the_apps_own_routes_get_index_html_with_the_content_security_policy(tmp_path):
    dist = built(tmp_path)
    for path in ("/app/", "/app/today", "/app/children/abc"):
        answer = app_pages.answer(get(path), dist)
        assert answer.status_code == 200 and answer.mimetype == "text/html"
        csp = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_hashed_assets_are_served_as_themselves_and_cached(tmp_path):
    dist = built(tmp_path)
    answer = app_pages.answer(get("/app/assets/index-abc123.js"), dist)
    assert answer.status_code == 200 and "javascript" in answer.mimetype
    assert "immutable" in answer.headers["Cache-Control"]
    assert app_pages.answer(get("/app/assets/missing.js"), dist).status_code == 404


def test_nothing_outside_the_build_is_served(tmp_path):
    dist = built(tmp_path)
    for path in ("/app/../secret.txt", "/app/%2e%2e/secret.txt", "/app/assets/../../secret.txt"):
        answer = app_pages.answer(get(path), dist)
        assert b"not for the web" not in answer.get_data()


def test_app_without_slash_redirects_and_writes_are_refused(tmp_path):
    dist = built(tmp_path)
    assert app_pages.answer(get("/app"), dist).headers["Location"] == "/app/"
    assert app_pages.answer(get("/app/", "POST"), dist).status_code == 405


def test_an_unbuilt_app_says_how_to_build_it(tmp_path):
    answer = app_pages.answer(get("/app/"), tmp_path / "nothing")
    assert answer.status_code == 503 and b"npm" in answer.get_data()


def test_text_goes_gzipped_to_browsers_that_accept_it_and_plain_to_others(tmp_path):
    dist = built(tmp_path)
    script = "export const words = [" + ",".join(f'"word{n}"' for n in range(2000)) + "];\n"
    (dist / "assets" / "big-abc123.js").write_text(script)
    zipped = app_pages.answer(get("/app/assets/big-abc123.js", **{"Accept-Encoding": "gzip, br"}), dist)
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.get_data()).decode() == script
    assert len(zipped.get_data()) < len(script) / 3
    assert "script-src 'self'" in zipped.headers["Content-Security-Policy"]
    plain = app_pages.answer(get("/app/assets/big-abc123.js"), dist)
    assert "Content-Encoding" not in plain.headers and plain.get_data().decode() == script
    # a file too small to gain is sent as it is
    small = app_pages.answer(get("/app/assets/index-abc123.js", **{"Accept-Encoding": "gzip"}), dist)
    assert "Content-Encoding" not in small.headers and small.get_data() == b"console.log(1)"


def test_a_rebuilt_file_is_served_new_not_from_the_cache(tmp_path):
    dist = built(tmp_path)
    page = dist / "index.html"
    page.write_text("<!doctype html><title>first</title>" + " " * 2000)
    assert b"first" in gzip.decompress(app_pages.answer(get("/app/", **{"Accept-Encoding": "gzip"}), dist).get_data())
    page.write_text("<!doctype html><title>second build</title>" + " " * 2000)
    answer = app_pages.answer(get("/app/", **{"Accept-Encoding": "gzip"}), dist)
    assert b"second build" in gzip.decompress(answer.get_data())


def test_the_service_worker_and_manifest_are_served_for_an_offline_app_and_always_revalidated(tmp_path):
    dist = built(tmp_path)
    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (dist / "manifest.webmanifest").write_text('{"name": "app", "scope": "/app/"}')
    worker = app_pages.answer(get("/app/sw.js"), dist)
    assert worker.status_code == 200 and worker.mimetype == "application/javascript"
    assert worker.headers["Cache-Control"] == "no-cache" and worker.headers["Service-Worker-Allowed"] == "/app/"
    manifest = app_pages.answer(get("/app/manifest.webmanifest"), dist)
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    assert manifest.headers["Cache-Control"] == "no-cache"
    csp = manifest.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


def test_a_missing_service_worker_or_manifest_is_not_answered_with_the_page(tmp_path):
    dist = built(tmp_path)
    for path in ("/app/sw.js", "/app/manifest.webmanifest"):
        answer = app_pages.answer(get(path), dist)
        assert answer.status_code == 404 and answer.mimetype == "text/plain"
