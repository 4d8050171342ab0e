"""The gateway's own shapes: health, sign-in, accounts and the access log.
(Routes forwarded to a service use that service's schemas.)"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.gateway.domain import ROLES, tasks
from shared.answers import Created, created_id
from shared.pagination import PageQuery, page_of
from shared.validation import StrictSchema


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok or degraded"})
    rabbitmq = fields.Dict(required=True)
    services = fields.Dict(required=True)
    gateway = fields.Dict(required=True, metadata={"description": "the gateway's own store: its sealer"})


# -- sign-in and accounts ---------------------------------------------------------------

USERNAME = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$", error="2-64 letters, digits or . _ @ -, starting with a letter or digit"
)


class TokenRequest(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"description": "always Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})
    role = fields.String(required=True)


class ScopeSchema(StrictSchema):
    organization_id = fields.String(
        validate=validate.Regexp(r"^[0-9a-fA-F-]{36}$", error="must be a UUID"),
        metadata={"description": "provider_staff"},
    )
    town = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "child_director"})
    village = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "child_director"})
    panel_member_ids = fields.List(
        fields.String(validate=validate.Regexp(r"^[0-9a-fA-F-]{36}$", error="must be a UUID")),
        validate=validate.Length(min=1, max=100),
        metadata={"description": "reviewer: their seats on calls' review panels"},
    )


class NewUserRequest(StrictSchema):
    username = fields.String(required=True, validate=USERNAME)
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    scope = fields.Nested(ScopeSchema, load_default=dict)
    password = fields.String(required=True, validate=validate.Length(min=12, max=1024))


class UserQuery(PageQuery):
    # The cursor is a position in the gateway's log; only ASCII digits name one
    # ("²" is a digit to str.isdigit, not to int).
    cursor = fields.String(
        load_default=None,
        validate=validate.Regexp(r"\A[0-9]{1,18}\Z", error="is not a cursor this list returned"),
        metadata={"description": "next_cursor of the previous page"},
    )


class PasswordRequest(StrictSchema):
    password = fields.String(required=True, validate=validate.Length(min=12, max=1024))


class DisableRequest(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class UserSchema(Schema):
    user_id = fields.UUID(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    scope = fields.Dict(required=True)
    active = fields.Boolean(required=True)


class CreatedUser(Created, UserSchema):
    id = created_id("user_id", "the new account's id")


UserPage = page_of(UserSchema, "UserPage")


class AccessLogQuery(StrictSchema):
    child_id = fields.UUID(load_default=None)
    actor = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    read_from = fields.Date(load_default=None, metadata={"description": "reads on or after this day (Beijing time)"})
    read_to = fields.Date(load_default=None, metadata={"description": "reads on or before this day (Beijing time)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    cursor = fields.Integer(load_default=None, validate=validate.Range(min=0), strict=False)

    @validates_schema(skip_on_field_errors=True)
    def days_that_run_forward(self, data, **kwargs):
        if data.get("read_from") and data.get("read_to") and data["read_to"] < data["read_from"]:
            raise ValidationError(["must not be before read_from"], "read_to")


class AccessRecordSchema(Schema):
    position = fields.Integer(required=True)
    actor = fields.String(required=True)
    role = fields.String(required=True)
    child_id = fields.String(required=True)
    route = fields.String(required=True)
    path = fields.String(required=True)
    status = fields.Integer(required=True)
    at = fields.AwareDateTime(required=True)


AccessLogPage = page_of(AccessRecordSchema, "AccessLogPage")


class SessionSchema(UserSchema):
    """A browser session (POST/GET /auth/session); the token itself is in the HttpOnly cookie."""

    csrf_token = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "send it as X-CSRF-Token on unsafe requests; null for bearer callers"},
    )
    expires_in = fields.Integer(metadata={"description": "seconds; on sign-in"})


# -- what is due for me (GET /me/tasks) ----------------------------------------------


class TasksQuery(StrictSchema):
    within_days = fields.Integer(
        load_default=tasks.DEFAULT_HORIZON_DAYS,
        validate=validate.Range(min=0, max=tasks.MAX_HORIZON_DAYS),
        metadata={"description": "besides what is overdue, what falls due within this many days"},
    )


class TaskSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(tasks.KINDS))
    code = fields.String(required=True, validate=validate.OneOf(tasks.CODES))
    due_on = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)
    overdue = fields.Boolean(required=True)
    title = fields.String(required=True, metadata={"description": "a child's name, a contract's organisation…"})
    link = fields.String(required=True, metadata={"description": "the API path of the record"})
    child_id = fields.String()
    contract_id = fields.String()


class TasksSchema(Schema):
    today = fields.Date(required=True)
    within_days = fields.Integer(required=True)
    items = fields.List(fields.Nested(TaskSchema), required=True)
