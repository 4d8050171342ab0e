"""Every JSON the gateway writes is UTF-8 text as itself: answers, errors,
answers masked for a role and answers replayed for an Idempotency-Key all come
from one encoder (web/json_text.py) with `application/json; charset=utf-8`."""

import json

from werkzeug.exceptions import NotFound

from services.gateway.web.caller import Caller
from services.gateway.web.guard import masked
from services.gateway.web.http_errors import response_for
from services.gateway.web.idempotency import replay
from services.gateway.web.json_text import CONTENT_TYPE, json_response, json_text
from services.registry.exceptions import ChildNotFound
from shared.errors import InvalidInput

NAME = "李娜"
UTF8_JSON = "application/json; charset=utf-8"


def raw(response) -> bytes:
    return response.get_data()


def test_an_answer_carries_chinese_as_utf8_text_not_escapes():
    response = json_response({"name": NAME, "village": "新北村"}, 201, {"Location": "/children/c-1"})
    assert NAME.encode("utf-8") in raw(response) and b"\\u" not in raw(response)
    assert response.headers["Content-Type"] == UTF8_JSON == CONTENT_TYPE
    assert json.loads(raw(response).decode("utf-8")) == {"name": NAME, "village": "新北村"}
    assert (response.status_code, response.headers["Location"]) == (201, "/children/c-1")


def test_errors_carry_chinese_as_utf8_text_too():
    for error in (InvalidInput({"name": [f"{NAME} 已登记"]}), ChildNotFound("c-1"), NotFound()):
        response = response_for(error)
        assert response.headers["Content-Type"] == UTF8_JSON
        assert json.loads(raw(response).decode("utf-8"))["error"]
    invalid = response_for(InvalidInput({"name": [f"{NAME} 已登记"]}))
    assert f"{NAME} 已登记".encode() in raw(invalid) and b"\\u" not in raw(invalid)


def test_an_answer_masked_for_a_role_stays_utf8_text():
    answer = json_response({"name": NAME, "id_number": "640502201501010012"})
    shown = masked(answer, Caller("u-1", "cw", "auditor"))
    assert NAME.encode("utf-8") in raw(shown) and b"\\u" not in raw(shown)
    assert shown.headers["Content-Type"] == UTF8_JSON
    assert json.loads(raw(shown))["id_number"] != "640502201501010012"


def test_a_replayed_answer_says_it_is_utf8_json():
    again = replay({"body": json_text({"id": "c-1", "name": NAME}), "status": 201, "location": "/children/c-1"})
    assert again.headers["Content-Type"] == UTF8_JSON and NAME.encode() in raw(again)


def test_a_lone_surrogate_from_a_request_is_written_escaped_instead_of_failing():
    text = json_text({"name": "a\ud800b", "village": NAME})
    assert "\\ud800" in text and NAME in text
    assert json.loads(text) == {"name": "a\ud800b", "village": NAME}
    assert json_response({"name": "\udfff"}).get_data() == b'{"name": "\\udfff"}'
