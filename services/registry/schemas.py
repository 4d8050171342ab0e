"""Request and response shapes for the registry (shared with the gateway and
its OpenAPI document)."""
from marshmallow import RAISE, Schema, fields, validate

from services.registry.domain import CATEGORIES, GENDERS

ID_NUMBER = validate.Regexp(r"^[0-9]{17}[0-9X]$", error="must be 17 digits followed by a digit or X")


class RegisterChildRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    gender = fields.String(required=True, validate=validate.OneOf(GENDERS))
    date_of_birth = fields.Date(required=True)
    id_number = fields.String(
        load_default=None, allow_none=True, validate=ID_NUMBER,
        metadata={"description": "resident ID number; null for a child without household registration"},
    )
    town = fields.String(required=True, validate=validate.Length(min=1, max=100))
    village = fields.String(required=True, validate=validate.Length(min=1, max=100))
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        required=True, validate=validate.Length(min=1),
    )


class RegisteredChild(Schema):
    child_id = fields.UUID(required=True)


class ChildFile(Schema):
    child_id = fields.UUID(required=True)
    name = fields.String(required=True)
    gender = fields.String(required=True)
    date_of_birth = fields.Date(required=True)
    id_number = fields.String(allow_none=True)
    without_household_registration = fields.Boolean(required=True)
    town = fields.String(required=True)
    village = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    registered_on = fields.Date(required=True)
    version = fields.Integer(required=True)
    created_on = fields.AwareDateTime(required=True)
    modified_on = fields.AwareDateTime(required=True)
