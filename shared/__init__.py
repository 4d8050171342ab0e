"""Plumbing and public contracts shared by every service. No domain rules here.

psycopg picks its wait function when it is first imported; under eventlet the
C implementation blocks the whole hub, so the pure-Python select-based one must
be chosen before anything imports psycopg. `shared.eventstore` checks it held.
"""

import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
