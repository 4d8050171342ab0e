"""Reads do not queue behind commands in the gateway (issue 19, item 3).

nameko gave every request one of the gateway's `max_workers` slots; commands
waiting on a busy registry took them all and a read waited for one (at 32
clients, `GET /casework/children` took ~1 s). GET routes now have a pool of
their own (services/gateway/web/read_pool.py).

Here the registry is paused (SIGSTOP): every command slot holds a
`POST /children` whose call waits in the registry's queue, with more commands
queued behind them. A read of casework's list still answers 200 while not one
of those commands has answered; once the registry resumes, every command is
created."""

import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.children import new_child
from tests.support.infra import RABBIT_API, RABBIT_AUTH, amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System, wait_until

COMMAND_SLOTS = 3
COMMANDS = COMMAND_SLOTS + 2  # every slot taken, and two more waiting for one


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("reads"),
            MAX_WORKERS=str(COMMAND_SLOTS),
            # The commands wait on the paused registry for as long as the test holds it.
            RPC_TIMEOUT="120",
            # No periodic pulls from the registry while it is paused: its queue holds the commands only.
            CONSUMER_CATCHUP_INTERVAL="3600",
        )
        running.vhost = vhost
        running.start("registry", "casework", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


def waiting_in_registry_queue(system) -> int:
    queue = requests.get(f"{RABBIT_API}/queues/{system.vhost}/rpc-registry", auth=RABBIT_AUTH, timeout=10)
    queue.raise_for_status()
    return queue.json().get("messages", 0)


def test_a_read_answers_while_every_command_slot_waits_on_a_paused_registry(system):
    api = system.api
    assert api.get("/casework/children").status_code == 200
    registry = system.procs["registry"][-1]
    os.kill(registry.pid, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(COMMANDS) as clients:
            commands = [clients.submit(api.post, "/children", json=new_child(), timeout=180) for _ in range(COMMANDS)]
            # Every command slot is taken: as many calls wait in the paused registry's queue.
            wait_until(
                lambda: waiting_in_registry_queue(system) >= COMMAND_SLOTS,
                seconds=60,
                message="the commands' calls to wait in the registry's queue",
            )

            read = api.get("/casework/children", timeout=60)
            assert read.status_code == 200, read.text
            assert "items" in read.json()
            assert not any(command.done() for command in commands), "a command answered while the registry was paused"

            os.kill(registry.pid, signal.SIGCONT)
            answers = [command.result() for command in commands]
        assert [answer.status_code for answer in answers] == [201] * COMMANDS, [a.text for a in answers]
    finally:
        os.kill(registry.pid, signal.SIGCONT)
