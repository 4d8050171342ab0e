"""More register exports on the real services (issue 17): cases and care
services. Each workbook holds exactly the rows the JSON list answers the same
caller, masked the same way, for the bureau, the auditor and provider staff
(who name one of their own contracts, as for the list); roles the list refuses
are refused, another organisation's contract is refused, bad filters are 400
naming the field."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from services.gateway.workbook import XLSX, header, label
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import ALL, System, wait_until
from tests.support.world import World, build_world, day, ok, post


@pytest.fixture(scope="module")
def world(tmp_path_factory, postgres_available) -> World:
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        system = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("exports-more"))
        system.start(*ALL)
        try:
            yield build_world(system)
        finally:
            system.stop_all()


@pytest.fixture(scope="module")
def care(world):
    """Care given to each contract's child; the resource names an ID number in free text."""
    id_number = world.system.api.get(f"/children/{world.child}").json()["id_number"]
    given = []
    for client, child, contract in (
        (world.clients["provider_staff"], world.child, world.ours.contract_id),
        (world.system.api, world.other_child, world.theirs.contract_id),
    ):
        body = {
            "child_id": child,
            "contract_id": contract,
            "kind": "hardship_aid",
            "given_on": day(0),
            "value_fen": 12345,
            "resource": f"爱心企业捐赠（经办人身份证{id_number}）",
            "occasion": "春节",
            "worker": "社工甲",
        }
        given.append(ok(post(client, "/care-services", body), 201))
    return id_number


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(XLSX)
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    _title, headers, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(headers, row, strict=True)) for row in rows]


def as_text(value) -> str | None:
    return None if value is None else str(value)[:10]


def case_row(case: dict) -> dict:
    """A JSON case as its workbook row should read."""
    return {
        header("child_id"): case["child_id"],
        header("opened_on"): case["opened_on"],
        header("worker"): case["worker"],
        header("case_status"): label("status", case["status"]),
        header("sessions"): case["sessions"],
        header("flagged_for_closure"): "是" if case["flagged_for_closure"] else "否",
        header("closed_on"): case["closed_on"],
        header("closure_reason"): case["closure_reason"] and label("closure_reason", case["closure_reason"]),
        header("contract_id"): case["contract_id"],
        header("case_id"): case["case_id"],
    }


def read_case_row(row: dict) -> dict:
    return {
        **row,
        header("opened_on"): as_text(row[header("opened_on")]),
        header("closed_on"): as_text(row[header("closed_on")]),
    }


def test_cases_export_holds_what_the_list_answers_each_role(world):
    for role, params in (
        ("bureau_admin", {}),
        ("auditor", {"status": "open"}),
        ("provider_staff", {"contract_id": world.ours.contract_id}),
    ):
        client = world.clients[role]
        listed = ok(client.get("/cases", params={**params, "limit": 100}))["items"]
        exported = [read_case_row(r) for r in rows_of(client.get("/cases/export.xlsx", params=params))]
        assert sorted(exported, key=str) == sorted(map(case_row, listed), key=str), role
        assert listed, role
    (ours,) = rows_of(
        world.clients["provider_staff"].get("/cases/export.xlsx", params={"contract_id": world.ours.contract_id})
    )
    assert ours["个案编号"] == world.case and ours["个案状态"] == "进行中" and ours["社工"] == "社工甲"


def test_cases_export_refuses_other_roles_other_contracts_and_bad_filters(world):
    provider = world.clients["provider_staff"]
    refused = provider.get("/cases/export.xlsx", params={"contract_id": world.theirs.contract_id})
    assert refused.status_code == 403 and "contract_id" in refused.json()["fields"]
    unnamed = provider.get("/cases/export.xlsx")
    assert unnamed.status_code == 403 and "contract_id" in unnamed.json()["fields"]
    for role in ("finance_officer", "reviewer", "child_director"):
        assert world.clients[role].get("/cases/export.xlsx").status_code == 403, role
    assert world.system.anonymous.get("/cases/export.xlsx").status_code == 401
    for params, field in (
        ({"status": "maybe"}, "status"),
        ({"contract_id": "x"}, "contract_id"),
        ({"limit": "5"}, "limit"),
    ):
        bad = world.system.api.get("/cases/export.xlsx", params=params)
        assert bad.status_code == 400 and field in bad.json()["fields"], (params, bad.text)


def care_row(item: dict) -> dict:
    return {
        header("given_on"): item["given_on"],
        header("care_kind"): label("kind", item["kind"]),
        header("child_id"): item["child_id"],
        header("value_yuan"): None if item["value_fen"] is None else Decimal(item["value_fen"]) / 100,
        header("resource"): item["resource"],
        header("occasion"): item["occasion"],
        header("contract_id"): item["contract_id"],
        header("service_id"): item["service_id"],
    }


def read_care_row(row: dict) -> dict:
    value = row[header("value_yuan")]
    return {
        **row,
        header("given_on"): as_text(row[header("given_on")]),
        header("value_yuan"): None if value is None else Decimal(str(value)),
    }


def test_care_services_export_masks_as_the_list_does(world, care):
    id_number = care
    seen = {}
    for role, params in (
        ("bureau_admin", {}),
        ("auditor", {}),
        ("provider_staff", {"contract_id": world.ours.contract_id}),
    ):
        client = world.clients[role]
        listed = ok(client.get("/care-services", params={**params, "limit": 100}))["items"]
        exported = [read_care_row(r) for r in rows_of(client.get("/care-services/export.xlsx", params=params))]
        assert sorted(exported, key=str) == sorted(map(care_row, listed), key=str), role
        seen[role] = exported
    assert len(seen["bureau_admin"]) == len(seen["auditor"]) == 2 and len(seen["provider_staff"]) == 1
    assert all(id_number in r["外部资源"] for r in seen["bureau_admin"])
    assert all(id_number not in r["外部资源"] for r in seen["auditor"] + seen["provider_staff"])
    (ours,) = seen["provider_staff"]
    assert (
        ours["价值（元）"] == Decimal("123.45") and ours["服务类型"] == "困难帮扶" and ours["档案编号"] == world.child
    )


def test_care_services_export_refuses_as_the_list_does(world, care):
    provider = world.clients["provider_staff"]
    assert (
        provider.get("/care-services/export.xlsx", params={"contract_id": world.theirs.contract_id}).status_code == 403
    )
    for role in ("finance_officer", "reviewer", "child_director"):
        assert world.clients[role].get("/care-services/export.xlsx").status_code == 403, role
    bad = world.system.api.get("/care-services/export.xlsx", params={"kind": "cash"})
    assert bad.status_code == 400 and "kind" in bad.json()["fields"]


def quarter() -> str:
    return f"{day(0)[:4]}-Q{(int(day(0)[5:7]) - 1) // 3 + 1}"


def line_row(line: dict) -> dict:
    yes_no = {True: "是", False: "否"}
    return {
        header("service_line"): label("line", line["line"]),
        header("line_expected"): yes_no[line["expected"]],
        header("line_records"): line["records"],
        header("attendances"): line["attendances"],
        header("children_reached"): line["children_reached"],
        header("line_delivered"): yes_no[line["delivered"]],
    }


def test_deliverables_by_service_line_are_the_quarterly_reports_figures(world, care):
    path = f"/contracts/{world.ours.contract_id}/reports/quarterly/{quarter()}"
    for role in ("bureau_admin", "finance_officer", "provider_staff", "auditor"):
        client = world.clients[role]
        report = ok(client.get(path))
        params = {"as_of_position": report["as_of_position"]}
        exported = rows_of(client.get(f"{path}/export.xlsx", params=params))
        assert exported == [line_row(line) for line in report["service_lines"]], role
    life_care = {r["服务内容"]: r for r in exported}["生活关爱服务"]
    assert life_care["记录数"] == 1 and life_care["本季度已开展"] == "是"  # the care the fixture gave


def test_deliverables_export_refuses_as_the_report_does(world):
    ours = f"/contracts/{world.ours.contract_id}/reports/quarterly/{quarter()}/export.xlsx"
    theirs = f"/contracts/{world.theirs.contract_id}/reports/quarterly/{quarter()}/export.xlsx"
    assert world.clients["provider_staff"].get(theirs).status_code == 404
    for role in ("reviewer", "child_director"):
        assert world.clients[role].get(ours).status_code == 403, role
    for params, field in (({"expected_lines": "knitting"}, "expected_lines"), ({"format": "html"}, "format")):
        bad = world.system.api.get(ours, params=params)
        assert bad.status_code == 400 and field in bad.json()["fields"], (params, bad.text)
    bad_period = world.system.api.get(f"/contracts/{world.ours.contract_id}/reports/quarterly/2025-Q9/export.xlsx")
    assert bad_period.status_code in (400, 422), bad_period.text


def tranche_row(tranche: dict) -> dict:
    return {
        header("tranche_number"): tranche["number"],
        header("tranche_percent"): tranche["percent"],
        header("tranche_gate"): label("gate", tranche["gate"]),
        header("amount_yuan"): Decimal(tranche["amount_fen"]) / 100,
        header("tranche_status"): label("tranche_status", tranche["status"]),
        header("payable_on"): tranche["payable_on"],
        header("paid_on"): tranche["paid_on"],
        header("voucher"): tranche["voucher"],
        header("withheld_reason"): tranche["withheld_reason"],
        header("tranche_id"): tranche["tranche_id"],
    }


def read_tranche_row(row: dict) -> dict:
    return {
        **row,
        header("amount_yuan"): Decimal(str(row[header("amount_yuan")])),
        header("payable_on"): as_text(row[header("payable_on")]),
        header("paid_on"): as_text(row[header("paid_on")]),
    }


def test_tranches_and_payments_export_is_the_funding_answer(world):
    path = f"/contracts/{world.ours.contract_id}/funding"
    officer = world.clients["finance_officer"]
    first = ok(officer.get(path))["tranches"][0]
    ok(
        post(
            officer, f"/tranches/{first['tranche_id']}/payment", {"amount_fen": first["amount_fen"], "voucher": "PV-1"}
        )
    )
    for role in ("bureau_admin", "finance_officer", "provider_staff", "auditor"):
        client = world.clients[role]
        tranches = ok(client.get(path))["tranches"]
        exported = [read_tranche_row(r) for r in rows_of(client.get(f"{path}/export.xlsx"))]
        assert exported == [tranche_row(t) for t in tranches], role
    paid = exported[0]
    assert paid["拨付状态"] == "已支付" and paid["凭证号"] == "PV-1" and paid["拨付条件"] == "合同签订"
    assert sum(r["拨付比例（%）"] for r in exported) == 100


def test_tranches_export_refuses_as_funding_does(world):
    theirs = f"/contracts/{world.theirs.contract_id}/funding/export.xlsx"
    assert world.clients["provider_staff"].get(theirs).status_code == 404
    for role in ("reviewer", "child_director"):
        assert world.clients[role].get(theirs).status_code == 403, role
    unknown = world.system.api.get("/contracts/00000000-0000-4000-8000-00000000000a/funding/export.xlsx")
    assert unknown.status_code == 404
    bad = world.system.api.get(theirs, params={"tier": "1"})
    assert bad.status_code == 400 and "tier" in bad.json()["fields"], bad.text


@pytest.fixture(scope="module")
def activities(world, care):
    """A safety lesson under each contract; the title names an ID number in free text."""
    id_number = care
    for client, child, contract in (
        (world.clients["provider_staff"], world.child, world.ours.contract_id),
        (world.system.api, world.other_child, world.theirs.contract_id),
    ):
        body = {
            "kind": "safety_education_children",
            "title": f"道路安全课（联系人身份证{id_number}）",
            "held_on": day(0),
            "contract_id": contract,
            "topics": ["road_safety", "drowning"],
            "child_ids": [child],
            "guardian_count": 2,
            "worker": "社工乙",
        }
        ok(post(client, "/activities", body), 201)
    return id_number


def activity_row(item: dict) -> dict:
    return {
        header("held_on"): item["held_on"],
        header("activity_kind"): label("kind", item["kind"]),
        header("activity_title"): item["title"],
        header("service_line"): label("service_line", item["service_line"]),
        header("theme"): item["theme"],
        header("topics"): "、".join(label("topics", t) for t in item["topics"]) or None,
        header("town"): item["town"],
        header("village"): item["village"],
        header("activity_children"): item["children"],
        header("guardian_count"): item["guardian_count"],
        header("community_count"): item["community_count"],
        header("contract_id"): item["contract_id"],
        header("activity_id"): item["activity_id"],
    }


def test_activities_export_masks_as_the_list_does(world, activities):
    id_number = activities
    seen = {}
    for role, params in (
        ("bureau_admin", {"kind": "safety_education_children"}),
        ("auditor", {}),
        ("provider_staff", {"contract_id": world.ours.contract_id}),
    ):
        client = world.clients[role]
        listed = ok(client.get("/activities", params={**params, "limit": 100}))["items"]
        exported = rows_of(client.get("/activities/export.xlsx", params=params))
        for row in exported:
            row[header("held_on")] = as_text(row[header("held_on")])
        assert sorted(exported, key=str) == sorted(map(activity_row, listed), key=str), role
        seen[role] = exported
    assert len(seen["bureau_admin"]) == len(seen["auditor"]) == 2 and len(seen["provider_staff"]) == 1
    assert all(id_number in r["活动名称"] for r in seen["bureau_admin"])
    assert all(id_number not in r["活动名称"] for r in seen["auditor"] + seen["provider_staff"])
    (ours,) = seen["provider_staff"]
    assert ours["参与儿童人次"] == 1 and ours["参与监护人人次"] == 2 and "、" in ours["安全教育内容"]


def test_activities_export_refuses_as_the_list_does(world, activities):
    provider = world.clients["provider_staff"]
    assert provider.get("/activities/export.xlsx", params={"contract_id": world.theirs.contract_id}).status_code == 403
    for role in ("finance_officer", "reviewer", "child_director"):
        assert world.clients[role].get("/activities/export.xlsx").status_code == 403, role
    bad = world.system.api.get("/activities/export.xlsx", params={"month": "2025-13"})
    assert bad.status_code == 400 and "month" in bad.json()["fields"], bad.text


def balance_row(account: dict) -> dict:
    return {
        header("fund"): label("fund", account["fund"]),
        header("account"): label("account", account["account"]),
        header("account_kind"): label("kind", account["kind"]),
        header("normal_side"): label("normal_side", account["normal_side"]),
        header("debit_yuan"): Decimal(account["debit_fen"]) / 100,
        header("credit_yuan"): Decimal(account["credit_fen"]) / 100,
        header("balance_yuan"): Decimal(account["balance_fen"]) / 100,
    }


def read_balance_row(row: dict) -> dict:
    money = (header("debit_yuan"), header("credit_yuan"), header("balance_yuan"))
    return {k: Decimal(str(v)) if k in money else v for k, v in row.items()}


def test_trial_balance_export_is_the_trial_balance_as_of_a_date(world):
    for role, params in (
        ("finance_officer", {}),
        ("auditor", {"as_of": day(0)}),
        ("bureau_admin", {"as_of": day(-3650)}),
    ):
        client = world.clients[role]
        balance = ok(client.get("/ledger/trial-balance", params=params))
        exported = [
            read_balance_row(r) for r in rows_of(client.get("/ledger/trial-balance/export.xlsx", params=params))
        ]
        assert exported == [balance_row(a) for a in balance["accounts"]], role
    today = [read_balance_row(r) for r in rows_of(world.clients["auditor"].get("/ledger/trial-balance/export.xlsx"))]
    assert today and sum(r["借方金额（元）"] for r in today) == sum(r["贷方金额（元）"] for r in today)
    assert all("_" not in r["会计科目"] and "_" not in r["科目类别"] for r in today)  # every account reads in Chinese


def test_trial_balance_export_refuses_as_the_trial_balance_does(world):
    for role in ("provider_staff", "reviewer", "child_director"):
        assert world.clients[role].get("/ledger/trial-balance/export.xlsx").status_code == 403, role
    bad = world.clients["finance_officer"].get("/ledger/trial-balance/export.xlsx", params={"as_of": "2025-02-30"})
    assert bad.status_code == 400 and "as_of" in bad.json()["fields"], bad.text


@pytest.fixture(scope="module")
def recovery(world, care, activities):
    """Their contract, its first tranche paid, terminated for improper means: all
    fiscal money paid is owed back. (Last in the module: their contract ends.)"""
    officer, admin = world.clients["finance_officer"], world.system.api
    funding = f"/contracts/{world.theirs.contract_id}/funding"
    first = ok(officer.get(funding))["tranches"][0]
    ok(
        post(
            officer, f"/tranches/{first['tranche_id']}/payment", {"amount_fen": first["amount_fen"], "voucher": "PV-9"}
        )
    )
    sanction = {"reason": "improper_means", "details": "以不正当手段虚假参与项目申报"}
    ok(post(admin, f"/contracts/{world.theirs.contract_id}/termination", sanction))
    wait_until(
        lambda: ok(officer.get("/recoveries"))["items"] != [], seconds=60, message="finance raising the recovery"
    )
    return first["amount_fen"]


def recovery_row(item: dict) -> dict:
    def yuan(fen):
        return Decimal(fen) / 100

    return {
        header("raised_on"): item["raised_on"],
        header("organization_id"): item["organization_id"],
        header("contract_id"): item["contract_id"],
        header("recovery_reason"): label("reason", item["reason"]),
        header("recovery_basis"): label("recovery_basis", item["basis"]),
        header("recovery_amount_yuan"): yuan(item["amount_fen"]),
        header("collected_yuan"): yuan(item["collected_fen"]),
        header("written_off_yuan"): yuan(item["written_off_fen"]),
        header("outstanding_yuan"): yuan(item["outstanding_fen"]),
        header("recovery_status"): label("recovery_status", item["status"]),
        header("age_days"): item["age_days"],
        header("recovery_id"): item["recovery_id"],
    }


def read_recovery_row(row: dict) -> dict:
    money = {header(k) for k in ("recovery_amount_yuan", "collected_yuan", "written_off_yuan", "outstanding_yuan")}
    read = {k: Decimal(str(v)) if k in money else v for k, v in row.items()}
    read[header("raised_on")] = as_text(row[header("raised_on")])
    return read


def test_recoveries_export_is_the_recovery_list(world, recovery):
    for role, params in (("finance_officer", {}), ("auditor", {"status": "all"}), ("bureau_admin", {"status": "open"})):
        client = world.clients[role]
        listed = ok(client.get("/recoveries", params={**params, "limit": 100}))["items"]
        exported = [read_recovery_row(r) for r in rows_of(client.get("/recoveries/export.xlsx", params=params))]
        assert exported == [recovery_row(r) for r in listed], role
    (owed,) = exported
    assert owed["应追回金额（元）"] == Decimal(recovery) / 100 == owed["未收回金额（元）"]
    assert (
        owed["追回原因"] == "以不正当手段谋取"
        and owed["追回状态"] == "未结清"
        and owed["合同编号"] == world.theirs.contract_id
    )
    assert rows_of(world.clients["auditor"].get("/recoveries/export.xlsx", params={"status": "settled"})) == []


def test_recoveries_export_refuses_as_the_list_does(world):
    for role in ("provider_staff", "reviewer", "child_director"):
        assert world.clients[role].get("/recoveries/export.xlsx").status_code == 403, role
    bad = world.system.api.get("/recoveries/export.xlsx", params={"status": "gone"})
    assert bad.status_code == 400 and "status" in bad.json()["fields"], bad.text


def journal_rows(entries: list[dict]) -> list[dict]:
    """The journal's entries as the workbook should read them: one row per line."""
    rows = []
    for entry in entries:
        for line in entry["lines"]:
            rows.append(
                {
                    header("entry_sequence"): entry["sequence"],
                    header("entry_date"): entry["entry_date"],
                    header("entry_kind"): label("entry_kind", entry["kind"]),
                    header("memo"): entry["memo"],
                    header("fund"): label("fund", line["fund"]),
                    header("account"): label("account", line["account"]),
                    header("debit_yuan"): Decimal(line["debit_fen"]) / 100,
                    header("credit_yuan"): Decimal(line["credit_fen"]) / 100,
                    header("contract_id"): line["contract_id"],
                    header("reverses"): entry["reverses"],
                    header("reversal_reason"): entry["reason"],
                    header("entry_id"): entry["entry_id"],
                }
            )
    return rows


def read_journal_row(row: dict) -> dict:
    money = (header("debit_yuan"), header("credit_yuan"))
    read = {k: Decimal(str(v)) if k in money else v for k, v in row.items()}
    read[header("entry_date")] = as_text(row[header("entry_date")])
    return read


def test_journal_export_is_the_journal_line_by_line(world, recovery):
    for role, params in (("finance_officer", {}), ("auditor", {"since": day(-400), "until": day(0)})):
        client = world.clients[role]
        entries = ok(client.get("/ledger/journal", params={**params, "limit": 1000}))["items"]
        exported = [read_journal_row(r) for r in rows_of(client.get("/ledger/journal/export.xlsx", params=params))]
        assert exported == journal_rows(entries), role
    kinds = {r["业务类型"] for r in exported}
    assert {"拨付款支付", "确认应追回"} <= kinds and all("_" not in k for k in kinds), kinds
    assert sum(r["借方金额（元）"] for r in exported) == sum(r["贷方金额（元）"] for r in exported)


def test_journal_export_refuses_as_the_journal_does(world):
    for role in ("provider_staff", "reviewer", "child_director"):
        assert world.clients[role].get("/ledger/journal/export.xlsx").status_code == 403, role
    for params, field in (({"since": "2025-13-01"}, "since"), ({"cursor": "3"}, "cursor")):
        bad = world.system.api.get("/ledger/journal/export.xlsx", params=params)
        assert bad.status_code == 400 and field in bad.json()["fields"], (params, bad.text)


def group_row(item: dict) -> dict:
    return {
        header("group_name"): item["name"],
        header("service_line"): label("service_line", item["service_line"]),
        header("purpose"): item["purpose"],
        header("min_age"): item["min_age"],
        header("max_age"): item["max_age"],
        header("formed_on"): item["formed_on"],
        header("worker"): item["worker"],
        header("members"): item["members"],
        header("group_sessions"): item["sessions"],
        header("contract_id"): item["contract_id"],
        header("group_id"): item["group_id"],
    }


def test_groups_export_is_the_group_list_in_scope(world):
    for role, params in (
        ("bureau_admin", {}),
        ("auditor", {"service_line": "spiritual_literacy"}),
        ("provider_staff", {"contract_id": world.ours.contract_id}),
    ):
        client = world.clients[role]
        listed = ok(client.get("/groups", params={**params, "limit": 100}))["items"]
        exported = rows_of(client.get("/groups/export.xlsx", params=params))
        for row in exported:
            row[header("formed_on")] = as_text(row[header("formed_on")])
        assert sorted(exported, key=str) == sorted(map(group_row, listed), key=str), role
    (ours,) = rows_of(
        world.clients["provider_staff"].get("/groups/export.xlsx", params={"contract_id": world.ours.contract_id})
    )
    assert ours["小组编号"] == world.group and ours["小组名称"] == "成长小组" and ours["社工"] == "社工乙"


def test_groups_export_refuses_as_the_list_does(world):
    provider = world.clients["provider_staff"]
    assert provider.get("/groups/export.xlsx", params={"contract_id": world.theirs.contract_id}).status_code == 403
    assert provider.get("/groups/export.xlsx").status_code == 403
    for role in ("finance_officer", "reviewer", "child_director"):
        assert world.clients[role].get("/groups/export.xlsx").status_code == 403, role
    bad = world.system.api.get("/groups/export.xlsx", params={"service_line": "knitting"})
    assert bad.status_code == 400 and "service_line" in bad.json()["fields"], bad.text
