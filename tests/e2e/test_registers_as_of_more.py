"""Casework's and finance's registers as they stood, on the real services
(issue 17 item 4; the children's ledger and visits are in
test_registers_as_of.py): each export taken now names the log position it
stands at; after cases, care, payments and recoveries change, the export
regenerated at that position has the same rows, as the list routes behind
it have the same items, for the roles that read them then, masked and scoped
as then. Points ahead of the log are refused with 422, bad ones with 400,
naming the field; the roles are the lists'."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from services.gateway.workbook import XLSX
from shared.clock import programme_today
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until
from tests.support.world import World, build_world, day, ok, post


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("as-of-more"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


def quarter() -> str:
    return f"{day(0)[:4]}-Q{(int(day(0)[5:7]) - 1) // 3 + 1}"


def give_care(client, child, contract, kind="hardship_aid", value_fen=12345):
    body = {
        "child_id": child,
        "contract_id": contract,
        "kind": kind,
        "given_on": day(0),
        "value_fen": value_fen,
        "resource": "爱心企业捐赠",
        "occasion": "春节",
        "worker": "社工甲",
    }
    ok(post(client, "/care-services", body), 201)


def exports(world: World) -> dict[str, tuple[str, dict]]:
    """Each register's export: role, path and filters (a provider names its contract)."""
    ours = world.ours.contract_id
    return {
        "cases": ("bureau_admin", "/cases/export.xlsx", {}),
        "provider_cases": ("provider_staff", "/cases/export.xlsx", {"contract_id": ours}),
        "groups": ("bureau_admin", "/groups/export.xlsx", {}),
        "care": ("auditor", "/care-services/export.xlsx", {}),
        "deliverables": ("auditor", f"/contracts/{ours}/reports/quarterly/{quarter()}/export.xlsx", {}),
        "tranches": ("finance_officer", f"/contracts/{ours}/funding/export.xlsx", {}),
        "provider_tranches": ("provider_staff", f"/contracts/{ours}/funding/export.xlsx", {}),
        "recoveries": ("auditor", "/recoveries/export.xlsx", {"status": "all"}),
        "journal": ("finance_officer", "/ledger/journal/export.xlsx", {}),
        "trial_balance": ("auditor", "/ledger/trial-balance/export.xlsx", {}),
    }


def lists(world: World) -> dict[str, tuple[str, str, dict]]:
    """The list routes behind the exports."""
    ours = world.ours.contract_id
    return {
        "cases": ("provider_staff", "/cases", {"contract_id": ours, "limit": "100"}),
        "care": ("auditor", "/care-services", {"limit": "100"}),
        "funding": ("provider_staff", f"/contracts/{ours}/funding", {}),
        "recoveries": ("auditor", "/recoveries", {"status": "all"}),
        "journal": ("finance_officer", "/ledger/journal", {"limit": "1000"}),
        "trial_balance": ("auditor", "/ledger/trial-balance", {}),
        "report": ("auditor", f"/contracts/{ours}/reports/quarterly/{quarter()}", {}),
    }


def workbook(response) -> tuple[str, list[tuple]]:
    """The title and the data rows (row 1 also says when it was made)."""
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(XLSX)
    title_row, _headers, *rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return title_row[0], rows


@pytest.fixture(scope="module")
def then(world):
    """Every register read now (with the position it names); then changes to each."""
    officer, admin = world.clients["finance_officer"], world.system.api
    provider = world.clients["provider_staff"]
    give_care(provider, world.child, world.ours.contract_id)
    ours_funding, theirs_funding = (f"/contracts/{c.contract_id}/funding" for c in (world.ours, world.theirs))
    paid = []
    for path, voucher in ((ours_funding, "PV-1"), (theirs_funding, "PV-9")):
        first = ok(officer.get(path))["tranches"][0]
        ok(
            post(
                officer,
                f"/tranches/{first['tranche_id']}/payment",
                {"amount_fen": first["amount_fen"], "voucher": voucher},
            )
        )
        paid.append(first["tranche_id"])
    sanction = {"reason": "improper_means", "details": "以不正当手段虚假参与项目申报"}
    ok(post(admin, f"/contracts/{world.theirs.contract_id}/termination", sanction))
    wait_until(
        lambda: ok(officer.get("/recoveries"))["items"] != [], seconds=60, message="finance raising the recovery"
    )

    seen_exports = {}
    for name, (role, path, params) in exports(world).items():
        response = world.clients[role].get(path, params=params)
        seen_exports[name] = (response.headers["X-As-Of-Position"], workbook(response))
    seen_lists = {
        name: ok(world.clients[role].get(path, params=params)) for name, (role, path, params) in lists(world).items()
    }

    # Changes to every register.
    ok(
        post(
            provider,
            f"/cases/{world.case}/sessions",
            {"held_on": day(0), "worker": "社工甲", "session_type": "phone", "duration_minutes": 30},
        ),
        201,
    )
    give_care(provider, world.child, world.ours.contract_id, kind="festival_visit", value_fen=None)
    ok(
        post(
            provider,
            "/groups",
            {
                "name": "阅读小组",
                "purpose": "阅读",
                "contract_id": world.ours.contract_id,
                "min_age": 0,
                "max_age": 17,
                "formed_on": day(0),
                "worker": "社工乙",
                "member_ids": [],
            },
        ),
        201,
    )
    ok(post(officer, f"/tranches/{paid[0]}/payment-reversal", {"reason": "重复支付"}))
    (owed,) = ok(officer.get("/recoveries"))["items"]
    ok(post(officer, f"/recoveries/{owed['recovery_id']}/collections", {"amount_fen": 100_000, "reference": "BANK-1"}))
    return {"exports": seen_exports, "lists": seen_lists}


@pytest.mark.parametrize(
    "name",
    [
        "cases",
        "provider_cases",
        "groups",
        "care",
        "deliverables",
        "tranches",
        "provider_tranches",
        "recoveries",
        "journal",
        "trial_balance",
    ],
)
def test_each_export_regenerated_at_its_position_has_the_rows_taken_then(world, then, name):
    role, path, params = exports(world)[name]
    client = world.clients[role]
    position, (title, rows) = then["exports"][name]
    assert position in title
    past = client.get(path, params={**params, "as_of_position": position})
    assert past.headers["X-As-Of-Position"] == position
    assert workbook(past) == (title, rows)
    now = client.get(path, params=params)
    assert workbook(now)[1] != rows and int(now.headers["X-As-Of-Position"]) > int(position)


@pytest.mark.parametrize("name", ["cases", "care", "funding", "recoveries", "journal", "trial_balance", "report"])
def test_each_list_rebuilt_at_its_position_is_the_list_read_then(world, then, name):
    role, path, params = lists(world)[name]
    client = world.clients[role]
    before = then["lists"][name]
    extra = {"as_of": before["as_of"]} if name == "trial_balance" else {}  # its balance date
    at = {**params, **extra, "as_of_position": str(before["as_of_position"])}
    assert ok(client.get(path, params=at)) == before
    assert ok(client.get(path, params=params)) != before


def test_a_date_rebuilds_at_the_last_position_recorded_by_its_end(world, then):
    auditor = world.clients["auditor"]
    today = ok(auditor.get("/recoveries", params={"status": "all", "as_of": programme_today().isoformat()}))
    assert today == ok(auditor.get("/recoveries", params={"status": "all"}))
    yesterday = (programme_today() - timedelta(days=1)).isoformat()
    empty = ok(auditor.get("/care-services", params={"as_of": yesterday}))
    assert empty == {"items": [], "next_cursor": None, "as_of_position": 0}


def test_a_provider_still_sees_only_its_own_contract_as_it_stood(world, then):
    provider = world.clients["provider_staff"]
    position = then["exports"]["provider_cases"][0]
    theirs = {"contract_id": world.theirs.contract_id, "as_of_position": position}
    assert provider.get("/cases/export.xlsx", params=theirs).status_code == 403
    assert provider.get("/cases", params=theirs).status_code == 403
    funding = f"/contracts/{world.theirs.contract_id}/funding/export.xlsx"
    assert provider.get(funding, params={"as_of_position": position}).status_code == 404


@pytest.mark.parametrize(
    "name", ["cases", "groups", "care", "deliverables", "tranches", "recoveries", "journal", "trial_balance"]
)
def test_points_ahead_of_the_log_or_malformed_are_refused(world, then, name):
    _role, path, params = exports(world)[name]
    tomorrow = (programme_today() + timedelta(days=1)).isoformat()
    cases = [
        ({"as_of_position": "999999999"}, 422, "as_of_position"),
        ({"as_of": "yesterday"}, 400, "as_of"),
        ({"as_of": "2026-02-30"}, 400, "as_of"),
        ({"as_of_position": "-1"}, 400, "as_of_position"),
        ({"as_of_position": "1' OR 1=1"}, 400, "as_of_position"),
    ]
    if name != "trial_balance":  # there as_of is the balance date, and goes with a position
        cases += [
            ({"as_of": tomorrow}, 422, "as_of"),
            ({"as_of": programme_today().isoformat(), "as_of_position": "1"}, 400, "as_of_position"),
        ]
    for point, status, field in cases:
        refused = world.system.api.get(path, params={**params, **point})
        assert refused.status_code == status, (name, point, refused.text)
        assert field in refused.json()["fields"], (name, point, refused.text)


def test_the_roles_are_the_lists(world, then):
    at = {"as_of_position": then["exports"]["journal"][0]}
    for role, path in (
        ("child_director", "/cases/export.xlsx"),
        ("reviewer", "/recoveries/export.xlsx"),
        ("provider_staff", "/ledger/journal/export.xlsx"),
        ("child_director", "/ledger/trial-balance/export.xlsx"),
        ("reviewer", "/ledger/journal"),
    ):
        assert world.clients[role].get(path, params=at).status_code == 403, (role, path)
        assert world.system.anonymous.get(path, params=at).status_code == 401, path
