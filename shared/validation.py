"""Requests checked strictly: the base of every request schema (unknown
fields refused, an empty optional string taken as absent), and marshmallow's
ValidationError as the shared InvalidInput."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, pre_load

from shared.errors import InvalidInput


class StrictSchema(Schema):
    """A request shape that refuses fields it does not know. An optional
    field sent as "" (what a web form sends for an empty input, or `?town=`)
    is taken as not sent, so it gets its default; a required field sent as ""
    is still checked, and refused by its own rules with a field message."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _empty_optional_is_absent(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        optional = {field.data_key or name for name, field in self.load_fields.items() if not field.required}
        return {key: value for key, value in data.items() if not (value == "" and key in optional)}


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
