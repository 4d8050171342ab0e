"""CORS for browser clients, from configuration (CORS_ORIGINS, comma-separated;
empty means no cross-origin access). Preflights are answered here, before routing."""
from __future__ import annotations

from werkzeug.wrappers import Response

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Offline-Capture, X-Request-Id"
ALLOWED_METHODS = "GET, POST, OPTIONS"
MAX_AGE = "600"


def allowed_origin(request, origins: frozenset[str]) -> str | None:
    origin = request.headers.get("Origin")
    if origin and ("*" in origins or origin in origins):
        return origin
    return None


def preflight(request, origins: frozenset[str]) -> Response | None:
    """The answer to a CORS preflight, or None if this is not one."""
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    response = Response(status=204)
    origin = allowed_origin(request, origins)
    if origin:
        response.headers.update({
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": MAX_AGE,
            "Vary": "Origin",
        })
    return response


def decorate(response: Response, request, origins: frozenset[str]) -> Response:
    origin = allowed_origin(request, origins)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Location, Idempotent-Replayed, Retry-After"
        response.headers.add("Vary", "Origin")
    return response
