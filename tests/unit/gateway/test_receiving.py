"""The whole body is read, within the request's deadline, before routing (so
before a worker is taken): chunked bodies de-chunked, too-large or too-slow
ones refused and their connection closed, unknown transfer codings refused."""

import io
import time

import eventlet
import pytest
from eventlet.wsgi import Input

from services.gateway.web.http_errors import PayloadTooLarge
from services.gateway.web.receiving import (
    CLOSE_CONNECTION,
    DEADLINE,
    BadTransferEncoding,
    RequestTimeout,
    receive_body,
)

LIMIT = 1000


class Closed:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1


def environ(raw: bytes, length: str | None = None, chunked=False, **headers) -> dict:
    env = {
        "wsgi.input": Input(io.BufferedReader(io.BytesIO(raw)), length, None, chunked_input=chunked),
        CLOSE_CONNECTION: Closed(),
        DEADLINE: time.monotonic() + 5,
        **headers,
    }
    if length is not None:
        env["CONTENT_LENGTH"] = length
    if chunked:
        env["HTTP_TRANSFER_ENCODING"] = "chunked"
    return env


def test_a_chunked_body_is_read_and_handed_on_as_a_plain_body():
    env = environ(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", chunked=True)
    receive_body(env, LIMIT, 5)
    assert env["wsgi.input"].read() == b"hello world"
    assert env["CONTENT_LENGTH"] == "11" and "HTTP_TRANSFER_ENCODING" not in env
    assert env[CLOSE_CONNECTION].calls == 0


def test_a_body_of_known_length_is_read_whole():
    env = environ(b'{"a": 1}', length="8")
    receive_body(env, LIMIT, 5)
    assert env["wsgi.input"].read() == b'{"a": 1}'


def test_too_large_by_its_length_is_refused_unread_and_the_connection_closed():
    env = environ(b"x" * 10, length=str(LIMIT + 1))
    with pytest.raises(PayloadTooLarge):
        receive_body(env, LIMIT, 5)
    assert env["wsgi.input"].position == 0 and env[CLOSE_CONNECTION].calls == 1


def test_too_large_once_de_chunked_is_refused():
    env = environ(b"%x\r\n" % (LIMIT + 1) + b"x" * (LIMIT + 1) + b"\r\n0\r\n\r\n", chunked=True)
    with pytest.raises(PayloadTooLarge):
        receive_body(env, LIMIT, 5)
    assert env[CLOSE_CONNECTION].calls == 1


@pytest.mark.parametrize("coding", ["gzip", "gzip, chunked", "identity"])
def test_a_transfer_coding_other_than_chunked_is_refused_not_read_as_empty(coding):
    env = environ(b"{}", HTTP_TRANSFER_ENCODING=coding)
    with pytest.raises(BadTransferEncoding):
        receive_body(env, LIMIT, 5)
    assert env[CLOSE_CONNECTION].calls == 1


def test_a_malformed_chunk_is_refused():
    with pytest.raises(BadTransferEncoding):
        receive_body(environ(b"zz\r\nhello\r\n", chunked=True), LIMIT, 5)


class Trickle:
    """A client that sends one byte and then nothing."""

    def __init__(self):
        self.sent = False

    def read(self, size=-1):
        if not self.sent:
            self.sent = True
            return b"{"
        eventlet.sleep(10)
        return b""


def test_a_body_that_misses_the_deadline_is_408_and_the_connection_closed():
    env = {
        "wsgi.input": Trickle(),
        "CONTENT_LENGTH": "100",
        CLOSE_CONNECTION: Closed(),
        DEADLINE: time.monotonic() + 0.2,
    }
    with pytest.raises(RequestTimeout):
        receive_body(env, LIMIT, 5)
    assert env[CLOSE_CONNECTION].calls == 1
