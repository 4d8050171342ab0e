"""Response shapes for casework."""
from marshmallow import Schema, fields


class RosterChildSchema(Schema):
    child_id = fields.UUID(required=True)
    name = fields.String(required=True)
    date_of_birth = fields.Date(required=True)
    town = fields.String(required=True)
    village = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    enrolled_at = fields.AwareDateTime(required=True)


class RosterPage(Schema):
    items = fields.List(fields.Nested(RosterChildSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
