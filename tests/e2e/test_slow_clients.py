"""Slow clients cannot stop the gateway (issue 13, item 1). Clients that send
headers and part of a body used to hold nameko's workers (the body was read
inside the worker, with no time limit): ten of them and `/health` and sign-in
waited for as long as they stayed. Now a request is received in full, within a
deadline, before a worker is taken. Chunked bodies, once read as empty, are read.

Only the gateway runs: signing in and `/health` need no other service (health
answers, reporting the services it cannot reach)."""

import socket
import time

import pytest

from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import PASSWORD, System

RECEIVE_SECONDS = 3
SLOW_CLIENTS = 50


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("slow"),
            REQUEST_RECEIVE_SECONDS=str(RECEIVE_SECONDS),
            MAX_WORKERS="10",
        )
        running.start("gateway")
        assert running.api is not None  # the administrator exists before the slow clients arrive
        try:
            yield running
        finally:
            running.stop_all()


def connect(system) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", system.port), timeout=30)
    sock.settimeout(30)
    return sock


def send_part_of_a_sign_in(system) -> socket.socket:
    sock = connect(system)
    sock.sendall(
        b"POST /auth/token HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"username": "adm'
    )
    return sock


def answer_of(sock: socket.socket) -> bytes:
    """Everything the gateway sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def sign_in(system, **kwargs):
    return system.anonymous.post("/auth/token", timeout=10, **kwargs)


def test_fifty_slow_clients_leave_sign_in_and_health_answering_then_are_cut_off(system):
    slow = [send_part_of_a_sign_in(system) for _ in range(SLOW_CLIENTS)]
    try:
        time.sleep(0.5)  # let every slow request reach the gateway before the real ones
        health = system.anonymous.get("/health", timeout=5)
        assert health.headers["Content-Type"].startswith("application/json")
        assert health.json()["status"] in ("ok", "degraded")
        signed_in = sign_in(system, json={"username": "admin", "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        for sock in slow:
            answer = answer_of(sock)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            assert b"REQUEST_TIMEOUT" in answer
    finally:
        for sock in slow:
            sock.close()


def test_headers_trickled_in_one_line_at_a_time_are_cut_off_at_the_deadline(system):
    sock = connect(system)
    try:
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        started = time.monotonic()
        cut_off = False
        while time.monotonic() - started < RECEIVE_SECONDS * 4:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                cut_off = True
                break
            time.sleep(0.5)
        answer = b"" if cut_off else answer_of(sock)
        assert cut_off or answer.startswith(b"HTTP/1.1 408"), answer[:200]
    finally:
        sock.close()


def chunks(*parts: bytes):
    yield from parts


def test_a_chunked_sign_in_is_read_not_taken_for_empty(system):
    body = f'{{"username": "admin", "password": "{PASSWORD}"}}'.encode()
    response = sign_in(system, data=chunks(body[:10], body[10:]), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"


def raw_answer(system, request: bytes) -> bytes:
    sock = connect(system)
    try:
        sock.sendall(request)
        return answer_of(sock)
    finally:
        sock.close()


def test_a_chunked_body_over_the_limit_is_413_and_an_unknown_transfer_encoding_400(system):
    limit = 1024 * 1024  # MAX_BODY_BYTES by default
    head = b"POST /auth/token HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
    too_large = raw_answer(
        system, head + b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % (limit + 1) + b"x" * (limit + 1) + b"\r\n"
    )
    assert too_large.startswith(b"HTTP/1.1 413") and b"PAYLOAD_TOO_LARGE" in too_large, too_large[:300]
    gzip = raw_answer(system, head + b"Transfer-Encoding: gzip\r\n\r\n{}")
    assert gzip.startswith(b"HTTP/1.1 400") and b"BAD_TRANSFER_ENCODING" in gzip, gzip[:300]
