"""Contracts published by the registry service. They never carry ID numbers or
mental-health details: other services need to know that a child exists, where,
and how urgently, not who in detail."""

from marshmallow import fields, validate

from shared.contracts import contract
from shared.contracts.common import CATEGORIES, RISK_LEVELS
from shared.validation import StrictSchema


@contract("registry.child_registered.v1")
class ChildRegisteredV1(StrictSchema):
    child_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    gender = fields.String(required=True, validate=validate.OneOf(("male", "female")))
    date_of_birth = fields.Date(required=True)
    town = fields.String(required=True, validate=validate.Length(min=1, max=100))
    village = fields.String(required=True, validate=validate.Length(min=1, max=100))
    categories = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), required=True)
    registered_on = fields.Date(required=True)


@contract("registry.child_registered.v2")
class ChildRegisteredV2(ChildRegisteredV1):
    """v2: the contract the file was opened under (line 1, 摸底走访建档; null for
    the bureau's and directors' files), the screening campaign that found the
    child, and the day it was found (a paper form may be typed in later)."""

    contract_id = fields.UUID(required=True, allow_none=True)
    campaign_id = fields.UUID(required=True, allow_none=True)
    found_on = fields.Date(required=True)


@contract("registry.child_details_corrected.v1")
class ChildDetailsCorrectedV1(StrictSchema):
    """`value` is the new value of a public field (name, gender, date_of_birth,
    town, village, categories, school…), and null for private fields."""

    child_id = fields.UUID(required=True)
    field = fields.String(required=True)
    value = fields.Raw(required=True, allow_none=True)
    corrected_on = fields.Date(required=True)


@contract("registry.risk_level_assessed.v1")
class RiskLevelAssessedV1(StrictSchema):
    child_id = fields.UUID(required=True)
    level = fields.Integer(required=True, strict=True, validate=validate.OneOf(RISK_LEVELS))
    assessed_on = fields.Date(required=True)
    next_contact_due = fields.Date(required=True)


@contract("registry.visit_recorded.v1")
class VisitRecordedV1(StrictSchema):
    child_id = fields.UUID(required=True)
    visit_id = fields.UUID(required=True)
    visited_on = fields.Date(required=True)
    visitor = fields.String(required=True)
    campaign_id = fields.UUID(required=True, allow_none=True)


@contract("registry.visit_recorded.v2")
class VisitRecordedV2(VisitRecordedV1):
    """v2: the contract the visit was made under (null: the bureau's or a
    director's) and the household visited (null: the child's own)."""

    contract_id = fields.UUID(required=True, allow_none=True)
    household = fields.String(required=True, allow_none=True)


@contract("registry.files_merged.v1")
class FilesMergedV1(StrictSchema):
    survivor_id = fields.UUID(required=True)
    merged_id = fields.UUID(required=True)
    merged_on = fields.Date(required=True)


@contract("registry.left_behind_status_ended.v1")
class LeftBehindStatusEndedV1(StrictSchema):
    child_id = fields.UUID(required=True)
    ended_on = fields.Date(required=True)


@contract("registry.child_aged_out.v1")
class ChildAgedOutV1(StrictSchema):
    child_id = fields.UUID(required=True)
    aged_out_on = fields.Date(required=True)


@contract("registry.child_transferred_out.v1")
class ChildTransferredOutV1(StrictSchema):
    child_id = fields.UUID(required=True)
    transferred_on = fields.Date(required=True)
    destination = fields.String(required=True, validate=validate.Length(min=1, max=200))
