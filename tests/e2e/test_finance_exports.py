"""The finance tables as .xlsx on the real services (issue 16): the journal,
the trial balance as of a date and the recoveries download for whoever reads
the JSON tables (finance officer, bureau, auditor) with the same figures in
yuan; every other role is refused, the provider whose contract it is included;
bad filters are 400 with the field named."""

import io

import pytest
from openpyxl import load_workbook

from services.gateway.workbook import XLSX
from tests.support.broker import publish
from tests.support.finance import GrantsFeed
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System, wait_until

EXPORTS = ("/ledger/journal/export.xlsx", "/ledger/trial-balance/export.xlsx", "/recoveries/export.xlsx")


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("finance-exports"))
        running.vhost = vhost
        running.start("finance", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture(scope="module")
def paid_and_terminated(system):
    """A contract whose first tranche was paid, then terminated: its paid money is owed back."""
    officer = system.login("finance_officer")
    grants = GrantsFeed()
    c = str(grants.contract_id)
    for envelope in grants.signed_up_to_contract():
        publish(system.vhost, "grants.events", envelope["type"], envelope)

    def tranche():
        found = officer.get(f"/contracts/{c}/funding")
        return found.json()["tranches"][0] if found.status_code == 200 else None

    wait_until(lambda: (tranche() or {}).get("status") == "payable", seconds=30, message="tranche 1 payable")
    t = tranche()
    paid = officer.post(
        f"/tranches/{t['tranche_id']}/payment", json={"amount_fen": t["amount_fen"], "voucher": "PV-X1"}
    )
    assert paid.status_code == 200, paid.text
    envelope = grants.terminated()
    publish(system.vhost, "grants.events", envelope["type"], envelope)
    wait_until(lambda: officer.get("/recoveries").json()["items"], seconds=30, message="recovery raised")
    return grants, officer


def rows_of(response) -> tuple[str, list[dict]]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(XLSX)
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    title, headers, *rows = list(sheet.iter_rows(values_only=True))
    return title[0], [dict(zip(headers, row, strict=True)) for row in rows]


def test_the_officer_downloads_the_journal_trial_balance_and_recoveries_in_yuan(system, paid_and_terminated):
    grants, officer = paid_and_terminated
    _, journal = rows_of(officer.get("/ledger/journal/export.xlsx"))
    paid = [r for r in journal if r["业务"] == "拨款支付"]
    assert [(r["科目"], r["借方（元）"], r["贷方（元）"]) for r in paid][:2] == [
        ("应付拨款", 100_000, 0),
        ("财政资金存款", 0, 100_000),
    ]
    assert {r["合同编号"] for r in paid} == {str(grants.contract_id)}
    # the same entries as the JSON journal, line for line
    entries = officer.get("/ledger/journal", params={"limit": 1000}).json()["items"]
    assert len(journal) == sum(len(e["lines"]) for e in entries)
    _, none_before = rows_of(officer.get("/ledger/journal/export.xlsx", params={"until": "2025-05-01"}))
    assert none_before == []

    title, balance = rows_of(officer.get("/ledger/trial-balance/export.xlsx", params={"as_of": "2030-01-01"}))
    assert title == "试算平衡表（截至 2030-01-01）"
    assert sum(r["借方（元）"] for r in balance) == sum(r["贷方（元）"] for r in balance) > 0
    receivable = [r for r in balance if r["科目"] == "应收追回款"]
    assert [(r["资金"], r["余额（元，借方为正）"]) for r in receivable] == [("财政资金", 100_000)]

    _, recoveries = rows_of(officer.get("/recoveries/export.xlsx"))
    assert [(r["合同编号"], r["金额（元）"], r["尚欠（元）"], r["状态"]) for r in recoveries] == [
        (str(grants.contract_id), 100_000, 100_000, "待追回")
    ]
    _, settled = rows_of(officer.get("/recoveries/export.xlsx", params={"status": "settled"}))
    assert settled == []


@pytest.mark.parametrize("role", ["bureau_admin", "auditor"])
def test_the_readers_download_them_too(system, paid_and_terminated, role):
    reader = system.api if role == "bureau_admin" else system.login(role)
    for path in EXPORTS:
        assert reader.get(path).status_code == 200, path


def test_every_other_role_is_refused_the_provider_whose_contract_it_is_included(system, paid_and_terminated):
    grants, _ = paid_and_terminated
    others = [
        system.login("provider_staff", organization_id=str(grants.organization_id)),
        system.login("child_director", town="滨河镇", village="新北村"),
        system.login("reviewer", panel_member_ids=[str(grants.application_id)]),
    ]
    for client in others:
        for path in EXPORTS:
            refused = client.get(path)
            assert refused.status_code == 403 and refused.json()["error"] == "FORBIDDEN", (path, refused.text)
    assert system.anonymous.get(EXPORTS[0]).status_code == 401


BAD = {
    "trial balance on no such day": ("/ledger/trial-balance/export.xlsx", {"as_of": "2025-02-30"}, "as_of"),
    "journal paged": ("/ledger/journal/export.xlsx", {"limit": "5"}, "limit"),
    "journal bad date": ("/ledger/journal/export.xlsx", {"since": "yesterday"}, "since"),
    "recoveries bad status": ("/recoveries/export.xlsx", {"status": "bogus"}, "status"),
    "unknown filter": ("/recoveries/export.xlsx", {"contract": "x"}, "contract"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_filters_are_refused_with_the_field_named(system, case):
    path, params, field = BAD[case]
    refused = system.login("finance_officer").get(path, params=params)
    assert refused.status_code == 400, refused.text
    assert field in refused.json()["fields"]
