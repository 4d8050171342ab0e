"""The first slice end to end over HTTP on the real services."""

from tests.support.children import MIGRANT_PARENTS
from tests.support.processes import wait_until

CHILD = {
    "name": "王小明",
    "gender": "male",
    "date_of_birth": "2015-03-04",
    "id_number": "640502201503040013",
    "town": "滨河镇",
    "village": "新北村",
    "categories": ["left_behind"],
    "household": MIGRANT_PARENTS,
}


def test_registered_child_reaches_casework_and_is_readable(full_system):
    created = full_system.api.post("/children", json=CHILD, timeout=10)
    assert created.status_code == 201, created.text
    child_id = created.json()["child_id"]
    assert created.headers["Location"] == f"/children/{child_id}"

    child_file = full_system.api.get(f"/children/{child_id}", timeout=10).json()
    assert child_file["name"] == "王小明" and child_file["village"] == "新北村"

    def casework_knows_child():
        r = full_system.api.get(f"/casework/children/{child_id}", timeout=10)
        return r.status_code == 200 and r.json()

    roster_child = wait_until(casework_knows_child, message="casework roster entry")
    assert roster_child["name"] == "王小明"
    listed = full_system.api.get("/casework/children", timeout=10).json()
    assert [c["child_id"] for c in listed["items"]] == [child_id]

    health = wait_until(
        lambda: (
            (h := full_system.health())["status"] == "ok"
            and h["services"]["casework"]["consumers"]["registry"]["lag"] == 0
            and h
        ),
        message="healthy system with no consumer lag",
    )
    assert health["rabbitmq"]["ok"] is True
    assert health["services"]["registry"]["relay"]["active"] is True
    assert health["services"]["casework"]["consumers"]["registry"]["position"] >= 1
