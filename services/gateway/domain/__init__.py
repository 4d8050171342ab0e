"""What the gateway itself remembers: accounts and their roles, sign-in
attempts, reads of children's files, retried POSTs, and offline submissions
refused on arrival. Standard library,
eventsourcing.domain and shared.errors only."""

from services.gateway.domain.access_log import ChildFileRead
from services.gateway.domain.accounts import User
from services.gateway.domain.errors import InvalidAccountDetails
from services.gateway.domain.idempotency import (
    ABANDONED,
    COMPLETED,
    STARTED,
    UNCERTAIN,
    IdempotentRequest,
)
from services.gateway.domain.offline_conflicts import AlreadyResolved, OfflineConflict
from services.gateway.domain.roles import (
    AUDITOR,
    BUREAU_ADMIN,
    CHILD_DIRECTOR,
    FINANCE_OFFICER,
    PROVIDER_STAFF,
    REVIEWER,
    ROLES,
    SCOPE_FIELDS,
    check_role_and_scope,
)
from services.gateway.domain.sign_in import LoginAttempts

__all__ = [
    "ABANDONED",
    "AlreadyResolved",
    "AUDITOR",
    "BUREAU_ADMIN",
    "CHILD_DIRECTOR",
    "COMPLETED",
    "FINANCE_OFFICER",
    "PROVIDER_STAFF",
    "REVIEWER",
    "ROLES",
    "SCOPE_FIELDS",
    "STARTED",
    "UNCERTAIN",
    "ChildFileRead",
    "IdempotentRequest",
    "InvalidAccountDetails",
    "LoginAttempts",
    "OfflineConflict",
    "User",
    "check_role_and_scope",
]
