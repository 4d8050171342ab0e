"""The contracts list (GET /contracts): one organisation's, for the social
worker to pick the contract they work under, or every one for the bureau."""

import uuid

from tests.support.grants import active_contract


def test_contracts_are_listed_with_what_a_worker_picks_by_and_narrowed_to_an_organisation(grants, clock):
    contract = active_contract(grants, clock)
    [row] = grants.list_contracts(limit=10, after=None)
    assert row["contract_id"] == contract and row["status"] == "active"
    assert {"organization_name", "service_area", "period_start", "period_end"} <= set(row)
    assert grants.list_contracts(limit=10, after=None, organization_id=row["organization_id"]) == [row]
    assert grants.list_contracts(limit=10, after=None, organization_id=uuid.uuid4()) == []
    assert grants.list_contracts(limit=10, after=str(contract)) == []
