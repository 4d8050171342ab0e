"""Hiding what a reader's role does not need: resident ID numbers keep only
their first 6 and last 4 characters, mental-health details become null, and
password hashes are never shown. Used by the gateway and by audit exports, on
any JSON-shaped value, wherever in it the data sits (a file, a correction's old
and new values, a raw stored event)."""

from __future__ import annotations

import re
from typing import Any

# 18-character resident ID numbers (6 region + 8 birth date + 3 order + check).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
HEALTH_FIELDS = frozenset({"mental_health"})
SECRET_FIELDS = frozenset({"password_hash"})
_CHANGED_VALUE_KEYS = ("old", "new", "value")


def mask_id_numbers(text: str) -> str:
    return _ID_NUMBER.sub(r"\1********\2", text)


def mask(value: Any, *, id_numbers: bool, health: bool) -> Any:
    """A copy of `value` with what is hidden replaced; secrets always go."""
    if isinstance(value, dict):
        # A correction record names its field; any other "field" value (a list
        # of reasons in an error body, say) is not a name and hides nothing.
        named = value.get("field")
        hidden_change = health and isinstance(named, str) and named in HEALTH_FIELDS
        out: dict[str, Any] = {}
        for key, item in value.items():
            if (
                key in SECRET_FIELDS
                or (health and key in HEALTH_FIELDS)
                or (hidden_change and key in _CHANGED_VALUE_KEYS)
            ):
                out[key] = None
            else:
                out[key] = mask(item, id_numbers=id_numbers, health=health)
        return out
    if isinstance(value, list):
        return [mask(item, id_numbers=id_numbers, health=health) for item in value]
    if id_numbers and isinstance(value, str):
        return mask_id_numbers(value)
    return value
