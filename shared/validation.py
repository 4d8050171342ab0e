"""Requests checked strictly: the base of every request schema (unknown
fields refused, text that cannot be stored or shown honestly refused, an empty
optional string taken as absent), and marshmallow's ValidationError as the
shared InvalidInput."""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from marshmallow import RAISE, Schema, ValidationError, pre_load

from shared.errors import InvalidInput

# Lone surrogates cannot be encoded as UTF-8 (PostgreSQL, the hasher and uuid5
# all fail on them); NUL cannot be stored in PostgreSQL text; the bidirectional
# embedding, override and isolate controls make text display other than it reads.
_FORBIDDEN = re.compile("[\ud800-\udfff\x00\u202a-\u202e\u2066-\u2069]")
_WHY = {
    "surrogate": "contains an unpaired surrogate (U+{code:04X}), which is not valid Unicode text",
    "nul": "contains a NUL character",
    "bidi": "contains a bidirectional control character (U+{code:04X})",
}
# Characters that render as nothing although Unicode does not class them as space.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")


def _kind(char: str) -> str:
    if "\ud800" <= char <= "\udfff":
        return "surrogate"
    return "nul" if char == "\x00" else "bidi"


def _invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK_LOOKING or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp")


def is_name_field(key: Any) -> bool:
    return isinstance(key, str) and (key == "name" or key.endswith("_name"))


def text_problem(value: str, is_name: bool = False) -> str | None:
    """Why this text is refused, or None. Text that looks empty but is not
    (zero-width and filler characters) is refused anywhere; text of plain
    spaces only in a name (elsewhere it is left to the field's own rules)."""
    found = _FORBIDDEN.search(value)
    if found:
        return _WHY[_kind(found.group())].format(code=ord(found.group()))
    if value and (is_name or not value.isspace()) and all(_invisible(c) for c in value):
        return "has no visible characters"
    return None


def _strings(value: Any, key: Any) -> Iterator[tuple[str, bool]]:
    """Every string in a JSON value, keys included, each with whether it is a
    name (its field is called name or *_name). Iterative: depth is the edge's business."""
    pending = [(value, key)]
    while pending:
        item, field = pending.pop()
        if isinstance(item, str):
            yield item, is_name_field(field)
        elif isinstance(item, dict):
            pending.extend((k, None) for k in item)
            pending.extend((v, k) for k, v in item.items())
        elif isinstance(item, (list, tuple)):
            pending.extend((element, field) for element in item)


def text_errors(data: Any) -> dict[str, list[str]]:
    """Each top-level field whose value holds refused text, with why."""
    if not isinstance(data, dict):
        return {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        problem = text_problem(name) if isinstance(name, str) else None
        if problem:
            errors["_body"] = [problem]
            continue
        for text, is_name in _strings(value, name):
            problem = text_problem(text, is_name)
            if problem:
                errors[name] = [problem]
                break
    return errors


class StrictSchema(Schema):
    """A request shape that refuses fields it does not know, and text that
    cannot be stored or shown honestly (see text_problem). An optional field
    sent as "" (what a web form sends for an empty input, or `?town=`) is taken
    as not sent, so it gets its default; a required field sent as "" is still
    checked, and refused by its own rules with a field message."""

    class Meta:
        unknown = RAISE

    # Requests check text. Public contracts (shared.contracts) do not: they
    # carry events already stored, which must keep flowing whatever they hold.
    checks_text = True

    @pre_load
    def _refuse_unsafe_text_and_drop_empty_optionals(self, data: Any, **_: Any) -> Any:
        errors = text_errors(data) if self.checks_text else {}
        if errors:
            raise ValidationError(errors)
        if not isinstance(data, Mapping):
            return data
        optional = {field.data_key or name for name, field in self.load_fields.items() if not field.required}
        return {key: value for key, value in data.items() if not (value == "" and key in optional)}


S = TypeVar("S", bound=Schema)


@functools.cache
def schema_of(schema_class: type[S]) -> S:
    """The one instance of a schema class this process uses. A marshmallow
    Schema keeps no state between loads and dumps, and building one (binding
    and copying every declared field) costs more than the load it serves, so
    entrypoints take it from here instead of building it per call."""
    return schema_class()


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
