"""Reply queues go with their callers: while a run serves, each caller (the
gateway's proxies, a consumer feed pulling from its upstream, a standalone
proxy) has an auto-delete reply queue named after it; once the run stops, no
rpc.reply-* queue is left in its vhost (nameko alone leaves them for 5 minutes)."""

import requests

from tests.support.infra import RABBIT_API, RABBIT_AUTH
from tests.support.processes import System, wait_until


def reply_queues(vhost: str) -> dict[str, dict]:
    queues = requests.get(f"{RABBIT_API}/queues/{vhost}", auth=RABBIT_AUTH, timeout=10)
    queues.raise_for_status()
    return {q["name"]: q for q in queues.json() if q["name"].startswith("rpc.reply-")}


def callers(queues) -> set[str]:
    return {name.split("-")[1] for name in queues}  # rpc.reply-<caller>-<uuid>


def test_no_reply_queue_outlives_the_run(rabbit_vhost, amqp_uri, pg_store, tmp_path):
    system = System(amqp_uri, pg_store, tmp_path)
    try:
        system.start("registry", "casework", "gateway")
        health = system.anonymous.get("/health", timeout=30).json()  # the gateway asks every service over RPC
        assert health["services"]["registry"]["store"]["kind"] == "postgres", health
        # casework pulls from the registry over RPC as it catches up, from its start
        live = wait_until(
            lambda: (queues := reply_queues(rabbit_vhost)) and {"gateway", "casework"} <= callers(queues) and queues,
            message="the gateway's and casework's reply queues",
        )
        assert all(q["auto_delete"] for q in live.values()), live
        assert all(q["arguments"].get("x-expires") for q in live.values()), live
    finally:
        system.stop_all()
    wait_until(lambda: not reply_queues(rabbit_vhost), message="no reply queue left after the run stopped")
