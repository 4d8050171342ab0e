"""The shape every create answers with: the new record's `id`, whatever else
the service adds (a file's `child_id`, a visit's `visit_id`...). The gateway
answers it with 201 and a Location (services/gateway/web/routes.py)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

ID_DESCRIPTION = "the new record's id"


class Created(Schema):
    """A create's answer: `id`, and in subclasses the service's own fields."""

    id = fields.UUID(required=True, metadata={"description": ID_DESCRIPTION})


def created_id(attribute: str, description: str = ID_DESCRIPTION) -> Any:
    """`id` for an answer that already names the record by another field:
    `id = created_id("child_id")` answers the same value under both names."""
    return fields.UUID(
        required=True, dump_only=True, attribute=attribute, metadata={"description": f"{description} (= {attribute})"}
    )
