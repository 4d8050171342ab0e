"""Hiding what a reader's role does not need, wherever it sits in a JSON-shaped
value (a file, a correction's old and new values, a raw stored event). Used by
the gateway and by audit exports and the audit command line.

- Password hashes are never shown, to anyone.
- Resident ID numbers (6 region + 8 birth date + 3 order + 1 check) are masked
  in one of two styles, and whenever they are masked the date of birth beside
  them is cut down too, so the pair cannot be joined back into the number:
  LAST_FOUR keeps the first 6 and last 4 characters and the birth *year* only
  (auditors, finance, reviewers, masked exports: a handle to match a paper
  file, ~33 birth dates in a year fit one check digit); REGION_ONLY keeps the
  first 6 characters only and the birth year and month (provider staff: the
  child's age to the month, which age-appropriate services need).
- Mental-health details become null: the `mental_health` field, a correction
  of it, and case notes that hold the same (an intake's presenting needs, an
  assessment's summary and needs, a counselling session's or review's notes, a
  closure summary, the notes of psychological counselling given as care)."""

from __future__ import annotations

import re
from typing import Any

LAST_FOUR, REGION_ONLY = "last_four", "region_only"

# An ID number may sit next to letters ("IDNO640502…", "身份证号640502…"), never
# inside a longer run of digits.
_ID_NUMBER = re.compile(r"(?<![0-9])(\d{6})(\d{8})(\d{3})([0-9Xx])(?![0-9])")
# Runs of 32+ hex characters (UUIDs without dashes, hashes) are identifiers,
# not ID numbers, even when 18 of their characters happen to be digits.
_HEX = frozenset("0123456789abcdefABCDEF")
_LONG_HEX_RUN = 32

HEALTH_FIELDS = frozenset({"mental_health", "presenting_needs"})
SECRET_FIELDS = frozenset({"password_hash"})
BIRTH_DATE_FIELDS = frozenset({"date_of_birth"})
_CHANGED_VALUE_KEYS = ("old", "new", "value")
_SECRET_VALUE = re.compile(r"^\$argon2(id|i|d)\$")

# Case notes: a record of this shape (all these keys present) hides these keys.
CASE_NOTE_SHAPES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"assessed_on", "summary"}), frozenset({"summary", "needs"})),
    (frozenset({"session_id", "notes"}), frozenset({"notes"})),
    (frozenset({"reviewed_on", "notes"}), frozenset({"notes"})),
    (frozenset({"closed_on", "worker", "summary"}), frozenset({"summary"})),
)
COUNSELLING_KINDS = frozenset({"psychological_counselling"})


def _is_inside_long_hex(text: str, start: int, end: int) -> bool:
    while start > 0 and text[start - 1] in _HEX:
        start -= 1
    while end < len(text) and text[end] in _HEX:
        end += 1
    return end - start >= _LONG_HEX_RUN


def mask_id_numbers(text: str, style: str = LAST_FOUR) -> str:
    def hide(match: re.Match[str]) -> str:
        if _is_inside_long_hex(text, match.start(), match.end()):
            return match.group(0)
        region = match.group(1)
        if style == REGION_ONLY:
            return region + "*" * 12
        return region + "********" + match.group(3) + match.group(4)

    return _ID_NUMBER.sub(hide, text)


def cut_birth_date(value: Any, style: str = LAST_FOUR) -> Any:
    """2015-03-04 → 2015 (LAST_FOUR) or 2015-03 (REGION_ONLY)."""
    if not isinstance(value, str) or len(value) < 7:
        return value
    return value[:7] if style == REGION_ONLY else value[:4]


def _case_note_keys(value: dict[str, Any]) -> frozenset[str]:
    hidden: set[str] = set()
    for shape, keys in CASE_NOTE_SHAPES:
        if shape <= value.keys():
            hidden |= keys
    kind = value.get("kind")  # in an error body, "kind" holds a list of messages
    if isinstance(kind, str) and kind in COUNSELLING_KINDS:
        hidden.add("notes")
    return frozenset(hidden)


def mask(value: Any, *, id_numbers: bool, health: bool, id_style: str = LAST_FOUR) -> Any:
    """A copy of `value` with what is hidden replaced; secrets always go."""
    return _Masker(id_numbers, health, id_style).apply(value)


class _Masker:
    def __init__(self, id_numbers: bool, health: bool, id_style: str):
        self.id_numbers, self.health, self.id_style = id_numbers, health, id_style

    def apply(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self._record(value)
        if isinstance(value, list):
            return [self.apply(item) for item in value]
        if isinstance(value, str):
            if _SECRET_VALUE.match(value):
                return None
            if self.id_numbers:
                return mask_id_numbers(value, self.id_style)
        return value

    def _record(self, value: dict[str, Any]) -> dict[str, Any]:
        hidden = set(SECRET_FIELDS)
        cut: set[str] = set()
        if self.health:
            hidden |= HEALTH_FIELDS | _case_note_keys(value)
        if self.id_numbers:
            cut |= BIRTH_DATE_FIELDS
        # A correction record names its field; any other "field" value (a list
        # of reasons in an error body, say) is not a name and hides nothing.
        named = value.get("field")
        if isinstance(named, str):
            if named in hidden:
                hidden.update(_CHANGED_VALUE_KEYS)
            elif named in cut:
                cut.update(_CHANGED_VALUE_KEYS)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in hidden:
                out[key] = None
            elif key in cut:
                out[key] = self._cut(item)
            else:
                out[key] = self.apply(item)
        return out

    def _cut(self, item: Any) -> Any:
        if isinstance(item, list):
            return [cut_birth_date(v, self.id_style) for v in item]
        return cut_birth_date(item, self.id_style)
