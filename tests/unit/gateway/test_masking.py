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
        "x" + ID,  # part of a longer token
        ID + "abc",
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
