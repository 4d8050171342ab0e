"""Cursor pagination over rows sorted by a key."""
from typing import Any


def page(rows: list[dict[str, Any]], limit: int, key: str) -> dict[str, Any]:
    """`rows` holds up to limit+1 rows; the extra one only signals a next page."""
    items = rows[:limit]
    has_more = len(rows) > limit
    return {"items": items, "next_cursor": str(items[-1][key]) if has_more and items else None}
