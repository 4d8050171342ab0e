"""casework as `nameko run` runs it, except that the process SIGKILLs itself
halfway through the first run of registry events it takes in: after the
effects of DIE_AFTER_STAGED events are staged, before the run's transaction.
Started by tests/faults/test_consumer_runs.py in place of services.casework.service."""

import os
import signal

from services.casework.service import CaseworkService  # noqa: F401 - the service `nameko run` finds here
from shared.consumer import Consumer

DIE_AFTER = int(os.environ["DIE_AFTER_STAGED"])
_stage = Consumer._stage
_staged = [0]


def stage_then_die(self, message, run):
    staged = _stage(self, message, run)
    if staged and self.upstream == "registry":
        _staged[0] += 1
        if _staged[0] >= DIE_AFTER:
            os.kill(os.getpid(), signal.SIGKILL)
    return staged


Consumer._stage = stage_then_die
