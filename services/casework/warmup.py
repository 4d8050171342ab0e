"""Keeps the quarterly-report fold caught up with casework's log in the
background, so the first report after a start does not fold the whole log
inside a request (at district scale that takes longer than an RPC deadline)."""

from __future__ import annotations

import logging

import eventlet
from nameko.extensions import DependencyProvider

from shared.nameko_deps import ServiceStore

log = logging.getLogger(__name__)
INTERVAL = 5.0


class ReportWarmer(DependencyProvider):
    def __init__(self, interval: float = INTERVAL):
        self.interval = interval
        self._stopping = False

    def start(self) -> None:
        store = next(d for d in self.container.dependencies if isinstance(d, ServiceStore))
        self.app = store.app
        self.container.spawn_managed_thread(self._run)

    def _run(self) -> None:
        while not self._stopping:
            try:
                self.app.warm_reports()
            except Exception as error:  # noqa: BLE001 - a request will fold what is missing
                if self._stopping:
                    return
                log.warning("warming the report fold failed: %s", error)
            eventlet.sleep(self.interval)

    def stop(self) -> None:
        self._stopping = True
