"""Values as JSON carries them: one conversion for replies, reports, audit
exports and test request bodies."""

from __future__ import annotations

import base64
from dataclasses import is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID


def jsonable(value: Any) -> Any:
    """Dates and times as ISO text, UUIDs and Decimals as text, bytes as
    base64, enums as their value, tuples and sets as lists, dict keys as text,
    objects as their public attributes; all the way down."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(vars(value))
    if hasattr(value, "__dict__"):
        return jsonable({k: v for k, v in vars(value).items() if not k.startswith("_")})
    return str(value)
