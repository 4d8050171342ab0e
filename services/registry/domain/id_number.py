"""Resident identity numbers (GB 11643-1999): 18 characters, the last a
ISO 7064 MOD 11-2 check character; digits 7-14 are the date of birth and the
17th digit is odd for male, even for female."""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")

# The reasons `problems` gives (a roster import names each with its own code).
SHAPE = "must be 17 digits followed by a digit or X"
CHECKSUM = "check character does not match (GB 11643)"
BIRTH_MISMATCH = "date of birth in the number does not match date_of_birth"
GENDER_MISMATCH = "gender digit in the number does not match gender"


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=False)) % 11]


def problems(id_number: str, date_of_birth: date, gender: str) -> list[str]:
    """Reasons the number is invalid or disagrees with the stated DOB/gender."""
    if not _SHAPE.match(id_number):
        return [SHAPE]
    if check_character(id_number[:17]) != id_number[17]:
        return [CHECKSUM]
    found = []
    if id_number[6:14] != date_of_birth.strftime("%Y%m%d"):
        found.append(BIRTH_MISMATCH)
    number_gender = "male" if int(id_number[16]) % 2 else "female"
    if number_gender != gender:
        found.append(GENDER_MISMATCH)
    return found
