"""Reading bodies and query strings at the edge: bad input is a 400, never a
crash (JSON nested 100,000 deep used to raise RecursionError, a 500)."""

import json

import pytest
from marshmallow import ValidationError
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.schemas import UserQuery
from services.gateway.web.http_errors import MalformedJson
from services.gateway.web.inputs import MAX_JSON_DEPTH, depth, json_body


def post(raw: str) -> Request:
    return Request(
        EnvironBuilder(method="POST", path="/x", data=raw.encode(), content_type="application/json").get_environ()
    )


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("raw", [nested(100_000), '{"a":' * 100_000 + "1" + "}" * 100_000, nested(MAX_JSON_DEPTH + 1)])
def test_json_nested_too_deep_is_refused_as_malformed(raw):
    with pytest.raises(MalformedJson, match="nests deeper"):
        json_body(post(raw), 10_000_000)


def test_json_as_deep_as_allowed_is_read():
    raw = json.dumps({"a": json.loads(nested(MAX_JSON_DEPTH - 1))})
    assert depth(json_body(post(raw), 10_000)) == MAX_JSON_DEPTH


@pytest.mark.parametrize("cursor", ["²", "١٢", "-1", "1.5", "abc", "9" * 19])
def test_a_users_cursor_must_be_ascii_digits(cursor):
    with pytest.raises(ValidationError) as refused:
        UserQuery().load({"cursor": cursor})
    assert "cursor" in refused.value.messages


def test_a_users_cursor_of_digits_is_read():
    assert UserQuery().load({"cursor": "42", "limit": "5"}) == {"cursor": "42", "limit": 5}
