"""The access policy as a table (no servers): every route has exactly one
entry, the public surface is small and named, each role reaches what its work
needs and no more, and the OpenAPI document says which routes need a token.
Then the guard itself, with a stand-in worker: it refuses before the handler
runs, masks answers per role, and logs every read of a child's file."""

import json
import re
from types import SimpleNamespace

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
    SCOPE_FIELDS,
    User,
)
from services.gateway.policy import POLICY, access_for
from services.gateway.web import tokens
from services.gateway.web.guard import guarded
from services.gateway.web.http_errors import Forbidden, Unauthenticated
from services.gateway.web.openapi import build_spec
from services.gateway.web.routes import ROUTES
from services.gateway.web.worker import json_response

ROUTE_KEYS = [(r.method, r.path) for r in ROUTES]
PUBLIC = {key for key, access in POLICY.items() if access.public}
ALWAYS_PUBLIC = {
    ("POST", "/auth/token"),
    ("POST", "/auth/session"),  # signing in from a browser
    ("DELETE", "/auth/session"),  # signing out works even once the session has expired
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
}


def under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def test_routes_are_loaded_and_each_is_declared_once():
    assert len(ROUTE_KEYS) > 50
    assert len(ROUTE_KEYS) == len(set(ROUTE_KEYS))


def test_every_route_has_a_policy_entry():
    missing = [f"{m} {p}" for m, p in ROUTE_KEYS if access_for(m, p) is None]
    assert missing == []


def test_no_policy_entry_is_stale():
    stale = [f"{m} {p}" for m, p in POLICY if (m, p) not in set(ROUTE_KEYS)]
    assert stale == []


def test_the_public_routes_are_exactly_sign_in_ops_and_public_notices():
    public_area = {key for key in ROUTE_KEYS if key[0] == "GET" and under(key[1], "/public")}
    assert public_area, "the public notices and bans are routes under /public"
    assert PUBLIC == ALWAYS_PUBLIC | public_area
    for key in PUBLIC:  # public means nobody's role matters
        assert POLICY[key].roles == {} and POLICY[key].child_read is None


def test_every_non_public_route_allows_someone_and_only_known_roles():
    for key, access in POLICY.items():
        if not access.public:
            assert access.roles, key
            assert set(access.roles) <= set(ROLES), key


def test_the_auditor_changes_nothing():
    writes = [key for key, access in POLICY.items() if key[0] != "GET" and AUDITOR in access.roles]
    assert writes == []


def test_the_auditor_reads_every_non_public_route_without_a_scope():
    refused = [
        key for key, access in POLICY.items() if key[0] == "GET" and not access.public and AUDITOR not in access.roles
    ]
    assert refused == []
    scoped = [key for key, access in POLICY.items() if access.roles.get(AUDITOR) is not None]
    assert scoped == []


@pytest.mark.parametrize("role", [FINANCE_OFFICER, REVIEWER])
def test_finance_officers_and_reviewers_never_reach_childrens_files(role):
    child_routes = [key for key in POLICY if under(key[1], "/children") or under(key[1], "/casework/children")]
    assert len(child_routes) >= 10
    assert [key for key in child_routes if role in POLICY[key].roles] == []


def test_scope_rules_belong_only_to_scoped_roles():
    assert set(SCOPE_FIELDS) == {PROVIDER_STAFF, CHILD_DIRECTOR, REVIEWER}
    wrong = [
        (key, role)
        for key, access in POLICY.items()
        for role, rule in access.roles.items()
        if rule is not None and role not in SCOPE_FIELDS
    ]
    assert wrong == []


def test_routes_that_read_a_childs_file_name_the_child():
    readers = {key for key, access in POLICY.items() if access.child_read}
    assert ("GET", "/children/{child_id}") in readers
    assert ("GET", "/casework/children/{child_id}") in readers
    for key in readers:
        assert key[0] == "GET" and re.search(r"\{(child_id|aggregate_id)\}", key[1]), key


# -- the OpenAPI document --------------------------------------------------------------------


def operations():
    spec = build_spec()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield (method.upper(), path), operation


def test_the_document_declares_the_bearer_scheme():
    scheme = build_spec()["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}


def test_the_document_lists_every_route_once():
    assert sorted(key for key, _ in operations()) == sorted(ROUTE_KEYS)


def test_non_public_operations_need_a_bearer_token_or_the_browser_session_and_say_401_and_403():
    checked = 0
    for key, operation in operations():
        if key in PUBLIC:
            continue
        assert operation["security"] == [{"bearerAuth": []}, {"browserSession": []}], key
        assert {"401", "403"} <= set(operation["responses"]), key
        assert operation["x-roles"] == sorted(POLICY[key].roles), key
        checked += 1
    assert checked == len(ROUTE_KEYS) - len(PUBLIC)


def test_public_operations_need_no_token():
    found = {key: operation for key, operation in operations() if key in PUBLIC}
    assert set(found) == PUBLIC
    for key, operation in found.items():
        assert operation["security"] == [], key
        # The browser's session routes refuse another site's page (CSRF), never a role.
        assert "403" not in operation["responses"] or key[1] == "/auth/session", key


# -- the guard, with a stand-in worker ----------------------------------------------------------

SECRET = "a test secret that is long enough for HS256 use"
ID = "640502201503040021"
FILE = {"child_id": "c-1", "id_number": ID, "mental_health": {"result": "refer"}, "village": "新北村"}


class Worker:
    """Just what the guard uses: token settings, the user store, identify()."""

    def __init__(self, *users: User):
        self.auth = SimpleNamespace(token_secret=SECRET)
        self.users = {user.id: user for user in users}
        self.reads: list[tuple] = []
        self.caller = None
        self.store = SimpleNamespace(signed_in_user=self.users.get, record_child_read=self._record)
        self.handled = 0

    def _record(self, actor, role, child_id, route, path, status, at):
        self.reads.append((actor, role, child_id, route, path, status))

    def identify(self, request):
        return "corr-1"


def user(role: str, scope=None) -> User:
    return User.register(f"{role}-1", role, role, scope or {}, "$argon2id$stand-in")


def request_for(path: str, token: str | None, method: str = "GET") -> Request:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Request(EnvironBuilder(path=path, method=method, headers=headers).get_environ())


def token_for(someone: User, version: int | None = None) -> str:
    return tokens.issue(SECRET, 600, str(someone.id), someone.username, version or someone.credentials_version)


def handler_answering(data):
    def handler(gw, request, **values):
        gw.handled += 1
        return json_response(data)

    return handler


def test_a_route_without_a_policy_is_refused_to_everyone():
    admin = user(BUREAU_ADMIN)
    worker = Worker(admin)
    run = guarded("GET", "/not-in-the-table", handler_answering({}))
    with pytest.raises(Forbidden, match="no access policy"):
        run(worker, request_for("/not-in-the-table", token_for(admin)))
    assert worker.handled == 0


def test_no_token_or_a_voided_one_is_refused_before_the_handler():
    auditor = user(AUDITOR)
    worker = Worker(auditor)
    run = guarded("GET", "/users", handler_answering({"items": []}))
    with pytest.raises(Unauthenticated):
        run(worker, request_for("/users", None))
    with pytest.raises(Unauthenticated):
        run(worker, request_for("/users", token_for(auditor, version=auditor.credentials_version + 1)))
    assert worker.handled == 0
    assert run(worker, request_for("/users", token_for(auditor))).status_code == 200 and worker.handled == 1


def test_a_role_outside_the_policy_is_refused_before_the_handler():
    auditor = user(AUDITOR)
    worker = Worker(auditor)
    run = guarded("POST", "/children", handler_answering({}))
    refused = run(worker, request_for("/children", token_for(auditor), method="POST"))
    assert refused.status_code == 403
    assert json.loads(refused.get_data())["message"] == "the auditor role may not POST /children"
    assert worker.handled == 0


@pytest.mark.parametrize(
    "role,scope,id_number,mental_health",
    [
        (BUREAU_ADMIN, None, ID, {"result": "refer"}),
        (AUDITOR, None, "640502********0021", None),
    ],
)
def test_answers_are_masked_per_role_and_child_reads_are_logged(role, scope, id_number, mental_health):
    reader = user(role, scope)
    worker = Worker(reader)
    run = guarded("GET", "/children/{child_id}", handler_answering(FILE))
    response = run(worker, request_for("/children/c-1", token_for(reader)), child_id="c-1")
    body = json.loads(response.get_data())
    assert body == {**FILE, "id_number": id_number, "mental_health": mental_health}
    assert worker.reads == [(reader.username, role, "c-1", "GET /children/{child_id}", "/children/c-1", 200)]


def test_a_refused_read_of_a_childs_file_is_logged_too():
    officer = user(FINANCE_OFFICER)
    worker = Worker(officer)
    run = guarded("GET", "/children/{child_id}", handler_answering(FILE))
    assert run(worker, request_for("/children/c-9", token_for(officer)), child_id="c-9").status_code == 403
    assert worker.handled == 0
    assert worker.reads == [
        (officer.username, FINANCE_OFFICER, "c-9", "GET /children/{child_id}", "/children/c-9", 403)
    ]


def test_public_routes_need_no_token():
    worker = Worker()
    run = guarded("GET", "/public/bans", handler_answering({"items": []}))
    assert run(worker, request_for("/public/bans", None)).status_code == 200 and worker.handled == 1


def test_a_tranches_vouchers_are_read_as_the_contracts_funding_is_and_attached_by_finance_only():
    funding = POLICY[("GET", "/contracts/{contract_id}/funding")]
    base = "/contracts/{contract_id}/tranches/{tranche_id}/attachments"
    for path in (base, base + "/{attachment_id}"):
        access = POLICY[("GET", path)]
        assert set(access.roles) == set(funding.roles) == {BUREAU_ADMIN, AUDITOR, FINANCE_OFFICER, PROVIDER_STAFF}
        assert access.roles[PROVIDER_STAFF] is not None, path  # their own contract's only
        assert access.child_read is None  # no child's file in a voucher's record
    assert set(POLICY[("POST", base)].roles) == {FINANCE_OFFICER}


def test_an_organisations_scans_are_read_as_the_organisation_is_and_attached_as_evidence_is_submitted():
    organisation = POLICY[("GET", "/organizations/{organization_id}")]
    base = "/organizations/{organization_id}/attachments"
    for path in (base, base + "/{attachment_id}"):
        assert set(POLICY[("GET", path)].roles) == set(organisation.roles), path
        assert POLICY[("GET", path)].roles[PROVIDER_STAFF] is not None, path
    submit = POLICY[("POST", "/organizations/{organization_id}/evidence-submissions")]
    assert set(POLICY[("POST", base)].roles) == set(submit.roles) == {BUREAU_ADMIN, PROVIDER_STAFF}


def test_attachments_are_read_exactly_as_the_childs_file_is_and_each_read_is_logged():
    file_read = POLICY[("GET", "/children/{child_id}")]
    for path in ("/children/{child_id}/attachments", "/children/{child_id}/attachments/{attachment_id}"):
        access = POLICY[("GET", path)]
        assert set(access.roles) == set(file_read.roles), path
        assert access.child_read is not None and access.child_read({"child_id": "c-1"}) == "c-1"
    attach = POLICY[("POST", "/children/{child_id}/attachments")]
    assert set(attach.roles) == {"bureau_admin", "child_director", "provider_staff"}
    assert all(attach.roles[role] is not None for role in ("child_director", "provider_staff"))
