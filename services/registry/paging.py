"""Keyset pagination over in-memory read models: the cursor is the sort key of
the last item returned, so a page boundary holds while rows come and go."""
from __future__ import annotations

import base64
import heapq
import json
from typing import Any, Callable, Iterable

from shared.errors import InvalidInput

Key = tuple


def encode(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode(cursor: str) -> Key:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(key, list):
            raise ValueError
        return tuple(key)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput({"cursor": ["is not a cursor this list returned"]}) from None


def page(
    items: Iterable[dict[str, Any]], sort_key: Callable[[dict[str, Any]], Key],
    limit: int, cursor: str | None,
) -> dict[str, Any]:
    if cursor is not None:
        after = decode(cursor)
        try:
            items = [item for item in items if sort_key(item) > after]
        except TypeError:
            raise InvalidInput({"cursor": ["is not a cursor this list returned"]}) from None
    # Only the page (and one more, to know if there is a next) is sorted.
    ordered = heapq.nsmallest(limit + 1, items, key=sort_key)
    chunk = ordered[:limit]
    more = len(ordered) > limit
    return {"items": chunk, "next_cursor": encode(sort_key(chunk[-1])) if more and chunk else None}
