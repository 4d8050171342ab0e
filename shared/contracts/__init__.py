"""Public integration-event contracts: `<service>.<event>.v<N>` → payload schema.

A contract never changes once published; a new shape is a new version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import Schema, ValidationError

_CONTRACTS: dict[str, type[Schema]] = {}
# One instance per contract, built on first use: a marshmallow Schema holds no
# per-call state, and building one (binding every field) costs more than a load.
_INSTANCES: dict[str, Schema] = {}
_loaded = False


def contract(event_type: str) -> Callable[[type[Schema]], type[Schema]]:
    def register(schema_class: type[Schema]) -> type[Schema]:
        if event_type in _CONTRACTS:
            raise ValueError(f"contract {event_type} is defined twice")
        _CONTRACTS[event_type] = schema_class
        _carries_history(schema_class)
        return schema_class

    return register


def _carries_history(schema_class: type[Schema]) -> None:
    """A contract (and the shapes it nests) loads what was stored before
    today's request rules, so it skips StrictSchema's text checks."""
    setattr(schema_class, "checks_text", False)  # noqa: B010 - not every Schema declares it
    for declared in schema_class._declared_fields.values():
        nested = getattr(getattr(declared, "inner", declared), "nested", None)
        if isinstance(nested, type) and issubclass(nested, Schema):
            _carries_history(nested)


def known_types() -> list[str]:
    _load_all()
    return sorted(_CONTRACTS)


def schema_for(event_type: str) -> Schema:
    found = _INSTANCES.get(event_type)
    if found is not None:
        return found
    _load_all()
    try:
        schema_class = _CONTRACTS[event_type]
    except KeyError:
        raise ValidationError({"type": [f"unknown event type {event_type!r}"]}) from None
    return _INSTANCES.setdefault(event_type, schema_class())


def dump_payload(event_type: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    schema = schema_for(event_type)
    dumped: dict[str, Any] = schema.dump(payload)
    schema.load(dumped)  # validate what we are about to publish
    return dumped


def load_payload(event_type: str, payload: Any) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = schema_for(event_type).load(payload)
        return loaded
    except ValidationError as error:
        raise ValidationError({"payload": error.messages}) from None


def _load_all() -> None:
    """Imports every contract module (which registers its contracts) once per
    process: the module walk is not for the per-event path."""
    global _loaded
    if _loaded:
        return
    import importlib
    import pkgutil

    import shared.contracts as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    _loaded = True
