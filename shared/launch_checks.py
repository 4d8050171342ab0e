"""What the launcher checks before it starts anything, so a second run cannot
start silently beside the first: the gateway's port is free (nameko's listener
sets SO_REUSEPORT, so a second gateway would otherwise share it), no other run
holds the SQLite data directory, and no other run is consuming this vhost's
RPC queues (unless told to join as replicas)."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterable
from pathlib import Path

from kombu.connection import Connection

from shared.locks import FileLock

RPC_QUEUE = "rpc-{}"  # nameko.rpc.RPC_QUEUE_TEMPLATE
LOCK_FILE = "launcher.lock"


def port_in_use(host: str, port: int) -> bool:
    """True when something listens on host:port. SO_REUSEADDR (not SO_REUSEPORT):
    a socket left in TIME_WAIT by a run that stopped does not count, a
    listener (with SO_REUSEPORT or not) does."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def lock_data_dir(data_dir: Path) -> FileLock | None:
    """Holds DATA_DIR for this run (released by the OS when it ends), or None
    if another run holds it."""
    lock = FileLock(data_dir / LOCK_FILE)
    return lock if lock.acquire() else None


def consumed_rpc_queues(amqp_uri: str, services: Iterable[str]) -> list[str]:
    """The services' RPC queues that have a consumer on this vhost right now
    (a passive declare: nothing is created)."""
    consumed = []
    with Connection(amqp_uri, connect_timeout=5) as conn:  # type: ignore[no-untyped-call]  # kombu leaves it unannotated
        for service in services:
            queue = RPC_QUEUE.format(service)
            channel = conn.channel()
            try:
                _, _, consumers = channel.queue_declare(queue=queue, passive=True)
            except conn.channel_errors:  # NOT_FOUND: never declared on this vhost
                continue
            finally:
                try:
                    channel.close()
                except conn.channel_errors + conn.connection_errors:  # already closed by the broker
                    pass
            if consumers:
                consumed.append(queue)
    return consumed
