"""What a reader's role does not need is hidden wherever it sits in a JSON
value: ID numbers (first 6 + 8 asterisks + last 4), mental-health details,
and password hashes always."""

import copy
import uuid

import pytest

from shared.masking import mask, mask_id_numbers

ID = "640502201503040021"
ID_X = "64050220150304002X"
MASKED = "640502********0021"
MASKED_X = "640502********002X"
SCREENING = {"screened_on": "2025-05-01", "result": "refer", "notes": "夜里哭，说想妈妈"}


def test_an_id_number_keeps_its_first_six_and_last_four():
    assert mask_id_numbers(ID) == MASKED
    assert mask_id_numbers(ID_X) == MASKED_X
    assert mask_id_numbers(ID_X.lower()) == MASKED_X.lower()
    assert len(MASKED) == len(ID) and MASKED.count("*") == 8


@pytest.mark.parametrize(
    "text,expected",
    [
        (f"身份证号{ID}，已核实", f"身份证号{MASKED}，已核实"),
        (f"id {ID} and {ID_X}.", f"id {MASKED} and {MASKED_X}."),
        (f"({ID})", f"({MASKED})"),
        (f"{ID}", MASKED),
    ],
)
def test_id_numbers_are_masked_inside_longer_text(text, expected):
    assert mask(text, id_numbers=True, health=False) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1" + ID,  # 19 digits: not an ID number
        ID + "7",
        "12345678901234567890123456789012",  # a long digit run
        "20150304002112345678",
        "64050220-1503-0400-21ab-640502201503",  # a UUID
        "64050220150304002164050220150304002",  # digits glued to digits
        "64050220150304",  # too short
        "",
    ],
)
def test_longer_digit_runs_uuids_and_other_tokens_are_left_alone(text):
    assert mask(text, id_numbers=True, health=True) == text


def test_a_uuid_holding_eighteen_digits_in_a_row_is_left_alone():
    for value in (str(uuid.UUID(f"ab{ID}cd0000000000")), f"ab{ID}cd0000000000"):
        assert mask({"child_id": value}, id_numbers=True, health=True) == {"child_id": value}


def test_id_numbers_are_masked_anywhere_in_nested_dicts_and_lists():
    record = {
        "child_id": "0d6c1c4e-7b1a-4f0e-8d55-2a4f1c9e7b30",
        "id_number": ID,
        "household": {"guardian": {"name": "李大山", "id_number": ID_X, "phone": "13800138000"}},
        "items": [{"id_number": ID}, [f"note: {ID}", 640502201503040021], None, True, 3.5],
        "count": 2,
    }
    before = copy.deepcopy(record)
    masked = mask(record, id_numbers=True, health=False)
    assert masked == {
        "child_id": "0d6c1c4e-7b1a-4f0e-8d55-2a4f1c9e7b30",
        "id_number": MASKED,
        "household": {"guardian": {"name": "李大山", "id_number": MASKED_X, "phone": "13800138000"}},
        "items": [{"id_number": MASKED}, [f"note: {MASKED}", 640502201503040021], None, True, 3.5],
        "count": 2,
    }
    assert record == before  # a copy: the original is untouched


def test_mental_health_details_become_null():
    record = {"name": "李小花", "mental_health": SCREENING, "children": [{"mental_health": SCREENING}]}
    masked = mask(record, id_numbers=False, health=True)
    assert masked == {"name": "李小花", "mental_health": None, "children": [{"mental_health": None}]}


def test_a_mental_health_correction_hides_its_old_and_new_values():
    history = [
        {
            "event": "corrected",
            "data": {"field": "mental_health", "old": None, "new": SCREENING, "reason": "screened in May"},
        },
        {"event": "corrected", "data": {"field": "village", "old": "新北村", "new": "黄湾村", "reason": "moved"}},
        {"field": "mental_health", "value": SCREENING, "reason": "as asked"},  # a correction request
    ]
    masked = mask(history, id_numbers=True, health=True)
    assert masked[0]["data"] == {"field": "mental_health", "old": None, "new": None, "reason": "screened in May"}
    assert masked[1] == history[1]  # other corrections keep their values
    assert masked[2] == {"field": "mental_health", "value": None, "reason": "as asked"}
    assert mask(history, id_numbers=True, health=False) == history


def test_an_id_number_correction_masks_both_values():
    correction = {"field": "id_number", "old": ID, "new": ID_X}
    assert mask(correction, id_numbers=True, health=True) == {"field": "id_number", "old": MASKED, "new": MASKED_X}


def test_a_field_key_that_is_not_a_name_does_not_break_masking():
    # e.g. an error body: {"fields": {"field": ["Not a valid string."]}} echoing a bad request
    value = {"fields": {"field": ["Not a valid string."]}, "field": {"nested": ID}}
    assert mask(value, id_numbers=True, health=True) == {
        "fields": {"field": ["Not a valid string."]},
        "field": {"nested": MASKED},
    }


@pytest.mark.parametrize("id_numbers,health", [(True, True), (True, False), (False, True), (False, False)])
def test_password_hashes_are_always_hidden(id_numbers, health):
    masked = mask(
        {"users": [{"username": "li", "password_hash": "$argon2id$v=19$m=65536..."}]},
        id_numbers=id_numbers,
        health=health,
    )
    assert masked == {"users": [{"username": "li", "password_hash": None}]}


def test_with_both_flags_off_only_the_password_hash_changes():
    record = {
        "id_number": ID,
        "note": f"身份证{ID}",
        "mental_health": SCREENING,
        "history": [{"field": "mental_health", "old": None, "new": SCREENING}],
        "password_hash": "$argon2id$secret",
    }
    assert mask(record, id_numbers=False, health=False) == {**record, "password_hash": None}


def test_scalars_pass_through():
    for value in (None, 7, 2.5, False, ID):
        assert mask(value, id_numbers=False, health=True) == value


# -- issue 13: numbers next to letters, birth dates beside masked numbers, case notes ---------

from datetime import date, timedelta  # noqa: E402

from shared.masking import LAST_FOUR, REGION_ONLY  # noqa: E402

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number(region: str, born: date, order: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{order}"
    return first17 + check_digit(first17)


CHILDREN = [
    (date(2015, 3, 4), "002"),
    (date(2012, 11, 30), "131"),
    (date(2018, 1, 1), "467"),
    (date(2010, 7, 19), "090"),
    (date(2016, 2, 29), "555"),
    (date(2014, 12, 31), "248"),
]


def rebuilt(masked: dict) -> set[str]:
    """Every ID number consistent with a masked file: what an attacker holding
    it can narrow the number to."""
    shown, born = masked["id_number"], masked["date_of_birth"]
    region, tail = shown[:6], shown[14:].replace("*", "")
    days = [date(int(born[:4]), 1, 1) + timedelta(days=d) for d in range(366)]
    days = [d for d in days if d.isoformat().startswith(born)]
    orders = [tail[:3]] if len(tail) == 4 else [f"{n:03d}" for n in range(1000)]
    found = set()
    for day in days:
        for order in orders:
            candidate = id_number(region, day, order)
            if len(tail) != 4 or candidate.endswith(tail):
                found.add(candidate)
    return found


@pytest.mark.parametrize("style", [LAST_FOUR, REGION_ONLY])
@pytest.mark.parametrize("born,order", CHILDREN)
def test_a_masked_id_number_cannot_be_rebuilt_from_the_birth_date_beside_it(style, born, order):
    number = id_number("640502", born, order)
    file = {"name": "李小花", "date_of_birth": born.isoformat(), "id_number": number}
    masked = mask(file, id_numbers=True, health=True, id_style=style)
    assert number not in json_text(masked)
    assert len(rebuilt(masked)) >= 10  # before: the full birth date left exactly one


def json_text(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def test_each_role_keeps_what_its_work_needs_of_the_number_and_the_birth_date():
    file = {"date_of_birth": "2015-03-04", "id_number": ID}
    assert mask(file, id_numbers=True, health=True, id_style=LAST_FOUR) == {
        "date_of_birth": "2015",
        "id_number": MASKED,
    }
    assert mask(file, id_numbers=True, health=False, id_style=REGION_ONLY) == {
        "date_of_birth": "2015-03",  # a provider's age-appropriate services need the age
        "id_number": "640502************",
    }
    assert mask(file, id_numbers=False, health=True) == file


def test_a_birth_date_correction_is_cut_like_the_birth_date():
    correction = {"field": "date_of_birth", "old": "2015-03-04", "new": "2015-04-03", "reason": "typo"}
    assert mask(correction, id_numbers=True, health=True) == {**correction, "old": "2015", "new": "2015"}


@pytest.mark.parametrize(
    "text,expected",
    [
        (f"IDNO{ID}", f"IDNO{MASKED}"),
        (f"x{ID}", f"x{MASKED}"),
        (f"{ID}abc", f"{MASKED}abc"),
        (f"身份证:{ID_X}号", f"身份证:{MASKED_X}号"),
    ],
)
def test_id_numbers_next_to_letters_are_masked(text, expected):
    assert mask(text, id_numbers=True, health=True) == expected


def test_hashes_holding_eighteen_digits_in_a_row_are_left_alone():
    digest = f"ab{ID}cd" + "e" * 42  # a SHA-256 hex digest, as chain heads are shown
    assert mask({"head": digest}, id_numbers=True, health=True) == {"head": digest}


CASE_FILE = {
    "case_id": "c-1",
    "presenting_needs": "自述长期失眠，情绪低落",
    "assessments": [{"assessed_on": "2025-05-02", "worker": "王", "summary": "抑郁倾向", "needs": ["心理辅导"]}],
    "sessions": [
        {
            "session_id": "s-1",
            "held_on": "2025-05-09",
            "session_type": "office",
            "duration_minutes": 50,
            "notes": "谈到自伤念头",
        }
    ],
    "reviews": [{"reviewed_on": "2025-06-01", "worker": "王", "notes": "情绪好转", "goal_progress": []}],
    "closure": {"closed_on": "2025-07-01", "reason": "goals_met", "worker": "王", "summary": "不再失眠"},
}


def test_case_notes_holding_mental_health_content_are_hidden_from_roles_that_mask_it():
    masked = mask(CASE_FILE, id_numbers=True, health=True)
    assert masked["presenting_needs"] is None
    assert masked["assessments"] == [{"assessed_on": "2025-05-02", "worker": "王", "summary": None, "needs": None}]
    assert masked["sessions"][0] == {**CASE_FILE["sessions"][0], "notes": None}
    assert masked["reviews"][0] == {**CASE_FILE["reviews"][0], "notes": None}
    assert masked["closure"] == {**CASE_FILE["closure"], "summary": None}
    assert mask(CASE_FILE, id_numbers=True, health=False) == CASE_FILE  # provider staff see their case notes


def test_case_note_events_in_the_audit_log_are_hidden_too():
    events = [
        {"event": "Case.Assessed", "data": CASE_FILE["assessments"][0]},
        {"event": "Case.SessionRecorded", "data": {**CASE_FILE["sessions"][0], "child_id": "k"}},
        {"event": "CareService.Given", "data": {"kind": "psychological_counselling", "notes": "哭了很久"}},
        {"event": "CareService.Given", "data": {"kind": "homework_help", "notes": "数学作业"}},
    ]
    masked = mask(events, id_numbers=True, health=True)
    assert masked[0]["data"]["summary"] is None and masked[0]["data"]["needs"] is None
    assert masked[1]["data"]["notes"] is None
    assert masked[2]["data"]["notes"] is None
    assert masked[3] == events[3]  # other care notes are not health records


def test_summaries_that_are_not_case_notes_are_left_alone():
    application = {"application_id": "a-1", "summary": "为留守儿童开展阅读指导", "closed_on": None}
    assert mask(application, id_numbers=True, health=True) == application


def test_an_argon2_hash_under_any_name_is_hidden():
    assert mask({"hash": "$argon2id$v=19$m=65536,t=3,p=4$abc"}, id_numbers=False, health=False) == {"hash": None}


def test_an_error_body_naming_the_kind_field_is_masked_not_crashed():
    # GET /activities?kind=null as an auditor answered 500: "kind" in an error
    # body's fields holds a list of messages, which is not a counselling kind.
    refused = {"error": "VALIDATION_ERROR", "fields": {"kind": ["Must be one of: …"]}}
    assert mask(refused, id_numbers=True, health=True) == refused
