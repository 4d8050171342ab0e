"""CORS answers only the configured origins."""

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from services.gateway.web import cors

ORIGINS = frozenset({"https://bureau.example.cn"})


def request(method="GET", **headers):
    return Request(EnvironBuilder(method=method, path="/children", headers=headers).get_environ())


def test_preflight_from_a_configured_origin_is_allowed():
    answer = cors.preflight(
        request("OPTIONS", Origin="https://bureau.example.cn", **{"Access-Control-Request-Method": "POST"}), ORIGINS
    )
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == "https://bureau.example.cn"
    assert "Idempotency-Key" in answer.headers["Access-Control-Allow-Headers"]
    assert "X-Offline-Capture" in answer.headers["Access-Control-Allow-Headers"]  # an offline resend


def test_other_origins_get_no_cors_headers():
    answer = cors.preflight(
        request("OPTIONS", Origin="https://evil.example", **{"Access-Control-Request-Method": "POST"}), ORIGINS
    )
    assert answer.status_code == 204 and "Access-Control-Allow-Origin" not in answer.headers
    plain = cors.decorate(Response("{}"), request(Origin="https://evil.example"), ORIGINS)
    assert "Access-Control-Allow-Origin" not in plain.headers


def test_responses_to_a_configured_origin_carry_the_header_and_non_preflights_pass_through():
    answer = cors.decorate(Response("{}"), request(Origin="https://bureau.example.cn"), ORIGINS)
    assert answer.headers["Access-Control-Allow-Origin"] == "https://bureau.example.cn"
    assert cors.preflight(request("OPTIONS", Origin="https://bureau.example.cn"), ORIGINS) is None
    assert cors.preflight(request("GET"), ORIGINS) is None
