"""Contracts published by casework: every service to a child, which the
registry adds to the child's help records (关爱帮扶记录)."""

from marshmallow import fields, validate

from shared.contracts import contract
from shared.contracts.common import NON_NEGATIVE, SERVICE_LINE
from shared.validation import StrictSchema

CLOSURE_REASONS = ("goals_met", "aged_out", "moved_away", "transferred", "other")


@contract("casework.case_opened.v1")
class CaseOpenedV1(StrictSchema):
    case_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True, allow_none=True)
    opened_on = fields.Date(required=True)
    worker = fields.String(required=True)


@contract("casework.session_held.v1")
class SessionHeldV1(StrictSchema):
    """A session of an individual case."""

    case_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    session_id = fields.UUID(required=True)
    held_on = fields.Date(required=True)
    session_type = fields.String(required=True)
    duration_minutes = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    worker = fields.String(required=True)


@contract("casework.case_closed.v1")
class CaseClosedV1(StrictSchema):
    case_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    closed_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(CLOSURE_REASONS))


@contract("casework.group_session_held.v1")
class GroupSessionHeldV1(StrictSchema):
    group_id = fields.UUID(required=True)
    session_id = fields.UUID(required=True)
    held_on = fields.Date(required=True)
    service_line = fields.String(required=True, validate=SERVICE_LINE)
    attended_child_ids = fields.List(fields.UUID(), required=True)


@contract("casework.activity_held.v1")
class ActivityHeldV1(StrictSchema):
    """Community work: themed activities, safety education, publicity."""

    activity_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True, allow_none=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    held_on = fields.Date(required=True)
    service_line = fields.String(required=True, validate=SERVICE_LINE)
    child_ids = fields.List(fields.UUID(), required=True)
    guardian_count = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    community_count = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    town = fields.String(required=True, allow_none=True)
    village = fields.String(required=True, allow_none=True)


@contract("casework.care_service_given.v1")
class CareServiceGivenV1(StrictSchema):
    """Life care and age-appropriate services to one child."""

    service_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True, allow_none=True)
    given_on = fields.Date(required=True)
    service_line = fields.String(required=True, validate=SERVICE_LINE)
    kind = fields.String(required=True)
    value_fen = fields.Integer(required=True, strict=True, allow_none=True, validate=NON_NEGATIVE)
    resource = fields.String(required=True, allow_none=True)


@contract("casework.supervision_held.v1")
class SupervisionHeldV1(StrictSchema):
    supervision_id = fields.UUID(required=True)
    held_on = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("supervision", "cross_learning")))
    director_ids = fields.List(fields.UUID(), required=True)
