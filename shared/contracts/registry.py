"""Contracts published by the registry service."""
from marshmallow import RAISE, Schema, fields, validate

from shared.contracts import contract

CATEGORIES = ("left_behind", "distressed", "unattended")


@contract("registry.child_registered.v1")
class ChildRegisteredV1(Schema):
    """A child's file was opened. Carries no ID number or health data: other
    services need to know the child exists and where, not who in detail."""

    class Meta:
        unknown = RAISE

    child_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    gender = fields.String(required=True, validate=validate.OneOf(("male", "female")))
    date_of_birth = fields.Date(required=True)
    town = fields.String(required=True, validate=validate.Length(min=1, max=100))
    village = fields.String(required=True, validate=validate.Length(min=1, max=100))
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)), required=True
    )
    registered_on = fields.Date(required=True)
