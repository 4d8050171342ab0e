"""What the registry publishes: every public event fits its contract, and no ID
number, family detail or mental-health data ever leaves the registry."""

import json
from datetime import date

from shared import envelope
from shared.relay import envelopes_after

TODAY = date(2025, 6, 1)
ID_NUMBER = "640502201503040021"
CHILD = dict(
    name="李小花",
    gender="female",
    date_of_birth=date(2015, 3, 4),
    id_number=ID_NUMBER,
    town="滨河镇",
    village="新北村",
    categories=["left_behind"],
    household={
        "father": {"status": "migrant", "whereabouts": "银川市"},
        "mother": {"status": "migrant", "whereabouts": "石嘴山市"},
        "economic_status": "tekun",
    },
    mental_health={"screened_on": date(2025, 5, 1), "result": "referral", "notes": "自伤念头"},
)


def test_every_registry_contract_is_published_and_valid_without_sensitive_data(registry):
    child_id = registry.register_child(**CHILD)
    registry.correct_child(child_id, field="village", value="黄湾村", reason="moved")
    registry.correct_child(
        child_id, field="mental_health", value={**CHILD["mental_health"], "result": "attention"}, reason="re-screened"
    )
    registry.record_visit(child_id, visited_on=TODAY, visitor="马主任", findings="ok")
    registry.assess_risk(child_id, level=2, reasons=["x"])
    other = registry.register_child(**{**CHILD, "id_number": None, "name": "李晓花"})
    registry.merge_files(survivor_id=child_id, merged_id=other, reason="dup")
    third = registry.register_child(**{**CHILD, "id_number": None, "name": "王五", "gender": "male"})
    registry.transfer_out(third, destination="兰州市", reason="moved")
    registry.clock = lambda: date(2033, 3, 4)
    registry.run_daily()

    messages, _ = envelopes_after(registry, registry.public_events, 0, 1000, previous=0)
    for message in messages:
        envelope.load(message)  # the contract holds
    types = [m["type"] for m in messages]
    # v1 of child_registered and visit_recorded stay consumable (old messages), v2 is published.
    assert set(types) == {
        "registry.child_registered.v2",
        "registry.child_details_corrected.v1",
        "registry.visit_recorded.v2",
        "registry.risk_level_assessed.v1",
        "registry.files_merged.v1",
        "registry.child_transferred_out.v1",
        "registry.left_behind_status_ended.v1",
        "registry.child_aged_out.v1",
    }
    text = json.dumps(messages, ensure_ascii=False)
    for secret in (ID_NUMBER, "自伤念头", "referral", "石嘴山市", "tekun"):
        assert secret not in text
    corrections = [m["payload"] for m in messages if m["type"] == "registry.child_details_corrected.v1"]
    assert {(c["field"], c["value"]) for c in corrections} == {("village", "黄湾村"), ("mental_health", None)}
