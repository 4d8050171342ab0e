"""A forwarded route says once what it takes: `@route(request=..., query=...,
status=...)`. `send` reads the handled route's declaration: it checks the
body or query string at the edge with the declared schema, forwards them as
sent after the path values, and answers with the declared status. Lists are
forwarded the same way (the raw query dict, loaded again by the service)."""

import json

import pytest
from marshmallow import fields, validate
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.web.http_errors import InvalidQuery
from services.gateway.web.routes import Route
from services.gateway.web.worker import GatewayWorker
from shared.errors import InvalidInput
from shared.pagination import PageQuery
from shared.validation import StrictSchema


class NoteRequest(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1))


class NoteQuery(PageQuery):
    town = fields.String(load_default=None)


class Worker(GatewayWorker):
    """The real forwarding, with the RPC replaced by a record of the calls."""

    def __init__(self, route: Route, answer=None):
        super().__init__()
        self.route = route
        self.calls: list[tuple] = []
        self.answer = answer if answer is not None else {"id": "n-1"}

    def call(self, service, method, *args, **kwargs):
        self.calls.append((service, method, *args))
        return self.answer


def post(body) -> Request:
    return Request(EnvironBuilder(method="POST", path="/x", json=body).get_environ())


def get(query: dict) -> Request:
    return Request(EnvironBuilder(method="GET", path="/x", query_string=query).get_environ())


CREATE = Route(
    "POST", "/children/{child_id}/notes", "note", "t", request=NoteRequest, status=201, location="/notes/{id}"
)
LIST = Route("GET", "/notes", "notes", "t", query=NoteQuery)
READ = Route("GET", "/notes/{note_id}", "a note", "t")


def test_a_body_is_checked_with_the_declared_schema_then_forwarded_as_sent_after_the_path_values():
    worker = Worker(CREATE)
    response = worker.send(post({"text": "看望"}), "registry", "add_note", "c-1", location="/notes/{id}")
    assert worker.calls == [("registry", "add_note", "c-1", {"text": "看望"})]
    assert (response.status_code, response.headers["Location"]) == (201, "/notes/n-1")
    assert json.loads(response.get_data()) == {"id": "n-1"}


def test_a_body_the_declared_schema_refuses_never_reaches_the_service():
    worker = Worker(CREATE)
    with pytest.raises(InvalidInput) as refused:
        worker.send(post({"text": "", "extra": 1}), "registry", "add_note", "c-1")
    assert set(refused.value.fields) == {"text", "extra"} and worker.calls == []


def test_a_list_forwards_the_query_string_as_sent_once_the_declared_schema_accepts_it():
    worker = Worker(LIST, answer={"items": [], "next_cursor": None})
    response = worker.send(get({"limit": "5", "town": "滨河镇"}), "registry", "list_notes")
    assert worker.calls == [("registry", "list_notes", {"limit": "5", "town": "滨河镇"})]
    assert response.status_code == 200
    with pytest.raises(InvalidQuery):
        worker.send(get({"limit": "0"}), "registry", "list_notes")
    with pytest.raises(InvalidQuery):
        worker.send(get({"village": "新北村"}), "registry", "list_notes")
    assert len(worker.calls) == 1


def test_a_route_declaring_neither_forwards_only_the_path_values():
    worker = Worker(READ)
    worker.send(get({}), "registry", "get_note", "n-1")
    assert worker.calls == [("registry", "get_note", "n-1")]


def test_routes_answered_by_the_gateway_load_what_their_route_declares():
    assert Worker(CREATE).loaded_body(post({"text": "看望"})) == {"text": "看望"}
    assert Worker(LIST).loaded_query(get({"limit": "5"})) == {"limit": 5, "cursor": None, "town": None}
    with pytest.raises(TypeError, match="declares no query"):
        Worker(CREATE).loaded_query(get({}))


def test_the_reconciliation_is_read_as_of_a_date_and_a_bad_date_is_refused_at_the_field():
    import services.gateway.service  # noqa: F401 - registers every route in ROUTES
    from services.gateway.web.routes import ROUTES

    (declared,) = [r for r in ROUTES if (r.method, r.path) == ("GET", "/ledger/reconciliation")]
    worker = Worker(declared, answer={"as_of": "2025-06-30"})
    worker.send(get({"as_of": "2025-06-30"}), "finance", "reconciliation")
    assert worker.calls == [("finance", "reconciliation", {"as_of": "2025-06-30"})]
    for bad in ({"as_of": "2025-02-30"}, {"as_of": "2025-06-30", "as_of_position": "3"}, {"as_of_position": "-1"}):
        with pytest.raises(InvalidQuery) as refused:
            worker.send(get(bad), "finance", "reconciliation")
        assert set(refused.value.fields) <= {"as_of", "as_of_position"} and refused.value.fields, bad
    assert len(worker.calls) == 1
