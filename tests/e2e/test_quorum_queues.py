"""RABBITMQ_QUORUM_QUEUES=true: the services' RPC and event queues are quorum
queues on the real broker, and a registration still reaches casework through
them; reply queues stay classic auto-delete queues."""

import requests

from tests.support.children import new_child
from tests.support.infra import RABBIT_API, RABBIT_AUTH
from tests.support.processes import System, wait_until


def queues(vhost: str) -> dict[str, dict]:
    answer = requests.get(f"{RABBIT_API}/queues/{vhost}", auth=RABBIT_AUTH, timeout=10)
    answer.raise_for_status()
    return {q["name"]: q for q in answer.json()}


def test_quorum_queues_carry_commands_and_events(rabbit_vhost, amqp_uri, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path, RABBITMQ_QUORUM_QUEUES="true")
    try:
        system.start("registry", "casework", "gateway")
        created = system.api.post("/children", json=new_child(), timeout=30)
        assert created.status_code == 201, created.text
        child_id = created.json()["child_id"]
        wait_until(
            lambda: system.api.get(f"/casework/children/{child_id}", timeout=10).status_code == 200,
            message="the child reaches casework",
        )
        declared = queues(rabbit_vhost)
        for name in ("rpc-registry", "rpc-casework"):
            assert declared[name]["type"] == "quorum", declared[name]
        event_queues = [q for name, q in declared.items() if name.startswith("evt-registry-")]
        assert event_queues and all(q["type"] == "quorum" for q in event_queues), event_queues
        replies = [q for name, q in declared.items() if name.startswith("rpc.reply-")]
        assert replies and all(q["type"] == "classic" and q["auto_delete"] for q in replies), replies
    finally:
        system.stop_all()
