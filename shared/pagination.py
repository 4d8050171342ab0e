"""Cursor pagination over rows sorted by a key: the query every list takes
(`?limit=&cursor=`), one page of rows, and the schema of a page."""

import base64
import heapq
import json
from collections.abc import Callable, Iterable
from typing import Any

from marshmallow import Schema, fields, validate

from shared.errors import InvalidInput
from shared.validation import StrictSchema, load_or_refuse

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageQuery(StrictSchema):
    """Every list's query string; lists with filters subclass it."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "next_cursor of the previous page"},
    )


def page(rows: list[dict[str, Any]], limit: int, key: "str | Callable[[dict[str, Any]], str]") -> dict[str, Any]:
    """`rows` holds up to limit+1 rows; the extra one only signals a next page.
    The cursor is the last row's `key` field, or what `key(row)` makes of it."""
    items = rows[:limit]
    has_more = len(rows) > limit
    cursor_of = key if callable(key) else (lambda row: str(row[key]))
    return {"items": items, "next_cursor": cursor_of(items[-1]) if has_more and items else None}


def list_page(
    params: Any, query_schema: Schema, page_schema: Schema, rows: Callable[..., list[dict[str, Any]]], key: str
) -> dict[str, Any]:
    """The one shape of a list RPC: the raw query dict (`params`) loaded with
    the list's query schema (a PageQuery), `rows(limit=, after=, **filters)`
    asked for one row more than the page, answered as a page."""
    query = load_or_refuse(query_schema, params or {})
    filters = {name: value for name, value in query.items() if name not in ("limit", "cursor")}
    found = rows(limit=query["limit"] + 1, after=query["cursor"], **filters)
    answer: dict[str, Any] = page_schema.dump(page(found, query["limit"], key=key))
    return answer


def list_page_at(
    params: Any,
    query_schema: Schema,
    page_schema: Schema,
    rows: Callable[..., tuple[list[dict[str, Any]], int]],
    key: str,
) -> dict[str, Any]:
    """`list_page` for a list that can be rebuilt as it stood (its query an
    AsOfQuery too, shared/past_registers.py): `rows(...)` answers the rows and
    the log position they stand at, which the page names (`as_of_position`)."""
    position: list[int] = []

    def read(**query: Any) -> list[dict[str, Any]]:
        found, at = rows(**query)
        position.append(at)
        return found

    answer = list_page(params, query_schema, page_schema, read, key)
    return {**answer, "as_of_position": position[0]}


def encode_cursor(sort_key: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(sort_key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, ...]:
    """The sort key `encode_cursor` wrote; InvalidInput for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_key = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(sort_key, list):
            raise ValueError
        return tuple(sort_key)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput({"cursor": ["is not a cursor this list returned"]}) from None


def keyset_page(
    rows: Iterable[dict[str, Any]],
    sort_key: Callable[[dict[str, Any]], tuple[Any, ...]],
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    """One page of in-memory rows (a read model's) in `sort_key` order, after
    `cursor`: the encoded sort key of the previous page's last row, so a page
    boundary holds while rows come and go. Only the page (and one more row, to
    know if there is a next) is sorted."""
    if cursor is not None:
        after = decode_cursor(cursor)
        try:
            rows = [row for row in rows if sort_key(row) > after]
        except TypeError:
            raise InvalidInput({"cursor": ["is not a cursor this list returned"]}) from None
    ordered = heapq.nsmallest(limit + 1, rows, key=sort_key)
    return page(ordered, limit, key=lambda row: encode_cursor(sort_key(row)))


def page_of(item_schema: type[Schema], name: str, *, as_at: bool = False) -> type[Schema]:
    """The schema of one page of `item_schema` rows: `items` and the cursor of
    the next page (null on the last); `as_at` adds the log position the rows
    stand at (a list that can be rebuilt as it stood)."""
    declared: dict[str, fields.Field[Any]] = {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(required=True, allow_none=True),
    }
    if as_at:
        declared["as_of_position"] = fields.Integer(
            required=True,
            metadata={"description": "the service's log position these rows stand at; ?as_of_position= it again"},
        )
    return Schema.from_dict(declared, name=name)
