"""Requests checked strictly: the base of every request schema (unknown
fields refused), and marshmallow's ValidationError as the shared InvalidInput."""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import RAISE, Schema, ValidationError

from shared.errors import InvalidInput


class StrictSchema(Schema):
    """A request shape that refuses fields it does not know."""

    class Meta:
        unknown = RAISE


def load_or_refuse(schema: Schema, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput({"_body": ["must be a JSON object"]})
    try:
        loaded: dict[str, Any] = schema.load(data)
        return loaded
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_body": error.messages}
        raise InvalidInput(messages) from None


def parse_uuid(value: Any, not_found: type[Exception]) -> uuid.UUID:
    """An id that is not a UUID cannot name anything: report it as not found."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise not_found(value) from None
