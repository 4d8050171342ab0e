"""Browser sessions: the same signed token as a bearer token, kept in an
HttpOnly, SameSite=Strict cookie that page scripts cannot read, plus a CSRF
token the app sends back in a header on every unsafe request.

The CSRF token is derived from the session token with the signing secret, so
the gateway stores nothing and a page on another site, which can neither read
the cookie nor our answers, cannot produce it. Unsafe requests carrying the
cookie must also come from this origin (Origin, when the browser sends it)."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from services.gateway.web.http_errors import GatewayError

COOKIE = "cc_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CrossSiteRefused(GatewayError):
    status, code = 403, "CSRF_REFUSED"


def has_cookie(request: Request) -> bool:
    return bool(request.cookies.get(COOKIE))


def csrf_token(secret: str, session_token: str) -> str:
    return hmac.new(secret.encode(), b"csrf\n" + session_token.encode(), hashlib.sha256).hexdigest()


def require_same_origin(request: Request) -> None:
    """A request from a page on another site carries that site's Origin."""
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:
        raise CrossSiteRefused("requests carrying the session cookie must come from this site")


def cookie_token(secret: str, request: Request) -> str:
    """The session token from the cookie; on an unsafe method only with the
    matching CSRF header, from this origin."""
    token = request.cookies.get(COOKIE, "")
    if request.method not in SAFE_METHODS:
        require_same_origin(request)
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, csrf_token(secret, token)):
            raise CrossSiteRefused(f"send the session's CSRF token in the {CSRF_HEADER} header (GET /auth/session)")
    return token


def is_https(request: Request) -> bool:
    return request.scheme == "https" or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def keep(response: Response, token: str, ttl_seconds: int, secure: bool) -> Response:
    response.set_cookie(
        COOKIE, token, max_age=ttl_seconds, path="/", httponly=True, samesite="Strict", secure=secure
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def forget(response: Response, secure: bool) -> Response:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Strict", secure=secure)
    response.headers["Cache-Control"] = "no-store"
    return response
