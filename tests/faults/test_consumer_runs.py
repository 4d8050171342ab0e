"""A consumer applies a run of events in one transaction: killed halfway through
one, it has recorded none of it, and after a restart every effect is there once."""

import subprocess
import sys
from pathlib import Path

from shared.eventstore import open_existing
from shared.launcher import ROOT
from tests.faults.test_delivery import casework_events, roster_reaches
from tests.support.children import register_many

CHILDREN = 60


def start_casework_that_dies_mid_run(system, after: int) -> subprocess.Popen:
    nameko = Path(sys.executable).with_name("nameko")
    command = [str(nameko), "run", "--config", str(ROOT / "config.yml"), "tests.faults.casework_dies_mid_run"]
    log = open(system.log_dir / "casework-dying.log", "ab")
    proc = subprocess.Popen(
        command, cwd=ROOT, env={**system.env, "DIE_AFTER_STAGED": str(after)}, stdout=log, stderr=subprocess.STDOUT
    )
    system.procs.setdefault("casework", []).append(proc)
    return proc


def test_a_consumer_killed_mid_run_records_none_of_it_and_after_restart_every_effect_once(make_system):
    system = make_system()
    system.start("registry", "gateway")  # casework has not run yet: it will take these in as one pulled run
    created = register_many(system.api, CHILDREN)
    dying = start_casework_that_dies_mid_run(system, after=CHILDREN // 2)
    assert dying.wait(timeout=120) == -9, (system.log_dir / "casework-dying.log").read_text()[-3000:]
    casework = open_existing("casework", system.store)
    try:
        assert casework.head_position() == 0  # half a run staged, nothing of it recorded
        assert casework.tracked_position("registry") == 0
    finally:
        casework.close()
    system.start("casework")
    roster = roster_reaches(system, CHILDREN, seconds=120)
    assert sorted(roster) == sorted(created)
    assert casework_events(system) == CHILDREN  # one enrolment per child, none repeated
