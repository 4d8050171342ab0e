"""Cursor pagination over rows sorted by a key."""
from typing import Any

from marshmallow import Schema, fields


def page(rows: list[dict[str, Any]], limit: int, key: str) -> dict[str, Any]:
    """`rows` holds up to limit+1 rows; the extra one only signals a next page."""
    items = rows[:limit]
    has_more = len(rows) > limit
    return {"items": items, "next_cursor": str(items[-1][key]) if has_more and items else None}


def page_of(item_schema, name: str):
    """The schema of one page of `item_schema` rows: `items` and the cursor of
    the next page (null on the last)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(required=True, allow_none=True),
        },
        name=name,
    )
