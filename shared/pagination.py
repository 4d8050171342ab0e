"""Cursor pagination over rows sorted by a key: the query every list takes
(`?limit=&cursor=`), one page of rows, and the schema of a page."""
from typing import Any

from marshmallow import Schema, fields, validate

from shared.validation import StrictSchema

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageQuery(StrictSchema):
    """Every list's query string; lists with filters subclass it."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(min=1, max=500),
                           metadata={"description": "next_cursor of the previous page"})


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
