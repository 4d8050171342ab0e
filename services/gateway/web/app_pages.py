"""The browser app (web/, built into web/dist) served at /app/: its files as
built, and index.html for every other path under /app/ so the app's own
routes survive a reload. Every answer carries the Content-Security-Policy:
scripts, styles, fonts, data, the service worker and the manifest come only
from this origin. The API keeps its own paths; nothing of the app lives
outside /app/.

Offline (a village child director with no signal): /app/sw.js is the service
worker keeping the app shell, scoped to /app/, and always revalidated so a new
build reaches phones on their next visit; /app/manifest.webmanifest makes the
app installable. Neither falls back to index.html when missing."""

from __future__ import annotations

import gzip
import mimetypes
from functools import lru_cache
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.wrappers import Request, Response

PREFIX = "/app"
DIST = Path(__file__).resolve().parents[3] / "web" / "dist"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Vite names built assets by their content hash, so they never change under one name.
IMMUTABLE = "public, max-age=31536000, immutable"
# Text is sent gzipped to browsers that accept it: on a rural phone's 1.6 Mbit/s
# the app's first screen is a third of its raw size (bench/rural_phone.py).
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "text/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
)
MIN_GZIP_BYTES = 1024
SERVICE_WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
# Named the same in every build: a browser must ask each time whether it changed.
REVALIDATED = {SERVICE_WORKER: "application/javascript", MANIFEST: "application/manifest+json"}


def is_app_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def answer(request: Request, dist: Path = DIST) -> Response:
    if request.method not in ("GET", "HEAD"):
        return _with_headers(Response("method not allowed", status=405, headers={"Allow": "GET, HEAD"}))
    if request.path == PREFIX:
        return _with_headers(Response(status=308, headers={"Location": PREFIX + "/"}))
    index = dist / "index.html"
    if not index.is_file():
        return _with_headers(
            Response(
                "The web app is not built yet: run `make run` (or `npm ci && npm run build` in web/).",
                status=503,
                mimetype="text/plain",
            )
        )
    relative = request.path[len(PREFIX) + 1 :]
    found = safe_join(str(dist), relative) if relative else None
    if found and Path(found).is_file():
        mimetype = REVALIDATED.get(relative) or mimetypes.guess_type(found)[0] or "application/octet-stream"
        response = _file(request, Path(found), mimetype)
        if relative.startswith("assets/"):
            response.headers["Cache-Control"] = IMMUTABLE
        elif relative in REVALIDATED:
            response.headers["Cache-Control"] = "no-cache"
        if relative == SERVICE_WORKER:
            response.headers["Service-Worker-Allowed"] = PREFIX + "/"
        return _with_headers(response)
    if relative.startswith("assets/") or relative in REVALIDATED:
        return _with_headers(Response("not found", status=404, mimetype="text/plain"))
    response = _file(request, index, "text/html")
    response.headers["Cache-Control"] = "no-cache"
    return _with_headers(response)


def _file(request: Request, path: Path, mimetype: str) -> Response:
    stat = path.stat()
    body = _read(str(path), stat.st_mtime_ns, stat.st_size)
    if not (mimetype.startswith(COMPRESSIBLE) and len(body) >= MIN_GZIP_BYTES):
        return Response(body, mimetype=mimetype)
    response = Response(mimetype=mimetype, headers={"Vary": "Accept-Encoding"})
    if "gzip" in request.accept_encodings:
        response.set_data(_gzipped(str(path), stat.st_mtime_ns, stat.st_size))
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(body)
    return response


@lru_cache(maxsize=64)
def _read(path: str, mtime_ns: int, size: int) -> bytes:
    return Path(path).read_bytes()


@lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    # mtime=0: the same file always gives the same bytes
    return gzip.compress(_read(path, mtime_ns, size), 6, mtime=0)


def _with_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response
