"""The roles a user may have, and what each scoped role is confined to."""

from __future__ import annotations

from typing import Any

from services.gateway.domain.errors import InvalidAccountDetails

BUREAU_ADMIN, FINANCE_OFFICER, REVIEWER = "bureau_admin", "finance_officer", "reviewer"
PROVIDER_STAFF, CHILD_DIRECTOR, AUDITOR = "provider_staff", "child_director", "auditor"
ROLES = (BUREAU_ADMIN, FINANCE_OFFICER, REVIEWER, PROVIDER_STAFF, CHILD_DIRECTOR, AUDITOR)

# What each scoped role is confined to; other roles carry no scope.
SCOPE_FIELDS = {
    PROVIDER_STAFF: ("organization_id",),
    CHILD_DIRECTOR: ("town", "village"),
    REVIEWER: ("panel_member_ids",),
}


def check_role_and_scope(role: str, scope: dict[str, Any]) -> None:
    if role not in ROLES:
        raise InvalidAccountDetails({"role": [f"must be one of {', '.join(ROLES)}"]})
    needed = SCOPE_FIELDS.get(role, ())
    problems = {f"scope.{name}": [f"required for {role}"] for name in needed if not scope.get(name)}
    problems.update({f"scope.{name}": [f"not used by {role}"] for name in scope if name not in needed})
    if problems:
        raise InvalidAccountDetails(problems)
