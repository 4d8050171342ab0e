"""A refused request (4xx) is one INFO line per process it reaches, with the
request's correlation id and actor, and no traceback: a fuzzing run must not
bury a real error under thousands of warnings. A real error keeps its
traceback at ERROR. Real gateway and registry processes, LOG_FORMAT=json."""

import json
import uuid

import pytest
from nameko.exceptions import RemoteError

from tests.support.children import new_child
from tests.support.processes import System, wait_until

FIELDS = {"time", "level", "service", "correlation_id", "actor", "message"}


def json_lines(system: System, name: str) -> list[dict]:
    text = (system.log_dir / f"{name}-0.log").read_text(errors="replace")
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def lines_for(system: System, name: str, request_id: str) -> list[dict]:
    return [e for e in json_lines(system, name) if e["correlation_id"] == request_id]


def test_each_refusal_is_one_info_line_and_a_real_error_keeps_its_traceback(amqp_uri, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path, LOG_FORMAT="json")
    try:
        system.start("registry", "gateway")
        child = new_child()
        assert system.api.post("/children", json=child, timeout=30).status_code == 201
        refusals = {  # request id -> (the request, its status, does it reach the registry)
            "req-shape": (lambda h: system.api.post("/children", json={"name": ""}, headers=h, timeout=30), 400, False),
            "req-missing": (lambda h: system.api.get(f"/children/{uuid.uuid4()}", headers=h, timeout=30), 404, True),
            "req-twice": (lambda h: system.api.post("/children", json=child, headers=h, timeout=30), 409, True),
            "req-anonymous": (lambda h: system.anonymous.get("/children", headers=h, timeout=30), 401, False),
        }
        for request_id, (send, status, _) in refusals.items():
            answer = send({"X-Request-Id": request_id})
            assert answer.status_code == status, (request_id, answer.text)
        with system.rpc() as rpc, pytest.raises(RemoteError):  # a fault, not a refusal
            rpc.registry.notifications("not a number")
        for request_id, (_, status, reaches_registry) in refusals.items():
            said = wait_until(
                lambda rid=request_id: lines_for(system, "gateway", rid), message=f"{request_id}'s access line"
            )
            assert len(said) == 1, said
            assert said[0]["level"] == "INFO" and f'" {status} ' in said[0]["message"], said
            assert FIELDS <= said[0].keys() and "exception" not in said[0]
            assert said[0]["service"] == "gateway"
            assert said[0]["actor"] == ("anonymous" if status == 401 else "admin")
            if reaches_registry:
                said = wait_until(
                    lambda rid=request_id: lines_for(system, "registry", rid), message=f"{request_id} in registry"
                )
                assert len(said) == 1 and said[0]["level"] == "INFO" and "exception" not in said[0], said
                assert said[0]["service"] == "registry" and said[0]["actor"] == "admin"
        wait_until(
            lambda: [e for e in json_lines(system, "registry") if e["level"] == "ERROR" and "exception" in e],
            message="the fault's ERROR line",
        )
    finally:
        system.stop_all()
    registry, gateway = json_lines(system, "registry"), json_lines(system, "gateway")
    for request_id, (_, _, reaches_registry) in refusals.items():
        assert len(lines_for(system, "gateway", request_id)) == 1
        assert len(lines_for(system, "registry", request_id)) == (1 if reaches_registry else 0)
    # The refusals wrote no traceback and no warning; the fault wrote one traceback, at ERROR.
    tracebacks = [e for e in registry + gateway if "exception" in e]
    assert [(e["level"], e["service"]) for e in tracebacks] == [("ERROR", "registry")], tracebacks
    assert "ValueError" in tracebacks[0]["exception"]
    assert not [
        e
        for e in registry + gateway
        if e["level"] == "WARNING" and e["logger"] == "nameko.containers" and "error handling worker" in e["message"]
    ]
    missing = [e for e in registry if e["correlation_id"] == "req-missing"]
    assert missing[0]["message"] == "refused registry.get_child: ChildNotFound", missing
    twice = [e for e in registry if e["correlation_id"] == "req-twice"]
    assert twice[0]["message"] == "command register_child: DuplicateIdNumber", twice
