"""Reading requests: JSON bodies (bounded, strictly typed) and query strings."""
from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, ValidationError

from services.gateway.web.http_errors import InvalidQuery, MalformedJson, PayloadTooLarge, UnsupportedMediaType
from shared.errors import InvalidInput

# No request needs more; deeper JSON is refused before anything walks it
# (recursive code downstream would fail on it, and the parser itself does
# beyond about a thousand levels).
MAX_JSON_DEPTH = 32


def raw_body(request, max_bytes: int) -> bytes:
    """The body, read once (bounded) and kept for whoever asks next."""
    cached = getattr(request, "_gateway_body", None)
    if cached is not None:
        return cached
    if request.content_length is not None and request.content_length > max_bytes:
        raise PayloadTooLarge(f"request body is larger than {max_bytes} bytes")
    raw = request.stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"request body is larger than {max_bytes} bytes")
    request._gateway_body = raw
    return raw


def json_body(request, max_bytes: int) -> Any:
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            "request body must be JSON: send Content-Type: application/json",
            {"Content-Type": [f"got {request.mimetype or 'nothing'}"]},
        )
    raw = raw_body(request, max_bytes)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MalformedJson("request body is not UTF-8") from None
    except RecursionError:
        raise MalformedJson(f"request body nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as error:
        raise MalformedJson(f"request body is not valid JSON: {error}") from None
    if depth(data) > MAX_JSON_DEPTH:
        raise MalformedJson(f"request body nests deeper than {MAX_JSON_DEPTH} levels")
    return data


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in a JSON value (a scalar is 0), without recursion."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level + 1)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            pending.extend((child, level + 1) for child in children)
    return deepest


def _object_body(request, max_bytes: int) -> dict[str, Any]:
    data = json_body(request, max_bytes)
    if not isinstance(data, dict):
        raise InvalidInput({"_body": ["must be a JSON object"]})
    return data


def _load(schema: Schema, data: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema.load(data)
    except ValidationError as error:
        raise InvalidInput(error.messages) from None


def validated_body(request, schema: Schema, max_bytes: int) -> dict[str, Any]:
    """Validate at the edge with the service's own schema, then forward the JSON."""
    data = _object_body(request, max_bytes)
    _load(schema, data)
    return data


def loaded_body(request, schema: Schema, max_bytes: int) -> dict[str, Any]:
    """The body as the schema loads it, for routes the gateway answers itself."""
    return _load(schema, _object_body(request, max_bytes))


def query(request, schema: Schema) -> dict[str, Any]:
    try:
        return schema.load(request.args.to_dict())
    except ValidationError as error:
        raise InvalidQuery("invalid query parameters", error.messages) from None
