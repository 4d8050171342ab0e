"""Every route in the OpenAPI document × every role, against a running system
with a small programme in it: an allowed role gets through (a GET answers 200;
a POST reaches the request's own validation), any other role gets 403. A route
the document lists but the policy does not is a failure. Along the way, no
response to a role that must not see ID numbers contains one unmasked, and
none to a role that must not see mental-health details contains them."""

import json
import re
from datetime import date

import pytest

from services.gateway.domain import ROLES
from services.gateway.policy import access_for
from services.gateway.workbook import XLSX
from shared.clock import programme_today
from tests.support import rosters
from tests.support.children import new_child
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until
from tests.support.world import HOME, MENTAL_HEALTH, World, build_world, day

# The rule, stated here independently of the gateway's own constants.
SEES_ID_NUMBERS = {"bureau_admin", "child_director"}
SEES_MENTAL_HEALTH = {"bureau_admin", "child_director", "provider_staff"}
UNMASKED_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(
            amqp_uri_for(vhost),
            store,
            tmp_path_factory.mktemp("matrix"),
            ATTACHMENT_DIR=str(tmp_path_factory.mktemp("matrix-attachments")),
        )
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def a_roster_import(w: World) -> str:
    """An import of a one-row roster, for GET /children/imports/{import_id}."""
    roster = rosters.workbook([rosters.child(4700)])
    imported = w.system.api.post("/children/imports", data=roster, headers={"Content-Type": XLSX})
    assert imported.status_code == 201, imported.text
    return imported.json()["import_id"]


VOUCHER = b"%PDF-1.4\n% payment voucher\n"


def a_paid_tranche_with_a_voucher(w: World, contract_id: str) -> tuple[str, str]:
    """The contract's first tranche, paid once, with a scanned voucher attached: (tranche_id, attachment_id)."""
    officer = w.clients["finance_officer"]
    wait_until(
        lambda: officer.get(f"/contracts/{contract_id}/funding").json()["tranches"][0]["status"] in ("payable", "paid"),
        seconds=30,
        message="the first tranche payable",
    )
    tranche = officer.get(f"/contracts/{contract_id}/funding").json()["tranches"][0]
    if tranche["status"] != "paid":
        paid = officer.post(
            f"/tranches/{tranche['tranche_id']}/payment",
            json={"amount_fen": tranche["amount_fen"], "voucher": f"PV-{contract_id[:8]}"},
        )
        assert paid.status_code == 200, paid.text
    voucher = officer.post(
        f"/contracts/{contract_id}/tranches/{tranche['tranche_id']}/attachments",
        params={"kind": "payment_voucher"},
        data=VOUCHER,
        headers={"Content-Type": "application/pdf"},
    )
    assert voucher.status_code == 201, voucher.text
    return tranche["tranche_id"], voucher.json()["attachment_id"]


def path_values(w: World) -> dict:
    tranche_id, voucher_id = a_paid_tranche_with_a_voucher(w, w.ours.contract_id)
    scan = w.system.api.post(
        f"/organizations/{w.ours.organization_id}/attachments",
        params={"kind": "bank_permit"},
        data=VOUCHER,
        headers={"Content-Type": "application/pdf"},
    )
    assert scan.status_code == 201, scan.text
    photo = w.system.api.post(
        f"/children/{w.child}/attachments",
        params={"kind": "visit_photo"},
        data=b"\x89PNG\r\n\x1a\n" + bytes(64),
        headers={"Content-Type": "image/png"},
    )
    assert photo.status_code == 201, photo.text
    return {
        "import_id": a_roster_import(w),
        "child_id": w.child,
        "case_id": w.case,
        "group_id": w.group,
        "campaign_id": w.campaign,
        "contract_id": w.ours.contract_id,
        "organization_id": w.ours.organization_id,
        "call_id": w.ours.call_id,
        "application_id": w.ours.application_id,
        "notice_id": w.ours.notice_id,
        "member_id": w.ours.seats["civil_affairs"],
        "tranche_id": tranche_id,
        "service": "registry",
        "aggregate_id": w.child,
        "period": f"{day(0)[:4]}-Q{(int(day(0)[5:7]) - 1) // 3 + 1}",
        "username": "admin",
        "recovery_id": "00000000-0000-4000-8000-000000000001",
        "expenditure_id": "00000000-0000-4000-8000-000000000002",
        "objection_id": "00000000-0000-4000-8000-000000000003",
        "report_id": "00000000-0000-4000-8000-000000000004",
        "dismissal_id": "00000000-0000-4000-8000-000000000005",
        "evidence_id": "00000000-0000-4000-8000-000000000006",
        "conflict_id": "00000000-0000-4000-8000-000000000007",
        "attachment_id": photo.json()["attachment_id"],
        # {attachment_id} under another record than a child's file (see values_for)
        "/tranches/": voucher_id,
        "/organizations/": scan.json()["attachment_id"],
    }


def values_for(path: str, values: dict) -> dict:
    """The path values for this route: {attachment_id} is the one attached to its record."""
    for record in ("/tranches/", "/organizations/"):
        if record in path:
            return {**values, "attachment_id": values[record]}
    return values


def query_for(path: str, w: World) -> dict:
    """Lists a provider may only read per contract take the contract."""
    if path in (
        "/cases",
        "/groups",
        "/activities",
        "/care-services",
        "/screening-campaigns",
        "/supervisions",
        "/project-supervisions",
    ) or path in (
        "/cases/export.xlsx",
        "/care-services/export.xlsx",
        "/activities/export.xlsx",
        "/groups/export.xlsx",
    ):
        return {"contract_id": w.ours.contract_id}
    if path == "/children":  # provider staff list a named place of their area
        return dict(HOME)
    return {}


# What the scope rules read from a POST body; anything else in it is left out,
# so the request fails its own validation once it is through the guard.
SCOPE_BODY_FIELDS = ("contract_id", "organization_id", "member_id", "town", "village")


# Line-1 routes: only provider staff name a contract (the others are refused for it).
LINE_ONE = ("/children", "/children/{child_id}/visits", "/screening-campaigns")


def scope_body(w: World, role: str = "provider_staff", path: str = "") -> dict:
    body = {
        "contract_id": w.ours.contract_id,
        "organization_id": w.ours.organization_id,
        "member_id": w.ours.seats["civil_affairs"],
        "town": "滨河镇",
        "village": "新北村",
    }
    if path in LINE_ONE and role != "provider_staff":
        del body["contract_id"]
    return body


def readable(response) -> str:
    """The body with non-ASCII text as itself, not as JSON escapes."""
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.text


def operations(spec: dict):
    for path, methods in spec["paths"].items():
        for method in methods:
            yield method.upper(), path


def check_routes(world, routes, values, extra=None) -> tuple[list[str], int, set, set]:
    """Each route for each role: the problems found, how many calls were
    checked, and which roles saw ID numbers unmasked and mental-health details.
    `extra`: query parameters added to each GET (a point in the past)."""
    problems = []
    checked = 0
    seen_unmasked, seen_health = set(), set()
    for method, path in routes:
        access = access_for(method, path)
        if access is None:
            problems.append(f"{method} {path}: no access policy")
            continue
        named = values_for(path, values)
        url = re.sub(r"\{(\w+)\}", lambda m, named=named: named[m.group(1)], path)
        if access.public:
            continue
        for role in ROLES:
            client = world.clients[role]
            if method == "GET":
                response = client.get(url, params={**query_for(path, world), **(extra or {})})
            else:
                response = client.post(url, json=scope_body(world, role, path))
            checked += 1
            allowed = role in access.roles
            status = response.status_code
            if not allowed and status != 403:
                problems.append(f"{role} {method} {path}: {status}, expected 403")
            elif allowed and method == "GET" and status != 200:
                problems.append(f"{role} {method} {path}: {status} {response.text[:200]}")
            elif allowed and method == "POST" and (status in (401, 403) or status >= 500):
                problems.append(f"{role} {method} {path}: {status} {response.text[:200]}")
            text = readable(response)
            if UNMASKED_ID.search(text):
                seen_unmasked.add(role)
                if role not in SEES_ID_NUMBERS:
                    problems.append(f"{role} {method} {path}: an unmasked ID number")
            if MENTAL_HEALTH["notes"] in text:
                seen_health.add(role)
                if role not in SEES_MENTAL_HEALTH:
                    problems.append(f"{role} {method} {path}: mental-health details")
    return problems, checked, seen_unmasked, seen_health


def test_every_route_and_role(world):
    spec = world.system.anonymous.get("/openapi.json").json()
    problems, checked, seen_unmasked, seen_health = check_routes(world, operations(spec), path_values(world))
    assert checked > 400
    # The data the masking hides is really there for the roles that need it.
    assert seen_unmasked == SEES_ID_NUMBERS and seen_health == SEES_MENTAL_HEALTH, (seen_unmasked, seen_health)
    assert not problems, "\n".join(problems)


def as_it_stood(spec: dict):
    """The GET routes that rebuild a register as it stood (they take ?as_of_position=)."""
    for path, methods in spec["paths"].items():
        parameters = methods.get("get", {}).get("parameters", [])
        if any(p["name"] == "as_of_position" for p in parameters):
            yield "GET", path


def test_every_register_as_it_stood_and_role(world):
    """The same roles, scope and masking when a register is rebuilt as it stood."""
    spec = world.system.anonymous.get("/openapi.json").json()
    routes = list(as_it_stood(spec))
    assert {"/children/export.xlsx", "/cases/export.xlsx", "/recoveries/export.xlsx", "/ledger/journal"} <= {
        path for _, path in routes
    }
    problems, checked, _unmasked, _health = check_routes(
        world, routes, path_values(world), {"as_of": programme_today().isoformat()}
    )
    assert checked >= 20 * len(ROLES)
    assert not problems, "\n".join(problems)


def test_public_routes_need_no_token(world):
    anonymous = world.system.anonymous
    for path in ("/health", "/openapi.json", "/docs", "/public/notices", "/public/bans"):
        assert anonymous.get(path).status_code == 200, path
    assert anonymous.get("/children").status_code == 401


# -- scope escapes: each scoped role reaching for what is not theirs ------------------------


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.request.method, response.request.url, response.text)
    body = response.json()
    assert body["error"] == code and body["message"], body
    return body


def test_a_child_director_works_only_on_their_village(world):
    director = world.clients["child_director"]
    own = director.get(f"/children/{world.child}").json()
    assert "*" not in (own["id_number"] or "") and own["mental_health"]["notes"] == MENTAL_HEALTH["notes"]
    error_of(director.get(f"/children/{world.other_child}"), 404, "NOT_FOUND")
    error_of(director.get(f"/children/{world.other_child}/history"), 404, "NOT_FOUND")
    error_of(
        director.post(
            f"/children/{world.other_child}/visits",
            json={"visited_on": day(0), "visitor": "李主任", "findings": "越界"},
        ),
        404,
        "NOT_FOUND",
    )
    refused = error_of(director.post("/children", json={"village": "沙坡头村", "town": "迎水桥镇"}), 403, "FORBIDDEN")
    assert set(refused["fields"]) == {"town", "village"}
    error_of(director.get("/children", params={"village": "沙坡头村"}), 403, "FORBIDDEN")
    listed = [c["child_id"] for c in director.get("/children").json()["items"]]
    assert world.child in listed and world.other_child not in listed
    overdue = director.get("/children/overdue-contacts").json()["items"]
    assert all(row["village"] == "新北村" for row in overdue)


def test_provider_staff_read_only_their_own_contracts_payment_vouchers(world):
    provider = world.clients["provider_staff"]
    ours, ours_voucher = a_paid_tranche_with_a_voucher(world, world.ours.contract_id)
    theirs, theirs_voucher = a_paid_tranche_with_a_voucher(world, world.theirs.contract_id)
    own = f"/contracts/{world.ours.contract_id}/tranches/{ours}/attachments"
    assert [a["attachment_id"] for a in provider.get(own).json()["items"]] == [ours_voucher]
    assert provider.get(f"{own}/{ours_voucher}").content == VOUCHER
    other = f"/contracts/{world.theirs.contract_id}/tranches/{theirs}/attachments"
    error_of(provider.get(other), 404, "NOT_FOUND")
    error_of(provider.get(f"{other}/{theirs_voucher}"), 404, "NOT_FOUND")
    # Their tranche or voucher named under our contract is not found either.
    error_of(provider.get(f"/contracts/{world.ours.contract_id}/tranches/{theirs}/attachments"), 404, "NOT_FOUND")
    error_of(provider.get(f"{own}/{theirs_voucher}"), 404, "NOT_FOUND")
    uploaded = provider.post(own, params={"kind": "other"}, data=VOUCHER, headers={"Content-Type": "application/pdf"})
    error_of(uploaded, 403, "FORBIDDEN")  # the finance officer attaches


def test_provider_staff_work_only_under_their_organisations_contracts(world):
    provider = world.clients["provider_staff"]
    served = provider.get(f"/children/{world.child}").json()
    assert served["id_number"][6:14] == "********" and served["mental_health"] is not None
    error_of(provider.get(f"/children/{world.other_child}"), 404, "NOT_FOUND")
    error_of(provider.get(f"/casework/children/{world.other_child}"), 404, "NOT_FOUND")
    error_of(provider.get(f"/cases/{world.other_case}"), 404, "NOT_FOUND")
    error_of(provider.post(f"/cases/{world.other_case}/sessions", json={}), 404, "NOT_FOUND")
    error_of(provider.get(f"/contracts/{world.theirs.contract_id}"), 404, "NOT_FOUND")
    error_of(provider.get(f"/contracts/{world.theirs.contract_id}/funding"), 404, "NOT_FOUND")
    error_of(provider.get("/cases", params={"contract_id": world.theirs.contract_id}), 403, "FORBIDDEN")
    assert "contract_id" in error_of(provider.get("/cases"), 403, "FORBIDDEN")["fields"]
    error_of(provider.get("/screening-campaigns", params={"contract_id": world.theirs.contract_id}), 403, "FORBIDDEN")
    assert "contract_id" in error_of(provider.get("/screening-campaigns"), 403, "FORBIDDEN")["fields"]
    error_of(
        provider.post(
            "/cases",
            json={
                "child_id": world.other_child,
                "contract_id": world.theirs.contract_id,
                "worker": "社工甲",
                "opened_on": day(0),
            },
        ),
        403,
        "FORBIDDEN",
    )
    error_of(
        provider.post(
            f"/calls/{world.theirs.call_id}/applications", json={"organization_id": world.theirs.organization_id}
        ),
        403,
        "FORBIDDEN",
    )
    error_of(provider.get(f"/applications/{world.theirs.application_id}"), 404, "NOT_FOUND")
    cases = provider.get("/cases", params={"contract_id": world.ours.contract_id}).json()["items"]
    assert [c["case_id"] for c in cases] == [world.case]


def test_reviewers_see_only_assigned_applications_and_never_conflicted_ones(world):
    reviewer = world.clients["reviewer"]
    assert reviewer.get(f"/applications/{world.ours.application_id}").status_code == 200
    error_of(reviewer.get(f"/applications/{world.theirs.application_id}"), 404, "NOT_FOUND")
    conflicted = world.ours.reviewers["implementer_representative"]
    error_of(conflicted.get(f"/applications/{world.ours.application_id}"), 403, "FORBIDDEN")
    error_of(
        conflicted.post(
            f"/applications/{world.ours.application_id}/scores",
            json={"member_id": world.ours.seats["implementer_representative"], "scores": {}},
        ),
        403,
        "FORBIDDEN",
    )
    as_someone_else = error_of(
        reviewer.post(
            f"/applications/{world.ours.application_id}/scores",
            json={"member_id": world.ours.seats["finance"], "scores": {}},
        ),
        403,
        "FORBIDDEN",
    )
    assert "member_id" in as_someone_else["fields"]
    error_of(
        reviewer.post(f"/calls/{world.ours.call_id}/panel/{world.ours.seats['finance']}/declarations", json={}),
        403,
        "FORBIDDEN",
    )


def test_finance_and_auditors_see_id_numbers_masked_and_change_nothing(world):
    finance, auditor = world.clients["finance_officer"], world.clients["auditor"]
    error_of(finance.get(f"/children/{world.child}"), 403, "FORBIDDEN")
    error_of(finance.get("/audit/registry/events"), 403, "FORBIDDEN")
    full = world.system.api.get(f"/children/{world.child}").json()["id_number"]
    seen = auditor.get(f"/children/{world.child}").json()
    assert seen["id_number"] == full[:6] + "********" + full[-4:]
    assert seen["mental_health"] is None
    events = json.dumps(auditor.get("/audit/registry/events", params={"limit": 1000}).json(), ensure_ascii=False)
    assert full not in events and full[:6] + "********" + full[-4:] in events
    assert MENTAL_HEALTH["notes"] not in events
    # The log's download shows them no more than its pages do.
    download = auditor.get("/audit/registry/export.jsonl")
    assert download.status_code == 200 and full not in download.text and MENTAL_HEALTH["notes"] not in download.text
    assert full[:6] + "********" + full[-4:] in download.text
    error_of(finance.get("/audit/registry/export.jsonl"), 403, "FORBIDDEN")
    error_of(auditor.post("/children", json={}), 403, "FORBIDDEN")


# -- who viewed what, and who did what -------------------------------------------------------


def test_every_read_of_a_childs_file_is_logged_for_auditors(world):
    director, auditor = world.clients["child_director"], world.clients["auditor"]
    me = director.get("/auth/me").json()["username"]
    director.get(f"/children/{world.child}")
    director.get(f"/children/{world.child}/history")
    director.get(f"/children/{world.other_child}")  # refused, and still recorded
    log = auditor.get("/audit/access-log", params={"actor": me, "limit": 1000}).json()["items"]
    seen = [(row["child_id"], row["route"], row["status"]) for row in log]
    assert (world.child, "GET /children/{child_id}", 200) in seen
    assert (world.child, "GET /children/{child_id}/history", 200) in seen
    assert (world.other_child, "GET /children/{child_id}", 404) in seen
    assert all(row["role"] == "child_director" and row["at"] for row in log)
    about_child = auditor.get("/audit/access-log", params={"child_id": world.child, "limit": 1000}).json()["items"]
    assert {row["child_id"] for row in about_child} == {world.child}
    assert {row["actor"] for row in about_child} >= {me, "admin"}
    first = auditor.get("/audit/access-log", params={"limit": 1}).json()
    second = auditor.get("/audit/access-log", params={"limit": 1, "cursor": first["next_cursor"]}).json()
    assert first["items"][0]["position"] < second["items"][0]["position"]
    error_of(director.get("/audit/access-log"), 403, "FORBIDDEN")


def test_the_signed_in_actor_lands_in_the_stored_events(world):
    director = world.clients["child_director"]
    me = director.get("/auth/me").json()["username"]
    assert (
        director.post(
            f"/children/{world.child}/visits", json={"visited_on": day(0), "visitor": "李主任", "findings": "家中安好"}
        ).status_code
        == 201
    )
    changes = world.system.api.get(f"/children/{world.child}/history").json()["changes"]
    assert changes[0]["actor"] == {"id": "admin", "role": "bureau_admin"}
    assert changes[-1]["event"] == "visit_recorded" and changes[-1]["actor"] == {"id": me, "role": "child_director"}


# -- scoped roles doing their own work: the scope rules let the right calls through ------------


def created(response, *statuses) -> dict:
    assert response.status_code in (statuses or (200, 201)), (response.request.url, response.text)
    return response.json()


def test_provider_staff_deliver_and_report_under_their_own_contract(world):
    provider, contract = world.clients["provider_staff"], world.ours.contract_id
    created(
        provider.post(
            f"/cases/{world.case}/sessions",
            json={"held_on": day(0), "worker": "社工甲", "session_type": "home_visit", "duration_minutes": 45},
        )
    )
    created(provider.post(f"/groups/{world.group}/members", json={"child_ids": [world.child]}))
    created(
        provider.post(
            "/activities",
            json={
                "kind": "monthly_theme",
                "title": "塞上护童·防溺水",
                "held_on": day(0),
                "contract_id": contract,
                "theme": "防溺水",
                "child_ids": [world.child],
                "guardian_count": 2,
                "worker": "社工乙",
            },
        )
    )
    created(
        provider.post(
            "/care-services",
            json={
                "child_id": world.child,
                "contract_id": contract,
                "kind": "companionship",
                "given_on": day(0),
                "worker": "社工丙",
            },
        )
    )
    today = date.today()
    period = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    generated = provider.get(f"/contracts/{contract}/reports/quarterly/{period}").json()
    created(
        provider.post(
            f"/contracts/{contract}/quarterly-reports",
            json={
                "year": today.year,
                "quarter": (today.month - 1) // 3 + 1,
                "summary": "本季度实施情况",
                "figures": {"children_reached": 1},
                "generated_report": {
                    "as_of_position": generated["as_of_position"],
                    "content_hash": generated["content_hash"],
                },
            },
        )
    )
    created(
        provider.post(
            f"/organizations/{world.ours.organization_id}/evidence-submissions",
            json={"kind": "annual_inspection", "year": today.year - 1, "result": "qualified", "effective_on": day(-1)},
        )
    )
    sessions = world.system.api.get(f"/cases/{world.case}").json()
    assert sessions["sessions"], sessions


def test_a_child_director_registers_and_follows_children_of_their_village(world):
    director = world.clients["child_director"]
    child_id = created(director.post("/children", json=new_child()))["child_id"]  # new_child is in 新北村
    created(
        director.post(
            f"/children/{child_id}/corrections", json={"field": "school", "value": "新北小学", "reason": "入户核实"}
        )
    )
    created(
        director.post(
            f"/children/{child_id}/assessments", json={"level": 2, "reasons": ["监护薄弱"], "assessed_on": day(0)}
        )
    )
    seen = director.get(f"/children/{child_id}").json()
    assert seen["school"] == "新北小学" and seen["risk"]["level"] == 2


def test_idempotency_keys_belong_to_the_user_who_sent_them(world):
    admin, director = world.system.api, world.clients["child_director"]
    key = {"Idempotency-Key": "visit-form-1"}
    first = created(director.post("/children", json=new_child(), headers=key), 201)
    replayed = director.post("/children", json={}, headers=key)  # a different body under the same key
    assert replayed.status_code == 422 and replayed.json()["error"] == "IDEMPOTENCY_KEY_REUSED"
    mine = created(admin.post("/children", json=new_child(), headers=key), 201)  # the same key, another user
    assert mine["child_id"] != first["child_id"]


def test_panel_names_and_conflict_statements_are_for_the_bureau_and_auditors_only(world):
    # Issue 13, item 11: applicants (provider staff) read who sat on the panel and what they declared.
    call_path = f"/calls/{world.ours.call_id}"
    for role in ("bureau_admin", "auditor"):
        call = world.clients[role].get(call_path).json()
        assert {str(m["member_id"]) for m in call["panel"]} == set(world.ours.seats.values())
        assert any(d["statement"] == "本人为该中心理事" for d in call["declarations"])
    for role in ("provider_staff", "finance_officer"):
        answer = world.clients[role].get(call_path)
        assert answer.status_code == 200, answer.text
        assert (answer.json()["panel"], answer.json()["declarations"]) == ([], [])
        assert "本人为该中心理事" not in answer.text and "civil_affairs" not in answer.text
    reviewer_seat = world.ours.seats["civil_affairs"]
    seen_by_reviewer = world.ours.reviewers["civil_affairs"].get(call_path).json()
    assert [m["member_id"] for m in seen_by_reviewer["panel"]] == [reviewer_seat]
    assert {d["member_id"] for d in seen_by_reviewer["declarations"]} == {reviewer_seat}
