"""The audit routes on the real services: every service seals its log as it
goes, and an auditor verifies, lists and replays through the gateway."""

from tests.support.children import new_child
from tests.support.processes import wait_until


def test_auditor_verifies_lists_and_replays_through_the_gateway(full_system):
    api = full_system.api
    created = api.post("/children", json=new_child(), timeout=10)
    child_id = created.json()["child_id"]

    def sealed(service):
        h = full_system.health()["services"][service]
        return h["sealer"]["position"] == h["store"]["head"] and h["store"]["head"] > 0

    wait_until(lambda: sealed("registry") and sealed("casework"), message="logs sealed")
    for service in ("registry", "casework", "grants"):
        verified = api.get(f"/audit/{service}/verify", timeout=60)
        assert verified.status_code == 200, verified.text
        assert verified.json()["ok"] is True
    # the child, its ID-number claim, and the command outcome stored with them
    assert api.get("/audit/registry/verify", timeout=60).json()["checked"] == 3

    events = api.get("/audit/registry/events", params={"limit": 10}, timeout=10).json()
    registered = [e for e in events["items"] if e["event"] == "Child.Registered"]
    assert registered and registered[0]["aggregate_id"] == child_id
    # The signed-in administrator (not "anonymous") is the actor stored with the event.
    assert (registered[0]["actor_id"], registered[0]["actor_role"]) == ("admin", "bureau_admin")
    assert registered[0]["correlation_id"]

    state = api.get(f"/audit/registry/aggregates/{child_id}", params={"version": 1}, timeout=10)
    assert state.status_code == 200 and state.json()["version"] == 1
    history = api.get(f"/audit/registry/aggregates/{child_id}/history", timeout=10).json()
    assert [h["event"] for h in history] == ["Child.Registered"]
    enrolled = api.get(f"/audit/casework/aggregates/{child_id}/history", timeout=10).json()
    assert enrolled[0]["causation_id"], "casework's effect names the registry event that caused it"


def test_audit_routes_refuse_bad_requests(full_system):
    api = full_system.api
    assert api.get("/audit/nosuch/verify", timeout=10).status_code == 404
    assert api.get("/audit/registry/aggregates/not-a-uuid", timeout=10).status_code == 404
    bad_time = api.get("/audit/registry/events", params={"since": "yesterday"}, timeout=10)
    assert bad_time.status_code == 400 and "since" in bad_time.json()["fields"]
    naive = api.get(
        "/audit/registry/aggregates/00000000-0000-0000-0000-000000000001",
        params={"as_of": "2025-01-01T00:00:00"},
        timeout=10,
    )
    assert naive.status_code == 400 and "as_of" in naive.json()["fields"]
