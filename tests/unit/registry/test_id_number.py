from datetime import date

import pytest

from services.registry.domain.id_number import check_character, problems

VALID = "640502201503040013"  # born 2015-03-04, 17th digit 1 → male


def test_valid_number_agreeing_with_dob_and_gender_passes():
    assert check_character(VALID[:17]) == VALID[17]
    assert problems(VALID, date(2015, 3, 4), "male") == []


def test_x_check_character_is_accepted():
    first17 = next(f"6405022015030400{d}" for d in range(10) if check_character(f"6405022015030400{d}") == "X")
    assert problems(first17 + "X", date(2015, 3, 4), "female" if int(first17[16]) % 2 == 0 else "male") == []


@pytest.mark.parametrize(
    "number,reason",
    [
        ("640502201503040014", "check character"),
        ("64050220150304001", "17 digits"),
        ("6405022015030400A3", "17 digits"),
    ],
)
def test_malformed_or_wrong_checksum_is_refused(number, reason):
    assert reason in problems(number, date(2015, 3, 4), "male")[0]


def test_dob_and_gender_must_agree_with_the_number():
    found = problems(VALID, date(2015, 3, 5), "female")
    assert any("date of birth" in p for p in found)
    assert any("gender" in p for p in found)
