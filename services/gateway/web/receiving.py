"""Receiving a request within a deadline, before a worker is taken.

nameko runs each HTTP request in one of its `max_workers` workers and, left to
itself, reads the body inside the worker with no time limit: ten clients that
send headers and part of a body held every worker, and `/health` and sign-in
waited for as long as they stayed. Here each request gets one deadline
(REQUEST_RECEIVE_SECONDS) from its first byte to the end of its body: the
request line and headers are read under it by the connection (`DeadlineProtocol`),
and the whole body is read under it into memory by the WSGI app before routing
(`receive_body`), so a worker only ever meets a request that has fully arrived.
A client that misses the deadline gets 408 and its connection is closed. Waiting
idle between keep-alive requests is bounded apart (HTTP_IDLE_SECONDS) and costs
no worker either.

Chunked bodies are de-chunked here (werkzeug alone would have read them as
empty); any other Transfer-Encoding is refused with 400."""

from __future__ import annotations

import io
import time

import eventlet
from nameko.web.server import HttpOnlyProtocol

from services.gateway.web.http_errors import GatewayError, PayloadTooLarge, error_body

DEADLINE = "gateway.receive_deadline"  # environ key: monotonic time by which the body must be in
CLOSE_CONNECTION = "gateway.close_connection"  # environ key: call to close the connection after answering
READ_SIZE = 64 * 1024


class RequestTimeout(GatewayError):
    status, code = 408, "REQUEST_TIMEOUT"


class BadTransferEncoding(GatewayError):
    code = "BAD_TRANSFER_ENCODING"


def _timeout_answer(message: str) -> bytes:
    body = error_body(RequestTimeout.code, message).encode()
    return (
        b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )


class DeadlineProtocol(HttpOnlyProtocol):
    """eventlet's HTTP connection, with the request line and headers read
    under the request's deadline and idle keep-alive waits bounded. The server
    carries `receive_seconds` and `idle_seconds` (see JsonWebServer)."""

    deadline = 0.0

    def _read_request_line(self):
        if not self._next_request_started(self.server.idle_seconds):
            self.close_connection = 1
            return ""
        seconds = self.server.receive_seconds
        self.deadline = time.monotonic() + seconds
        try:
            with eventlet.Timeout(seconds):
                return super()._read_request_line()
        except eventlet.Timeout:
            self.close_connection = 1
            return ""

    def _next_request_started(self, idle_seconds: float) -> bool:
        """Wait (at most idle_seconds) for the first byte of the next request."""
        if self.rfile.closed:
            return False
        try:
            self.connection.settimeout(idle_seconds)
            return bool(self.rfile.peek(1))
        except OSError:  # the wait timed out, or the client went away
            return False
        finally:
            self.connection.settimeout(self.server.socket_timeout)

    def parse_request(self):
        try:
            with eventlet.Timeout(max(self.deadline - time.monotonic(), 0.001)):
                return super().parse_request()
        except eventlet.Timeout:
            self.close_connection = 1
            self.wfile.write(_timeout_answer("the request's headers did not arrive in time"))
            return False

    def get_environ(self):
        environ = super().get_environ()
        environ[DEADLINE] = self.deadline
        environ[CLOSE_CONNECTION] = self._close_after_answer
        return environ

    def _close_after_answer(self) -> None:
        self.close_connection = 1


def receive_body(environ: dict, max_bytes: int, seconds: float) -> None:
    """Read the whole body into memory by the request's deadline (or `seconds`
    from now if the connection set none) and put it back as a plain body of
    known length. Raises PayloadTooLarge, RequestTimeout or BadTransferEncoding;
    after any of them the rest of the body is unread, so the connection is
    closed once the refusal is sent."""
    try:
        body = _read(environ, max_bytes, environ.get(DEADLINE) or time.monotonic() + seconds)
    except GatewayError:
        close = environ.get(CLOSE_CONNECTION)
        if close:
            close()
        raise
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ["wsgi.input"] = io.BytesIO(body)
    environ["wsgi.input_terminated"] = True


def _read(environ: dict, max_bytes: int, deadline: float) -> bytes:
    encoding = environ.get("HTTP_TRANSFER_ENCODING", "").strip().lower()
    if encoding not in ("", "chunked"):
        raise BadTransferEncoding(
            f"Transfer-Encoding {encoding!r} is not supported: send Content-Length or chunked",
            {"Transfer-Encoding": ["only chunked is supported"]},
        )
    declared = environ.get("CONTENT_LENGTH") or ""
    if not encoding and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"request body is larger than {max_bytes} bytes")
    stream, chunks, size = environ["wsgi.input"], [], 0
    try:
        with eventlet.Timeout(max(deadline - time.monotonic(), 0.001)):
            while chunk := stream.read(min(READ_SIZE, max_bytes + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(f"request body is larger than {max_bytes} bytes")
    except eventlet.Timeout:
        raise RequestTimeout("the request's body did not arrive in time") from None
    except (ValueError, OSError):  # eventlet's ChunkReadError is a ValueError
        raise BadTransferEncoding("the chunked body is malformed or was cut off") from None
    return b"".join(chunks)
