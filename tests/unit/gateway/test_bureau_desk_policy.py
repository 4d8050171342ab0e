"""Who may read the bureau desk's new figure, GET /tranches/awaiting-evaluation
(services/gateway/policy.py): the bureau, the auditor and the finance officer,
district-wide; a provider, a village director or a reviewer is refused before
the handler runs, and nobody without a token gets through."""

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import services.gateway.service  # noqa: F401 - registers every route in ROUTES
from services.gateway.domain import (
    AUDITOR,
    BUREAU_ADMIN,
    CHILD_DIRECTOR,
    FINANCE_OFFICER,
    PROVIDER_STAFF,
    REVIEWER,
    ROLES,
)
from services.gateway.policy import POLICY
from services.gateway.web.guard import guarded
from services.gateway.web.http_errors import Unauthenticated
from tests.unit.gateway.test_access_policy import Worker, handler_answering, token_for, user

ROUTE = ("GET", "/tranches/awaiting-evaluation")
ALLOWED = {BUREAU_ADMIN, AUDITOR, FINANCE_OFFICER}
SCOPES = {
    PROVIDER_STAFF: {"organization_id": "0b9b6a36-2a4e-4c55-9d1e-2f4a5b6c7d8e"},
    CHILD_DIRECTOR: {"town": "滨河镇", "village": "新北村"},
    REVIEWER: {"panel_member_ids": ["0b9b6a36-2a4e-4c55-9d1e-2f4a5b6c7d8f"]},
}


def ask(role: str, token: bool = True):
    someone = user(role, SCOPES.get(role))
    worker = Worker(someone)
    run = guarded(*ROUTE, handler_answering({"items": [], "next_cursor": None}))
    headers = {"Authorization": f"Bearer {token_for(someone)}"} if token else {}
    request = Request(EnvironBuilder(path=ROUTE[1], method="GET", headers=headers).get_environ())
    return run(worker, request), worker


def test_the_policy_names_the_readers_and_finance_unscoped():
    access = POLICY[ROUTE]
    assert set(access.roles) == ALLOWED
    assert all(rule is None for rule in access.roles.values())
    assert access.child_read is None and not access.public


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_the_bureau_the_auditor_and_the_finance_officer_read_it(role):
    answer, worker = ask(role)
    assert answer.status_code == 200 and worker.handled == 1


@pytest.mark.parametrize("role", sorted(set(ROLES) - ALLOWED))
def test_a_provider_a_director_or_a_reviewer_is_refused_before_the_handler(role):
    answer, worker = ask(role)
    assert answer.status_code == 403 and worker.handled == 0


def test_nobody_reads_it_without_a_token():
    with pytest.raises(Unauthenticated):
        ask(BUREAU_ADMIN, token=False)
