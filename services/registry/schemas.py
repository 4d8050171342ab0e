"""Request and response shapes for the registry (shared with the gateway and
its OpenAPI document). Shape errors here are 400; rules in the domain are 422."""

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.registry.domain import roster_imports as roster
from services.registry.domain import rules
from services.registry.domain.child import ACTIVE, FACT_FIELDS, STATUSES
from shared.answers import Created, created_id
from shared.attachment_schemas import AttachFileFields, AttachmentFields, kind_field
from shared.attachments import KINDS as ATTACHMENT_KINDS
from shared.pagination import PageQuery, page_of
from shared.past_registers import AsOfQuery
from shared.validation import StrictSchema
from shared.vocabulary import CATEGORIES, RISK_LEVELS

ID_NUMBER = validate.Regexp(r"^[0-9]{17}[0-9X]$", error="must be 17 digits followed by a digit or X")
TEXT = validate.Length(min=1, max=100)
LONG_TEXT = validate.Length(min=1, max=2000)
NOT_BLANK = validate.Regexp(r"\s*\S", error="must not be blank")


class ParentSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(rules.PARENT_STATUSES))
    whereabouts = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "where a migrant parent works, e.g. 银川市"},
    )


class HouseholdSchema(StrictSchema):
    father = fields.Nested(ParentSchema, required=True)
    mother = fields.Nested(ParentSchema, required=True)
    economic_status = fields.String(
        required=True,
        validate=validate.OneOf(rules.ECONOMIC_STATUSES),
        metadata={"description": "dibao = 低保, tekun = 特困"},
    )


class GuardianSchema(StrictSchema):
    name = fields.String(load_default=None, allow_none=True, validate=TEXT)
    relation = fields.String(required=True, validate=validate.OneOf(rules.GUARDIAN_RELATIONS))
    age = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=120))
    health = fields.String(required=True, validate=validate.OneOf(rules.HEALTH))
    capacity = fields.String(
        required=True,
        validate=validate.OneOf(rules.CAPACITY),
        metadata={"description": "capacity to care for the child"},
    )


class MentalHealthSchema(StrictSchema):
    screened_on = fields.Date(required=True)
    result = fields.String(required=True, validate=validate.OneOf(rules.SCREENING_RESULTS))
    notes = fields.String(load_default=None, allow_none=True, validate=LONG_TEXT)


class ChildFacts(StrictSchema):
    name = fields.String(required=True, validate=TEXT)
    gender = fields.String(required=True, validate=validate.OneOf(rules.GENDERS))
    date_of_birth = fields.Date(required=True)
    id_number = fields.String(
        load_default=None,
        allow_none=True,
        validate=ID_NUMBER,
        metadata={"description": "resident ID number; null for a child without household registration"},
    )
    town = fields.String(required=True, validate=TEXT)
    village = fields.String(required=True, validate=TEXT)
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        required=True,
        validate=validate.Length(min=1),
    )
    school = fields.String(load_default=None, allow_none=True, validate=TEXT)
    school_status = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(rules.SCHOOL_STATUSES))
    household = fields.Nested(
        HouseholdSchema,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "parents' situation and economic status; "
            "left_behind and unattended need it (a file without it is flagged)"
        },
    )
    guardian = fields.Nested(GuardianSchema, load_default=None, allow_none=True)
    guardianship_status = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(rules.GUARDIANSHIP_STATUSES)
    )
    mental_health = fields.Nested(
        MentalHealthSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "sensitive: never in lists or integration events"},
    )
    distress_reasons = fields.List(fields.String(validate=validate.OneOf(rules.DISTRESS_REASONS)), load_default=list)


class RegisterChildRequest(ChildFacts):
    campaign_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "the screening campaign that found the child"}
    )
    contract_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "the contract this is done under (line 1); provider staff may name one of their "
            "organisation's contracts covering the place, otherwise it is derived; others leave it out"
        },
    )
    found_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "the day the child was found, for a paper form typed in later (default today)"},
    )


class CorrectionRequest(StrictSchema):
    field = fields.String(required=True, validate=validate.OneOf(FACT_FIELDS))
    value = fields.Raw(
        required=True, allow_none=True, metadata={"description": "the new value, shaped as at registration"}
    )
    reason = fields.String(required=True, validate=LONG_TEXT)

    @validates_schema(skip_on_field_errors=True)
    def _value_has_the_field_shape(self, data, **kwargs):
        load_value(data["field"], data["value"])


def load_value(field: str, value):
    """A correction's value, loaded by the same field as at registration."""
    try:
        return ChildFacts(only=(field,)).load({field: value})[field]
    except ValidationError as error:
        raise ValidationError({"value": error.messages.get(field, error.messages)}) from None


class VisitRequest(StrictSchema):
    visited_on = fields.Date(required=True)
    visitor = fields.String(required=True, validate=TEXT)
    findings = fields.String(required=True, validate=LONG_TEXT)
    follow_up = fields.String(load_default=None, allow_none=True, validate=LONG_TEXT)
    campaign_id = fields.UUID(load_default=None, allow_none=True)
    household = fields.String(
        load_default=None,
        allow_none=True,
        validate=TEXT,
        metadata={"description": "household label for campaign coverage; default the child"},
    )
    contract_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "the contract this is done under (line 1); provider staff may name one of their "
            "organisation's contracts covering the place, otherwise it is derived; others leave it out"
        },
    )


class AssessmentRequest(StrictSchema):
    level = fields.Integer(
        required=True,
        strict=True,
        validate=validate.OneOf(RISK_LEVELS),
        metadata={"description": "1 high, 2 medium, 3 low"},
    )
    reasons = fields.List(fields.String(validate=LONG_TEXT), required=True, validate=validate.Length(min=1))
    assessed_on = fields.Date(load_default=None, allow_none=True)


class TransferRequest(StrictSchema):
    destination = fields.String(required=True, validate=validate.Length(min=1, max=200))
    reason = fields.String(required=True, validate=LONG_TEXT)
    transferred_on = fields.Date(load_default=None, allow_none=True)


class MergeRequest(StrictSchema):
    merged_id = fields.UUID(required=True, metadata={"description": "the file merged away (it redirects to this one)"})
    reason = fields.String(required=True, validate=LONG_TEXT)


class DismissalRequest(StrictSchema):
    first_id = fields.UUID(required=True, metadata={"description": "one file of a candidate pair"})
    second_id = fields.UUID(required=True, metadata={"description": "the other file (order does not matter)"})
    reason = fields.String(
        required=True,
        validate=[LONG_TEXT, NOT_BLANK],
        metadata={"description": "why the two files are not the same child"},
    )


class DismissalWithdrawalRequest(StrictSchema):
    reason = fields.String(required=True, validate=[LONG_TEXT, NOT_BLANK])


class CampaignTarget(StrictSchema):
    town = fields.String(required=True, validate=TEXT)
    village = fields.String(required=True, validate=TEXT)
    households = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100000))


class CampaignRequest(StrictSchema):
    name = fields.String(required=True, validate=TEXT)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    targets = fields.List(fields.Nested(CampaignTarget), required=True, validate=validate.Length(min=1, max=500))
    contract_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "the contract this is done under (line 1); provider staff may name one of their "
            "organisation's contracts covering the place, otherwise it is derived; others leave it out"
        },
    )


# -- queries -----------------------------------------------------------------------


class ChildListQuery(PageQuery, AsOfQuery):
    town = fields.String(load_default=None, validate=TEXT)
    village = fields.String(load_default=None, validate=TEXT)
    category = fields.String(load_default=None, validate=validate.OneOf(CATEGORIES))
    tier = fields.Integer(load_default=None, validate=validate.OneOf(RISK_LEVELS))
    guardianship_status = fields.String(load_default=None, validate=validate.OneOf(rules.GUARDIANSHIP_STATUSES))
    status = fields.String(load_default=ACTIVE, validate=validate.OneOf(STATUSES))
    q = fields.String(load_default=None, validate=TEXT, metadata={"description": "part of the name"})


class CampaignListQuery(PageQuery):
    contract_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "only campaigns run under this contract (line 1); provider staff must name one "
            "of their organisation's contracts"
        },
    )


class OverdueQuery(PageQuery, AsOfQuery):
    town = fields.String(load_default=None, validate=TEXT)
    village = fields.String(load_default=None, validate=TEXT)
    tier = fields.Integer(load_default=None, validate=validate.OneOf(RISK_LEVELS))


class VisitListQuery(PageQuery, AsOfQuery):
    town = fields.String(load_default=None, validate=TEXT)
    village = fields.String(load_default=None, validate=TEXT)
    visited_from = fields.Date(load_default=None)
    visited_to = fields.Date(load_default=None)


class ContactsDueQuery(StrictSchema):
    town = fields.String(load_default=None, validate=TEXT)
    village = fields.String(load_default=None, validate=TEXT)


class ContactDueSchema(Schema):
    child_id = fields.UUID()
    name = fields.String()
    town = fields.String()
    village = fields.String()
    status = fields.String()
    tier = fields.Integer()
    due_on = fields.Date()


class DuplicatesQuery(PageQuery):
    min_score = fields.Float(load_default=0.6, validate=validate.Range(min=0, max=1))


class ChildQuery(StrictSchema):
    as_of = fields.AwareDateTime(
        load_default=None, metadata={"description": "the file as it stood then (ISO 8601 with zone)"}
    )


# -- responses ------------------------------------------------------------------------


class RegisteredChild(Created):
    id = created_id("child_id", "the new file's id")
    child_id = fields.UUID(required=True)


class VisitSchema(Schema):
    visit_id = fields.UUID()
    visited_on = fields.Date()
    visitor = fields.String()
    findings = fields.String()
    follow_up = fields.String(allow_none=True)
    campaign_id = fields.UUID(allow_none=True)
    household = fields.String(allow_none=True)
    contract_id = fields.UUID(allow_none=True)


class RiskSchema(Schema):
    level = fields.Integer()
    reasons = fields.List(fields.String())
    assessed_on = fields.Date()
    next_contact_due = fields.Date()


class HelpRecordSchema(Schema):
    event_id = fields.String()
    type = fields.String()
    on = fields.Date()
    reference_id = fields.UUID()
    service_line = fields.String(allow_none=True)
    case_id = fields.UUID(allow_none=True)
    details = fields.Dict()


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
    school = fields.String(allow_none=True)
    school_status = fields.String(allow_none=True)
    household = fields.Nested(HouseholdSchema, allow_none=True)
    guardian = fields.Nested(GuardianSchema, allow_none=True)
    guardianship_status = fields.String(allow_none=True)
    mental_health = fields.Nested(MentalHealthSchema, allow_none=True)
    distress_reasons = fields.List(fields.String())
    pending_facts = fields.List(
        fields.String(), metadata={"description": "facts a category needs that are not stated yet"}
    )
    registered_on = fields.Date(required=True)
    campaign_id = fields.UUID(allow_none=True)
    contract_id = fields.UUID(allow_none=True, metadata={"description": "the contract the file was opened under"})
    found_on = fields.Date(metadata={"description": "the day the child was found (a paper form may be typed later)"})
    status = fields.String()
    closed_on = fields.Date(allow_none=True)
    transferred_to = fields.String(allow_none=True)
    merged_into = fields.UUID(allow_none=True)
    merged_from = fields.List(fields.UUID())
    risk = fields.Nested(RiskSchema, allow_none=True)
    last_contact_on = fields.Date(allow_none=True)
    visits = fields.List(fields.Nested(VisitSchema))
    help_records = fields.List(fields.Nested(HelpRecordSchema))
    version = fields.Integer(required=True)
    created_on = fields.AwareDateTime(required=True)
    modified_on = fields.AwareDateTime(required=True)


class ChildSummary(Schema):
    """A list row: no ID number, no mental-health data."""

    child_id = fields.UUID()
    name = fields.String()
    gender = fields.String()
    date_of_birth = fields.Date()
    town = fields.String()
    village = fields.String()
    categories = fields.List(fields.String())
    school_status = fields.String(allow_none=True)
    guardianship_status = fields.String(allow_none=True)
    status = fields.String()
    registered_on = fields.Date()
    without_household_registration = fields.Boolean()
    pending_facts = fields.List(fields.String())
    tier = fields.Integer(allow_none=True)
    last_contact_on = fields.Date(allow_none=True)
    visits = fields.Integer()
    help_records = fields.Integer()


ChildPage = page_of(ChildSummary, "ChildPage", as_at=True)


class VisitListItem(Schema):
    """A home visit, with the child it was to and where the file stands now."""

    visit_id = fields.UUID()
    child_id = fields.UUID()
    name = fields.String()
    town = fields.String()
    village = fields.String()
    visited_on = fields.Date()
    visitor = fields.String()
    findings = fields.String()
    follow_up = fields.String(allow_none=True)
    household = fields.String(allow_none=True)


VisitPage = page_of(VisitListItem, "VisitPage", as_at=True)


class ChangeSchema(Schema):
    version = fields.Integer()
    event = fields.String()
    at = fields.String(metadata={"description": "ISO 8601 timestamp"})
    actor = fields.Dict()
    correlation_id = fields.String()
    reason = fields.String(allow_none=True)
    data = fields.Dict()


class HistorySchema(Schema):
    child_id = fields.UUID()
    changes = fields.List(fields.Nested(ChangeSchema))


class CorrectedSchema(Created):
    id = created_id("child_id", "the corrected file's id (the correction is in its history)")
    child_id = fields.UUID()
    version = fields.Integer()


class VisitRecordedSchema(Created):
    id = created_id("visit_id", "the new visit's id")
    child_id = fields.UUID()
    visit_id = fields.UUID()


class AssessedSchema(Created, RiskSchema):
    id = created_id("child_id", "the assessed file's id (the assessment is in its history)")
    child_id = fields.UUID()


class TransferredSchema(Schema):
    child_id = fields.UUID()
    status = fields.String()
    closed_on = fields.Date()


class MergedSchema(Created):
    id = created_id("survivor_id", "the surviving file's id")
    survivor_id = fields.UUID()
    merged_id = fields.UUID()
    merged_on = fields.Date()


class OverdueSchema(Schema):
    child_id = fields.UUID()
    name = fields.String()
    town = fields.String()
    village = fields.String()
    tier = fields.Integer()
    cadence_days = fields.Integer()
    last_contact_on = fields.Date(allow_none=True)
    last_visitor = fields.String(allow_none=True)
    due_on = fields.Date()
    days_overdue = fields.Integer()


OverduePage = page_of(OverdueSchema, "OverduePage", as_at=True)


class DuplicatePair(Schema):
    score = fields.Float()
    first = fields.Nested(ChildSummary)
    second = fields.Nested(ChildSummary)


DuplicatePage = page_of(DuplicatePair, "DuplicatePage")


class DismissalSchema(Created):
    id = created_id("dismissal_id", "the dismissal's id")
    dismissal_id = fields.UUID(metadata={"description": "the same for every dismissal of this pair"})
    first_id = fields.UUID()
    second_id = fields.UUID()
    standing = fields.Boolean(metadata={"description": "false once withdrawn"})
    reason = fields.String(metadata={"description": "why the pair was dismissed"})
    dismissed_on = fields.Date()
    withdrawn_on = fields.Date(allow_none=True)
    version = fields.Integer()


class DismissedPair(Schema):
    dismissal_id = fields.UUID()
    reason = fields.String()
    dismissed_on = fields.Date()
    first = fields.Nested(ChildSummary)
    second = fields.Nested(ChildSummary)


DismissalPage = page_of(DismissedPair, "DismissalPage")


class StatisticsSchema(Schema):
    active = fields.Integer()
    closed = fields.Integer()
    by_town = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_guardianship_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_tier = fields.Dict(keys=fields.String(), values=fields.Integer())


class CampaignSchema(Schema):
    campaign_id = fields.UUID()
    name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    planned_on = fields.Date()
    targets = fields.List(fields.Nested(CampaignTarget))
    contract_id = fields.UUID(allow_none=True)


class CampaignCreated(Created):
    id = created_id("campaign_id", "the new campaign's id")
    campaign_id = fields.UUID()


CampaignPage = page_of(CampaignSchema, "CampaignPage")


class VillageCoverage(Schema):
    town = fields.String()
    village = fields.String()
    target_households = fields.Integer()
    visited_households = fields.Integer()
    coverage_percent = fields.Float()
    children_found = fields.Integer()


class CoverageSchema(Schema):
    campaign_id = fields.UUID()
    name = fields.String()
    contract_id = fields.UUID(allow_none=True, metadata={"description": "the contract it is run under"})
    villages = fields.List(fields.Nested(VillageCoverage))
    target_households = fields.Integer()
    visited_households = fields.Integer()
    coverage_percent = fields.Float()
    children_found = fields.Integer()


class DailyRunSchema(Schema):
    left_behind_ended = fields.Integer()
    aged_out = fields.Integer()


# -- a roster file's import (issue 17) ------------------------------------------------------

ROSTER_BATCH_MAX = 500  # rows in one RPC: a batch is checked or saved well within the RPC deadline
ROSTER_MAX_ROWS = 20_000
_MISSING = "Missing data for required field."


class RosterProblemSchema(Schema):
    code = fields.String(required=True, validate=validate.OneOf(roster.ROW_CODES))
    field = fields.String(required=True, validate=validate.Length(max=100))
    message = fields.String(required=True, validate=validate.Length(max=500))


class RosterRowSchema(StrictSchema):
    row = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=ROSTER_MAX_ROWS + 10))
    facts = fields.Dict(keys=fields.String(), required=True, metadata={"description": "shaped as POST /children"})


class RosterRefusalSchema(Schema):
    row = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    problems = fields.List(fields.Nested(RosterProblemSchema), required=True)


class RosterCheckRequest(StrictSchema):
    rows = fields.List(fields.Nested(RosterRowSchema), required=True, validate=validate.Length(max=ROSTER_BATCH_MAX))


class RosterCheck(Schema):
    rows = fields.List(fields.Nested(RosterRefusalSchema), required=True)


class RosterStartRequest(StrictSchema):
    file_sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    rows = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=ROSTER_MAX_ROWS))


class RosterBatchRequest(StrictSchema):
    rows = fields.List(fields.Nested(RosterRowSchema), required=True, validate=validate.Length(max=ROSTER_BATCH_MAX))
    refused = fields.List(
        fields.Nested(RosterRefusalSchema), load_default=list, validate=validate.Length(max=ROSTER_BATCH_MAX)
    )


class RosterProgress(Created):
    import_id = fields.UUID(required=True)
    id = created_id("import_id")
    file_sha256 = fields.String(required=True)
    started_by = fields.String(required=True)
    started_on = fields.Date(required=True)
    rows = fields.Integer(required=True, metadata={"description": "rows in the file"})
    rows_done = fields.Integer(required=True)
    created = fields.Integer(required=True)
    already_imported = fields.Integer(required=True, metadata={"description": "created by an earlier import"})
    refused = fields.Integer(required=True)
    finished = fields.Boolean(required=True)
    refusals = fields.List(fields.Nested(RosterRefusalSchema), metadata={"description": "each refused row, why"})


def schema_problems(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """A row's schema errors as roster problems, one per reason."""
    found = []
    for key, reasons in messages.items() if isinstance(messages, dict) else [("_row", messages)]:
        name = f"{prefix}{key}"
        if isinstance(reasons, dict):
            found += schema_problems(reasons, f"{name}.")
            continue
        for reason in reasons if isinstance(reasons, list) else [reasons]:
            if isinstance(reason, dict):
                found += schema_problems(reason, f"{name}.")
            elif reason == _MISSING:
                found.append(roster.problem(roster.MISSING_FIELD, name, "is required"))
            elif name == "id_number":
                found.append(roster.problem(roster.ID_NUMBER_SHAPE, name, str(reason)))
            else:
                found.append(roster.problem(roster.INVALID_VALUE, name, str(reason)))
    return found


def roster_rows(rows: list[dict[str, Any]]) -> tuple[list[tuple[int, dict[str, Any]]], dict[int, list]]:
    """Each row's facts loaded as POST /children loads them, or its problems."""
    facts = ChildFacts()
    loaded, refused = [], {}
    for entry in rows:
        try:
            loaded.append((entry["row"], facts.load(entry["facts"])))
        except ValidationError as error:
            refused[entry["row"]] = schema_problems(error.messages)
    return loaded, refused


# -- attachments (a signed consent form, a photo of a visit) ------------------------------


class AttachFileRequest(AttachFileFields):
    """What the gateway sends once it has stored the bytes (shared/attachment_schemas.py)."""

    kind = kind_field(ATTACHMENT_KINDS, required=True)


class AttachmentSchema(AttachmentFields):
    child_id = fields.UUID()
    kind = kind_field(ATTACHMENT_KINDS)


class AttachmentList(Schema):
    child_id = fields.UUID()
    items = fields.List(fields.Nested(AttachmentSchema))
