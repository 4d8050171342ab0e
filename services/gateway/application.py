"""The gateway's own application: accounts and sign-in, the record of who read
which child's file, replaying retried POSTs (Idempotency-Key), and offline submissions the
server refused on arrival."""

from __future__ import annotations

from eventsourcing.utils import register_topic

from services.gateway.domain import ChildFileRead, IdempotentRequest, LoginAttempts, User
from services.gateway.use_cases.access_log import AccessLogUseCases
from services.gateway.use_cases.accounts import AccountUseCases
from services.gateway.use_cases.base import MOVED_FROM
from services.gateway.use_cases.idempotency import IdempotencyUseCases
from services.gateway.use_cases.offline_conflicts import OfflineConflictUseCases
from services.gateway.use_cases.sign_in import SignInUseCases

# Records (and snapshots) stored before domain/ became a package name these
# aggregates under the old module; each old aggregate topic covers its events.
for _moved in (User, LoginAttempts, ChildFileRead, IdempotentRequest):
    register_topic(f"{MOVED_FROM}:{_moved.__qualname__}", _moved)


class GatewayApplication(
    AccountUseCases, SignInUseCases, AccessLogUseCases, IdempotencyUseCases, OfflineConflictUseCases
):
    name = "gateway"  # eventsourcing names each Application class after itself unless it says otherwise
    # Every sign-in adds events to its name's LoginAttempts (and a busy account
    # lives for years): snapshots keep reading one cheap whatever its history.
    snapshotting_intervals = {LoginAttempts: 50, User: 50}
