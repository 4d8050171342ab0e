"""Gateway-only shapes: query strings and health."""
from marshmallow import RAISE, Schema, fields, validate


class PageQuery(Schema):
    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=50, strict=False, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok or degraded"})
    rabbitmq = fields.Dict(required=True)
    services = fields.Dict(required=True)
