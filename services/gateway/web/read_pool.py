"""Reads do not queue behind commands (issue 19, item 3).

nameko runs every entrypoint's worker in one pool of `max_workers` (10). At 32
clients the gateway's commands (each ~1.4 s there, waiting on the registry)
took every slot, and a `GET /casework/children` waited for one. The gateway's
GET routes (and HEAD, which werkzeug answers on them) run their workers in a
pool of their own, `READ_WORKERS` (default 10): a read waits only behind reads,
a command only behind commands.

The worker is nameko's own (`ServiceContainer.spawn_worker`, nameko 2.14, here
with another pool): the same dependencies, call context, result handling and
deadlines, counted among the container's workers, so a kill still ends it. A
graceful stop waits for the reads in flight (HttpEntrypoint.stop), as nameko
waits for its own pool."""

from __future__ import annotations

from eventlet.greenpool import GreenPool
from nameko.containers import WorkerContext
from nameko.exceptions import ContainerBeingKilled

READ_METHODS = frozenset({"GET", "HEAD"})


def is_read(method: str) -> bool:
    """Whether a route's method (nameko's "GET" or "GET,HEAD") only reads."""
    return all(part.strip().upper() in READ_METHODS for part in method.split(","))


def spawn_worker_in(pool: GreenPool, container, entrypoint, args, kwargs, context_data=None, handle_result=None):
    """`container.spawn_worker`, with the worker taken from `pool`."""
    if container._being_killed:
        raise ContainerBeingKilled()
    service = container.service_cls()
    worker_ctx = WorkerContext(container, service, entrypoint, args, kwargs, data=context_data)
    thread = pool.spawn(container._run_worker, worker_ctx, handle_result)
    thread.link(container._handle_worker_thread_exited, worker_ctx)
    container._worker_threads[worker_ctx] = thread
    return worker_ctx
