"""What the audit routes answer, through the real route guard: password hashes
are hidden from every role (bureau administrators included: their role masks
nothing else), and a page of a log holding children's files writes each child
to the access log."""

import json
import uuid

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.api.audit import AuditRoutes
from services.gateway.application import GatewayApplication
from services.gateway.domain import AUDITOR, BUREAU_ADMIN
from services.gateway.web import tokens
from services.gateway.web.worker import GatewayWorker
from shared.config import AuthSettings

SECRET = "s" * 48
PASSWORD = "correct horse battery 一二"
AUTH = AuthSettings(False, SECRET, 600, 5, 30, 900, 10, 6.0)


class Registry:
    """The registry's audit RPC, answering one page of its log."""

    def __init__(self, page):
        self.page = page

    def audit_events(self, *args):
        return self.page


class Worker(AuditRoutes, GatewayWorker):
    def __init__(self, store, registry=None):
        super().__init__()
        self.store = store
        self.auth = AUTH
        self.act_as = lambda meta: None
        self.issue_command = lambda command_id: None
        self.registry = registry


@pytest.fixture
def gateway():
    app = GatewayApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield app
    app.close()


def signed_in(app, username, role) -> str:
    user = app.register_user(username, username, role, {}, PASSWORD)
    return tokens.issue(SECRET, 600, str(user.id), username, user.credentials_version)


def get(path, token, query=None) -> Request:
    builder = EnvironBuilder(method="GET", path=path, query_string=query, headers={"Authorization": f"Bearer {token}"})
    return Request(builder.get_environ())


@pytest.mark.parametrize("role", [BUREAU_ADMIN, AUDITOR])
def test_no_audit_answer_shows_a_password_hash(gateway, role):
    token = signed_in(gateway, "reader", role)
    user_id = str(gateway.user_named("reader").id)
    worker = Worker(gateway)
    answers = [
        worker.audit_events(get("/audit/gateway/events", token), service="gateway"),
        worker.audit_aggregate(
            get(f"/audit/gateway/aggregates/{user_id}", token), service="gateway", aggregate_id=user_id
        ),
        worker.audit_history(
            get(f"/audit/gateway/aggregates/{user_id}/history", token), service="gateway", aggregate_id=user_id
        ),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.get_data(as_text=True)
        body = answer.get_data(as_text=True)
        assert "$argon2" not in body
    state = json.loads(answers[1].get_data())["state"]
    assert "password_hash" in state and state["password_hash"] is None


def test_a_page_of_the_registry_log_writes_each_child_in_it_to_the_access_log(gateway):
    token = signed_in(gateway, "auditor", AUDITOR)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    event = {
        "version": 1,
        "at": "2025-06-01T00:00:00+00:00",
        "actor_id": "a",
        "actor_role": "r",
        "correlation_id": None,
        "causation_id": None,
    }
    page = {
        "items": [
            {**event, "position": 1, "aggregate_id": first, "event": "Child.Registered", "data": {"name": "李小花"}},
            {
                **event,
                "position": 2,
                "aggregate_id": str(uuid.uuid4()),
                "event": "IdNumberClaim.Claimed",
                "data": {"child_id": second, "id_number": "640502201503040021"},
            },
            {**event, "position": 3, "aggregate_id": first, "event": "Child.Corrected", "data": {"field": "name"}},
            {
                **event,
                "position": 4,
                "aggregate_id": str(uuid.uuid4()),
                "event": "ScreeningCampaign.Opened",
                "data": {},
            },
        ],
        "next_after": None,
    }
    worker = Worker(gateway, Registry(page))
    answer = worker.audit_events(get("/audit/registry/events", token, {"after": "0"}), service="registry")
    assert answer.status_code == 200
    rows, _ = gateway.access_log(0, 100)
    assert [(row["child_id"], row["actor"], row["route"]) for row in rows] == [
        (first, "auditor", "GET /audit/{service}/events"),
        (second, "auditor", "GET /audit/{service}/events"),
    ]
