"""LOG_FORMAT=json on the real processes: a request's X-Request-Id reaches the
registry's log line for the command it caused, with the actor; every line of
every process is one JSON object."""

import json
import uuid

from tests.support.children import new_child
from tests.support.processes import System, wait_until


def json_lines(system: System, name: str) -> list[dict]:
    text = (system.log_dir / f"{name}-0.log").read_text(errors="replace")
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_request_s_correlation_id_is_in_the_services_log_lines(amqp_uri, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path, LOG_FORMAT="json")
    try:
        system.start("registry", "gateway")
        request_id = f"req-{uuid.uuid4().hex}"
        created = system.api.post("/children", json=new_child(), headers={"X-Request-Id": request_id}, timeout=30)
        assert created.status_code == 201, created.text
        mine = wait_until(
            lambda: [e for e in json_lines(system, "registry") if e["correlation_id"] == request_id],
            message="the registry's line for the request",
        )
        assert [e["message"] for e in mine] == ["command register_child: done"]
        assert mine[0]["service"] == "registry" and mine[0]["level"] == "INFO"
        assert mine[0]["actor"] not in (None, "", "system")  # the signed-in administrator
        refused = system.api.post("/children", json={"name": ""}, headers={"X-Request-Id": "req-bad"}, timeout=30)
        assert 400 <= refused.status_code < 500
    finally:
        system.stop_all()
    for name in ("registry", "gateway"):
        text = (system.log_dir / f"{name}-0.log").read_text(errors="replace")
        lines = [line for line in text.splitlines() if line.strip()]
        starts = [line for line in lines if line.startswith("{")]
        assert starts, name
        # After logging is configured every line is JSON (what precedes it: interpreter warnings).
        first = lines.index(starts[0])
        assert all(line.startswith("{") for line in lines[first:]), (name, lines[first:][:5])
        assert all(json.loads(line)["service"] in (name, None) for line in lines[first:])
