"""A district's roster imported at go-live, on the real services (issue 17):
a generated roster of valid and broken rows mixed is previewed (nothing
stored), imported with exactly the broken rows refused and explained, and
imported again without creating anything; a fixed re-upload creates only the
fixed rows. Only bureau staff may; the attacks are refused with 4xx."""

import io
import zipfile

import pytest

from services.gateway.workbook import XLSX
from tests.support import rosters
from tests.support.infra import amqp_uri_for, isolated_pg_store, isolated_vhost
from tests.support.processes import System

ROWS = 120
UNKNOWN_IMPORT = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def system(tmp_path_factory, postgres_available):
    with isolated_vhost() as vhost, isolated_pg_store() as store:
        running = System(amqp_uri_for(vhost), store, tmp_path_factory.mktemp("roster"), UPLOAD_MAX_BYTES="2000000")
        running.start("registry", "gateway")
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture(scope="module")
def roster():
    rows = rosters.mixed(ROWS, start=1000)
    return rows, rosters.workbook(rows)


def upload(api, path, data, **kwargs):
    return api.post(path, data=data, headers={"Content-Type": XLSX}, **kwargs)


def refusals_by_row(answer_rows) -> dict[int, list[str]]:
    return {r["row"]: [p["code"] for p in r["problems"]] for r in answer_rows}


def expected(rows) -> dict[int, list[str]]:
    # title row, header row, then row n at sheet row n + 3
    return {n + 3: [row.refused_with] for n, row in enumerate(rows) if row.refused_with}


def children_count(api) -> int:
    total, cursor = 0, None
    while True:
        page = api.get("/children", params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
        total += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return total


def test_the_preview_explains_every_broken_row_and_stores_nothing(system, roster):
    rows, data = roster
    admin = system.api
    before = children_count(admin)
    preview = upload(admin, "/children/imports/preview", data)
    assert preview.status_code == 200, preview.text
    answer = preview.json()
    assert refusals_by_row(answer["problems"]) == expected(rows)
    broken = sum(1 for r in rows if r.refused_with)
    assert (answer["rows"], answer["clean"], answer["refused"]) == (len(rows), len(rows) - broken, broken)
    assert children_count(admin) == before
    # multipart, as the web screen sends it, reads the same
    form = admin.post("/children/imports/preview", files={"file": ("花名册.xlsx", data, XLSX)})
    assert form.status_code == 200 and form.json()["problems"] == answer["problems"]


def test_the_import_creates_the_clean_rows_and_refuses_the_others_with_why(system, roster):
    rows, data = roster
    admin = system.api
    before = children_count(admin)
    done = upload(admin, "/children/imports", data)
    assert done.status_code == 201, done.text
    answer = done.json()
    clean = sum(1 for r in rows if not r.refused_with)
    assert (answer["rows"], answer["rows_done"], answer["created"]) == (len(rows), len(rows), clean)
    assert answer["finished"] and answer["started_by"] == "admin"
    assert refusals_by_row(answer["refusals"]) == expected(rows)
    assert children_count(admin) == before + clean
    progress = admin.get(done.headers["Location"])
    assert progress.status_code == 200 and progress.json()["created"] == clean

    again = upload(admin, "/children/imports", data)
    assert again.status_code == 201 and again.json()["import_id"] == answer["import_id"]
    assert again.json()["created"] == clean  # the same import, not a second one
    assert children_count(admin) == before + clean

    # the same children were registered by the same rules as POST /children: the
    # first clean row's ID number is now taken there too
    first = next(r for r in rows if not r.refused_with)
    duplicate = admin.post(
        "/children",
        json={
            "name": "再登记",
            "gender": "male" if first.cells["性别"] == "男" else "female",
            "date_of_birth": first.cells["出生日期"].isoformat(),
            "id_number": first.cells["身份证号"],
            "town": rosters.TOWN,
            "village": rosters.VILLAGE,
            "categories": ["distressed"],
            "distress_reasons": ["disability"],
        },
    )
    assert duplicate.status_code == 409 and duplicate.json()["error"] == "DUPLICATE_ID_NUMBER"


def test_a_fixed_re_upload_creates_only_the_fixed_rows(system, roster):
    rows, _ = roster
    admin = system.api
    before = children_count(admin)
    fixed = [
        rosters.child(1000 + n) if row.refused_with and row.refused_with != "ROW_DUPLICATE_IN_FILE" else row
        for n, row in enumerate(rows)
    ]
    newly = sum(1 for old, new in zip(rows, fixed, strict=True) if old is not new)
    preview = upload(admin, "/children/imports/preview", rosters.workbook(fixed)).json()
    assert preview["clean"] == newly and preview["already_imported"] == len(rows) - newly - preview["refused"]
    done = upload(admin, "/children/imports", rosters.workbook(fixed))
    assert done.status_code == 201, done.text
    assert done.json()["created"] == newly
    assert children_count(admin) == before + newly


@pytest.mark.parametrize("role", ["child_director", "provider_staff", "auditor", "finance_officer", "reviewer"])
def test_only_bureau_staff_upload_a_roster(system, roster, role):
    scope = {"town": rosters.TOWN, "village": rosters.VILLAGE} if role == "child_director" else {}
    if role == "provider_staff":
        scope = {"organization_id": "00000000-0000-4000-8000-000000000001"}
    if role == "reviewer":
        scope = {"panel_member_ids": ["00000000-0000-4000-8000-000000000002"]}
    caller = system.login(role, **scope)
    for path in ("/children/imports/preview", "/children/imports"):
        refused = upload(caller, path, roster[1])
        assert refused.status_code == 403, (role, path, refused.text)
    # an import's progress: the bureau's, and the auditor's who reads everything
    progress = caller.get(f"/children/imports/{UNKNOWN_IMPORT}")
    assert progress.status_code == (404 if role == "auditor" else 403), (role, progress.text)


def test_attacks_are_refused_with_4xx_and_store_nothing(system):
    admin = system.api
    before = children_count(admin)
    not_xlsx = admin.post("/children/imports", data=b"name,gender\n", headers={"Content-Type": "text/csv"})
    assert not_xlsx.status_code == 415
    disguised = upload(admin, "/children/imports", b"%PDF-1.4 \x00\x01 not a sheet")
    assert disguised.status_code == 415 and "file" in disguised.json()["fields"]
    huge = upload(admin, "/children/imports/preview", b"PK" + b"\0" * 2_100_000)
    assert huge.status_code == 413
    # the upload routes take more than MAX_BODY_BYTES (1 MiB), up to UPLOAD_MAX_BYTES; no other route does
    past_body_limit = b"PK" + b"\0" * 1_500_000
    assert upload(admin, "/children/imports/preview", past_body_limit).status_code == 415
    assert upload(admin, "/children", past_body_limit).status_code == 413
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(rosters.workbook([rosters.child(1)]))) as source:
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
            for part in source.infolist():
                package.writestr(part, source.read(part))
            with package.open("xl/media/bomb.bin", "w") as padding:
                for _ in range(80):
                    padding.write(b"\0" * (1024 * 1024))
    bombed = upload(admin, "/children/imports", bomb.getvalue())
    assert bombed.status_code == 413, bombed.text
    formula = rosters.child(4242)
    formula.cells["村（社区）"] = "=1+1"
    refused = upload(admin, "/children/imports", rosters.workbook([formula]))
    assert refused.status_code == 201 and refused.json()["created"] == 0
    assert refusals_by_row(refused.json()["refusals"]) == {3: ["ROW_FORMULA_IN_CELL"]}
    assert children_count(admin) == before
    unknown = admin.get(f"/children/imports/{UNKNOWN_IMPORT}")
    assert unknown.status_code == 404
