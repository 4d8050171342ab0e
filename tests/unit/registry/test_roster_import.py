"""A roster file's import (issue 17) in the registry: every row checked by the
rules of a new file, clean rows created in one save per batch, nothing created
twice (same file, or a fixed re-upload), and each refusal named by a code."""

from datetime import date

from services.registry import schemas as s
from services.registry.domain import roster_imports as roster
from services.registry.domain.id_number import check_character
from services.registry.domain.roster_imports import RosterImport

HASH = "a" * 64
FIXED_HASH = "b" * 64
MIGRANT = {"status": "migrant", "whereabouts": None}
HOUSEHOLD = {"father": MIGRANT, "mother": MIGRANT, "economic_status": "ordinary"}


def id_number(born: date, serial: int, male: bool) -> str:
    first17 = f"640502{born:%Y%m%d}{serial % 50 * 2 + (1 if male else 0):03d}"
    return first17 + check_character(first17)


def row(n: int, **changes) -> dict:
    born = date(2014, 1, 1 + n % 28)
    facts = {
        "name": f"儿童{n}",
        "gender": "male",
        "date_of_birth": born.isoformat(),
        "id_number": id_number(born, n, True),
        "town": "滨河镇",
        "village": "新北村",
        "categories": ["left_behind"],
        "household": HOUSEHOLD,
    }
    return {"row": n + 1, "facts": {**facts, **changes}}


def codes(problems) -> list[str]:
    return [p["code"] for p in problems]


def check(registry, rows) -> dict[int, list[str]]:
    loaded, refused = s.roster_rows(rows)
    checked = registry.check_roster_rows(loaded)
    return {r["row"]: codes(refused.get(r["row"]) or checked.get(r["row"], [])) for r in rows}


def run(registry, file_sha256, rows, by="bureau1"):
    started = registry.start_roster_import(file_sha256=file_sha256, rows=len(rows), started_by=by)
    loaded, refused = s.roster_rows(rows)
    registry.import_roster_batch(started["import_id"], loaded, refused)
    return registry.roster_import(started["import_id"])


def test_the_preview_names_each_problem_and_stores_nothing(registry):
    good = row(1)
    bad_check = row(2)
    bad_check["facts"]["id_number"] = bad_check["facts"]["id_number"][:17] + (
        "0" if bad_check["facts"]["id_number"][17] != "0" else "1"
    )
    wrong_birth = row(3, date_of_birth="2014-02-27")
    unknown_village = row(4, village="不存在村")
    missing = row(5)
    del missing["facts"]["name"]
    head = registry.head_position()
    found = check(registry, [good, bad_check, wrong_birth, unknown_village, missing])
    assert found == {
        2: [],
        3: [roster.ID_NUMBER_CHECKSUM],
        4: [roster.ID_NUMBER_BIRTH_MISMATCH],
        5: [roster.UNKNOWN_VILLAGE],
        6: [roster.MISSING_FIELD],
    }
    assert registry.head_position() == head


def test_clean_rows_are_created_and_the_import_is_recorded(registry):
    rows = [row(1), row(2), row(3, village="不存在村"), {**row(1), "row": 5}]
    done = run(registry, HASH, rows)
    assert (done["rows"], done["rows_done"], done["created"], done["refused"]) == (4, 4, 2, 2)
    assert done["finished"] and done["started_by"] == "bureau1" and done["file_sha256"] == HASH
    assert {r["row"]: codes(r["problems"]) for r in done["refusals"]} == {
        4: [roster.UNKNOWN_VILLAGE],
        5: [roster.DUPLICATE_IN_FILE],
    }
    assert len(registry.list_children(limit=50)["items"]) == 2


def test_the_same_file_again_creates_nothing(registry):
    first = run(registry, HASH, [row(1), row(2)])
    again = run(registry, HASH, [row(1), row(2)])
    assert again == first and again["import_id"] == RosterImport.id_for(HASH)
    assert len(registry.list_children(limit=50)["items"]) == 2


def test_a_fixed_re_upload_creates_only_the_new_rows(registry):
    run(registry, HASH, [row(1), row(2, village="不存在村")])
    fixed = run(registry, FIXED_HASH, [row(1), row(2)])
    assert (fixed["created"], fixed["already_imported"], fixed["refused"]) == (1, 1, 0)
    assert len(registry.list_children(limit=50)["items"]) == 2


def test_a_child_registered_before_is_a_duplicate_in_the_registry(registry):
    existing = row(7)["facts"]
    registry.register_child(
        **{**existing, "date_of_birth": date.fromisoformat(existing["date_of_birth"])},
    )
    assert check(registry, [row(7)]) == {8: [roster.DUPLICATE_IN_REGISTRY]}
    done = run(registry, HASH, [row(7)])
    assert done["created"] == 0 and codes(done["refusals"][0]["problems"]) == [roster.DUPLICATE_IN_REGISTRY]
