"""Request and response shapes for casework (shared with the gateway and its
OpenAPI document). Shape errors are 400s here; rules that need state are the
application's (422/409)."""

from marshmallow import Schema, ValidationError, fields, post_load, validate

from services.casework.domain.activities import KINDS as ACTIVITY_KINDS
from services.casework.domain.activities import SAFETY_TOPICS
from services.casework.domain.care import KINDS as CARE_KINDS
from services.casework.domain.cases import CLOSURE_REASONS, GOAL_STATUSES, SESSION_TYPES
from services.casework.domain.directors import SUPERVISION_KINDS
from services.casework.domain.project_supervision import FOCUS_AREAS, FORMATS, MAX_STAFF
from services.casework.domain.rules import MAX_SESSION_MINUTES
from shared.answers import Created
from shared.pagination import PageQuery, page_of
from shared.past_registers import AsOfQuery
from shared.validation import StrictSchema
from shared.vocabulary import SERVICE_LINES

TEXT = validate.Length(min=1, max=200)
NOTES = validate.Length(max=4000)
MINUTES = validate.Range(min=1, max=MAX_SESSION_MINUTES)
COUNT = validate.Range(min=0, max=100000)


def _contract_id():
    return fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "the service contract this work is delivered under"},
    )


# Roster -----------------------------------------------------------------------
class RosterChildSchema(Schema):
    child_id = fields.UUID(required=True)
    name = fields.String(required=True)
    date_of_birth = fields.Date(required=True)
    town = fields.String(required=True)
    village = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    enrolled_at = fields.AwareDateTime(required=True)
    risk_level = fields.Integer(allow_none=True)
    next_contact_due = fields.Date(allow_none=True)
    in_programme = fields.Boolean()
    left = fields.Dict(allow_none=True)
    open_case_ids = fields.List(fields.UUID())
    referrals = fields.List(fields.Nested(lambda: ReferralRow()))


class RosterRowSchema(Schema):
    """A child as the roster lists them: what the list keeps for every child.
    Tier, due date, cases and referrals are on the child's own record."""

    child_id = fields.UUID(required=True)
    name = fields.String(required=True)
    date_of_birth = fields.Date(required=True)
    town = fields.String(required=True)
    village = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    enrolled_at = fields.AwareDateTime(required=True)
    in_programme = fields.Boolean(required=True)


RosterPage = page_of(RosterRowSchema, "RosterPage")


# Reach: the children a contract serves -----------------------------------------
class ReferralRequest(StrictSchema):
    contract_id = fields.UUID(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    referred_on = fields.Date(load_default=None, metadata={"description": "default today; never in the future"})


class ReferralWithdrawalRequest(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    withdrawn_on = fields.Date(load_default=None, metadata={"description": "default today; never in the future"})


class ReferralRow(Schema):
    contract_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    referred_by = fields.String(required=True)
    referred_on = fields.Date(required=True)


class ReachQuery(StrictSchema):
    organization_id = fields.UUID(load_default=None)


class ReachRow(Schema):
    contract_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    via = fields.String(required=True, metadata={"description": "service_area or referral"})


class ReachAnswer(Schema):
    child_id = fields.UUID(required=True)
    contracts = fields.List(fields.Nested(ReachRow), required=True)


CaseworkCreated = Created  # every create answers the shared shape (shared/answers.py)


# Cases ------------------------------------------------------------------------
class OpenCaseRequest(StrictSchema):
    child_id = fields.UUID(required=True)
    contract_id = _contract_id()
    worker = fields.String(required=True, validate=TEXT)
    opened_on = fields.Date(required=True)
    referral_source = fields.String(load_default="", validate=validate.Length(max=200))
    presenting_needs = fields.String(load_default="", validate=NOTES, metadata={"description": "intake"})


class CaseAssessmentRequest(StrictSchema):
    assessed_on = fields.Date(required=True)
    worker = fields.String(required=True, validate=TEXT)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    needs = fields.List(fields.String(validate=TEXT), required=True, validate=validate.Length(min=1, max=50))


class CaseGoalRequest(StrictSchema):
    description = fields.String(required=True, validate=validate.Length(min=1, max=500))
    target_date = fields.Date(load_default=None, allow_none=True)


class CasePlanRequest(StrictSchema):
    planned_on = fields.Date(required=True)
    worker = fields.String(required=True, validate=TEXT)
    goals = fields.List(fields.Nested(CaseGoalRequest), required=True, validate=validate.Length(min=1, max=20))


class PlanSet(Schema):
    goal_ids = fields.List(fields.UUID(), required=True)


class CaseSessionRequest(StrictSchema):
    held_on = fields.Date(required=True)
    worker = fields.String(required=True, validate=TEXT)
    session_type = fields.String(required=True, validate=validate.OneOf(SESSION_TYPES))
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)
    notes = fields.String(load_default="", validate=NOTES)


class GoalProgressRequest(StrictSchema):
    goal_id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(GOAL_STATUSES))


class CaseReviewRequest(StrictSchema):
    reviewed_on = fields.Date(required=True)
    worker = fields.String(required=True, validate=TEXT)
    goal_progress = fields.List(
        fields.Nested(GoalProgressRequest), required=True, validate=validate.Length(min=1, max=20)
    )
    notes = fields.String(load_default="", validate=NOTES)


class CaseClosureRequest(StrictSchema):
    closed_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(CLOSURE_REASONS))
    worker = fields.String(required=True, validate=TEXT)
    summary = fields.String(load_default="", validate=NOTES)


class FlagSchema(Schema):
    why = fields.String()
    suggested_reason = fields.String()
    flagged_on = fields.Date()


class CaseSummary(Schema):
    case_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    contract_id = fields.UUID(allow_none=True)
    worker = fields.String()
    opened_on = fields.Date()
    status = fields.String(metadata={"description": "open or closed"})
    closed_on = fields.Date(allow_none=True)
    closure_reason = fields.String(allow_none=True)
    sessions = fields.Integer()
    flagged_for_closure = fields.Nested(
        FlagSchema, allow_none=True, metadata={"description": "set when the child left the programme"}
    )


CasePage = page_of(CaseSummary, "CasePage", as_at=True)


class CaseDetail(Schema):
    case_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    contract_id = fields.UUID(allow_none=True)
    worker = fields.String()
    opened_on = fields.Date()
    referral_source = fields.String()
    presenting_needs = fields.String()
    status = fields.String()
    assessments = fields.List(fields.Dict())
    goals = fields.List(fields.Dict())
    sessions = fields.List(fields.Dict())
    reviews = fields.List(fields.Dict())
    closure = fields.Dict(allow_none=True)
    flagged_for_closure = fields.Nested(FlagSchema, allow_none=True)
    version = fields.Integer()


class CaseQuery(PageQuery, AsOfQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "closed")))
    child_id = fields.UUID(load_default=None)
    contract_id = fields.UUID(load_default=None)
    flagged = fields.Boolean(load_default=None, metadata={"description": "open cases flagged for closure"})


class CaseDuesQuery(StrictSchema):
    contract_ids = fields.List(fields.UUID(), load_default=None, validate=validate.Length(max=1000))


class DueGoal(Schema):
    goal_id = fields.UUID()
    description = fields.String()
    target_date = fields.Date(allow_none=True)
    status = fields.String()


class CaseDue(Schema):
    case_id = fields.UUID()
    child_id = fields.UUID()
    child_name = fields.String()
    child_active = fields.Boolean()
    contract_id = fields.UUID(allow_none=True)
    goals = fields.List(fields.Nested(DueGoal))
    review_due_on = fields.Date(allow_none=True)


class AlertRow(Schema):
    child_id = fields.UUID(required=True)
    name = fields.String()
    town = fields.String()
    village = fields.String()
    risk_level = fields.Integer()
    assessed_on = fields.Date(allow_none=True)


AlertPage = page_of(AlertRow, "AlertPage")


# Groups -----------------------------------------------------------------------
class GroupRequest(StrictSchema):
    name = fields.String(required=True, validate=TEXT)
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    service_line = fields.String(load_default="tiered_management", validate=validate.OneOf(SERVICE_LINES))
    contract_id = _contract_id()
    min_age = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=17))
    max_age = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=17))
    formed_on = fields.Date(required=True)
    worker = fields.String(required=True, validate=TEXT)
    member_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=200))


class MembersRequest(StrictSchema):
    child_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=200))


class GroupSessionRequest(StrictSchema):
    held_on = fields.Date(required=True)
    topic = fields.String(required=True, validate=TEXT)
    worker = fields.String(required=True, validate=TEXT)
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)
    attended_child_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=200))


class GroupSummary(Schema):
    group_id = fields.UUID(required=True)
    name = fields.String()
    purpose = fields.String()
    service_line = fields.String()
    contract_id = fields.UUID(allow_none=True)
    min_age = fields.Integer()
    max_age = fields.Integer()
    formed_on = fields.Date()
    worker = fields.String()
    members = fields.Integer()
    sessions = fields.Integer()


class GroupDetail(Schema):
    group_id = fields.UUID(required=True)
    name = fields.String()
    purpose = fields.String()
    service_line = fields.String()
    contract_id = fields.UUID(allow_none=True)
    min_age = fields.Integer()
    max_age = fields.Integer()
    formed_on = fields.Date()
    worker = fields.String()
    member_ids = fields.List(fields.UUID())
    sessions = fields.List(fields.Dict())


GroupPage = page_of(GroupSummary, "GroupPage", as_at=True)


class GroupQuery(PageQuery, AsOfQuery):
    contract_id = fields.UUID(load_default=None)
    service_line = fields.String(load_default=None, validate=validate.OneOf(SERVICE_LINES))


# Activities -------------------------------------------------------------------
class ActivityRequest(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    title = fields.String(required=True, validate=TEXT)
    held_on = fields.Date(required=True)
    contract_id = _contract_id()
    town = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))
    village = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))
    child_ids = fields.List(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=2000),
        metadata={"description": "children attending, by id"},
    )
    guardian_count = fields.Integer(load_default=0, strict=True, validate=COUNT)
    community_count = fields.Integer(load_default=0, strict=True, validate=COUNT)
    topics = fields.List(
        fields.String(validate=validate.OneOf(SAFETY_TOPICS)),
        load_default=list,
        metadata={"description": "safety education topics"},
    )
    theme = fields.String(
        load_default=None,
        allow_none=True,
        validate=TEXT,
        metadata={"description": "the month's 塞上护童 theme (monthly_theme only)"},
    )
    organization_id = fields.UUID(load_default=None, allow_none=True)
    worker = fields.String(required=True, validate=TEXT)


class ActivitySummary(Schema):
    activity_id = fields.UUID(required=True)
    kind = fields.String()
    service_line = fields.String()
    title = fields.String()
    held_on = fields.Date()
    contract_id = fields.UUID(allow_none=True)
    town = fields.String(allow_none=True)
    village = fields.String(allow_none=True)
    children = fields.Integer()
    guardian_count = fields.Integer()
    community_count = fields.Integer()
    topics = fields.List(fields.String())
    theme = fields.String(allow_none=True)
    organization_id = fields.UUID(allow_none=True)


ActivityPage = page_of(ActivitySummary, "ActivityPage", as_at=True)


class ActivityQuery(PageQuery, AsOfQuery):
    kind = fields.String(load_default=None, validate=validate.OneOf(ACTIVITY_KINDS))
    contract_id = fields.UUID(load_default=None)
    month = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$"))


# Care -------------------------------------------------------------------------
class CareRequest(StrictSchema):
    child_id = fields.UUID(required=True)
    contract_id = _contract_id()
    kind = fields.String(required=True, validate=validate.OneOf(CARE_KINDS))
    given_on = fields.Date(required=True)
    value_fen = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=10**10),
        metadata={"description": "value of money or goods given, integer fen"},
    )
    resource = fields.String(
        load_default=None,
        allow_none=True,
        validate=TEXT,
        metadata={"description": "the outside resource that provided it"},
    )
    occasion = fields.String(
        load_default=None, allow_none=True, validate=TEXT, metadata={"description": "e.g. 春节, 暑假"}
    )
    worker = fields.String(required=True, validate=TEXT)
    notes = fields.String(load_default="", validate=NOTES)


class CareSummary(Schema):
    service_id = fields.UUID(required=True)
    child_id = fields.UUID()
    kind = fields.String()
    given_on = fields.Date()
    contract_id = fields.UUID(allow_none=True)
    value_fen = fields.Integer(allow_none=True)
    resource = fields.String(allow_none=True)
    occasion = fields.String(allow_none=True)


CarePage = page_of(CareSummary, "CarePage", as_at=True)


class CareQuery(PageQuery, AsOfQuery):
    child_id = fields.UUID(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(CARE_KINDS))
    contract_id = fields.UUID(load_default=None)


# Directors, supervision, organisations ---------------------------------------
class DirectorRequest(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    town = fields.String(required=True, validate=validate.Length(min=1, max=100))
    village = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^[0-9+\- ]{5,20}$", error="not a phone number")
    )
    appointed_on = fields.Date(required=True)


class DirectorRow(Schema):
    director_id = fields.UUID(required=True)
    name = fields.String()
    town = fields.String()
    village = fields.String()
    phone = fields.String(allow_none=True)
    appointed_on = fields.Date()
    supervisions = fields.Integer()
    cross_learning = fields.Integer()
    last_supervised_on = fields.Date(allow_none=True)


DirectorPage = page_of(DirectorRow, "DirectorPage")


class DirectorQuery(PageQuery):
    town = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    village = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


class SupervisionRequest(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(SUPERVISION_KINDS))
    held_on = fields.Date(required=True)
    contract_id = _contract_id()
    topic = fields.String(required=True, validate=TEXT)
    supervisor = fields.String(required=True, validate=TEXT)
    director_ids = fields.List(
        fields.UUID(),
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "directors attending"},
    )
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)
    notes = fields.String(load_default="", validate=NOTES)


class ProjectSupervisionRequest(StrictSchema):
    """卫沙民社函〔2025〕11号 §五.(三).3: the provider's supervision team gives its staff
    consultation and training on implementation concept, skills and resources."""

    contract_id = fields.UUID(required=True, metadata={"description": "the contract the team supports"})
    format = fields.String(required=True, validate=validate.OneOf(FORMATS), metadata={"description": "咨询 / 培训"})
    focus = fields.List(
        fields.String(validate=validate.OneOf(FOCUS_AREAS)),
        required=True,
        validate=validate.Length(min=1, max=len(FOCUS_AREAS)),
        metadata={"description": "项目实施理念 / 专业技能 / 资源拓展"},
    )
    held_on = fields.Date(required=True)
    topic = fields.String(required=True, validate=TEXT)
    supervisor = fields.String(required=True, validate=TEXT)
    staff_attending = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_STAFF))
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)
    notes = fields.String(load_default="", validate=NOTES)


class SupervisionRow(Schema):
    supervision_id = fields.UUID(required=True)
    kind = fields.String(metadata={"description": "supervision or cross_learning"})
    held_on = fields.Date()
    contract_id = fields.UUID(allow_none=True, metadata={"description": "the contract it was held under, if any"})
    topic = fields.String()
    supervisor = fields.String()
    director_ids = fields.List(fields.UUID(), metadata={"description": "directors attending"})
    duration_minutes = fields.Integer()
    notes = fields.String(allow_none=True)


SupervisionPage = page_of(SupervisionRow, "SupervisionPage", as_at=True)


class SupervisionQuery(PageQuery, AsOfQuery):
    kind = fields.String(load_default=None, validate=validate.OneOf(SUPERVISION_KINDS))
    contract_id = fields.UUID(load_default=None)


class ProjectSupervisionRow(Schema):
    session_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    format = fields.String(metadata={"description": "consultation (咨询) or training (培训)"})
    focus = fields.List(fields.String())
    held_on = fields.Date()
    topic = fields.String()
    supervisor = fields.String()
    staff_attending = fields.Integer()
    duration_minutes = fields.Integer()
    notes = fields.String(allow_none=True)


ProjectSupervisionPage = page_of(ProjectSupervisionRow, "ProjectSupervisionPage", as_at=True)


class ProjectSupervisionQuery(PageQuery, AsOfQuery):
    format = fields.String(load_default=None, validate=validate.OneOf(FORMATS))
    contract_id = fields.UUID(load_default=None)


class ProjectSupervisionCreated(Created):
    contract_id = fields.UUID(required=True, metadata={"description": "the contract whose report counts it"})


class OrganizationRequest(StrictSchema):
    name = fields.String(required=True, validate=TEXT)
    town = fields.String(required=True, validate=validate.Length(min=1, max=100))
    village = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))
    focus = fields.String(required=True, validate=TEXT)
    contract_id = _contract_id()
    nurtured_on = fields.Date(required=True)


class CommunityOrganizationRow(Schema):
    organization_id = fields.UUID(required=True)
    name = fields.String()
    town = fields.String()
    village = fields.String(allow_none=True)
    focus = fields.String()
    contract_id = fields.UUID(allow_none=True)
    nurtured_on = fields.Date()
    activities = fields.Integer()


CommunityOrganizationPage = page_of(CommunityOrganizationRow, "CommunityOrganizationPage")


class OrganizationQuery(PageQuery):
    town = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


# Quarterly report -------------------------------------------------------------
class ReportQuery(AsOfQuery):
    """The report as of a casework log position, or as of a date's end (the
    last position recorded by then); now when neither is given."""

    format = fields.String(load_default=None, validate=validate.OneOf(("json", "html")))
    expected_lines = fields.String(
        load_default=None,
        metadata={
            "description": "comma-separated service lines expected (default: the signed "
            "contract's scope, or all 8 if casework has not heard of it)"
        },
    )

    @post_load
    def split_lines(self, data, **kwargs):
        raw = data.get("expected_lines")
        if raw is not None:
            lines = [line.strip() for line in raw.split(",") if line.strip()]
            unknown = [line for line in lines if line not in SERVICE_LINES]
            if not lines or unknown:
                raise ValidationError({"expected_lines": [f"must list some of {', '.join(SERVICE_LINES)}"]})
            data["expected_lines"] = lines
        return data


class ServiceLineRow(Schema):
    line = fields.String()
    title = fields.String()
    expected = fields.Boolean()
    records = fields.Integer()
    attendances = fields.Integer()
    children_reached = fields.Integer()
    delivered = fields.Boolean()


class ScreeningFigures(Schema):
    """Line 1 (摸底走访建档) done under this contract in the quarter."""

    children_reached = fields.Integer(metadata={"description": "children whose file it opened or whom it visited"})
    households_visited = fields.Integer()
    visits = fields.Integer()
    files_opened = fields.Integer()


class QuarterlyReport(Schema):
    contract_id = fields.String(required=True)
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    period = fields.Dict(required=True)
    contract = fields.Dict(
        required=True,
        metadata={
            "description": "whether casework heard of the signing, its period, where the expected lines came from"
        },
    )
    as_of_position = fields.Integer(
        required=True, metadata={"description": "regenerate with ?as_of_position= this value for the same numbers"}
    )
    service_lines = fields.List(fields.Nested(ServiceLineRow), required=True)
    gaps = fields.List(fields.Dict(), required=True)
    cases = fields.Dict(required=True)
    groups = fields.Dict(required=True)
    activities = fields.Dict(required=True)
    care = fields.Dict(required=True)
    directors = fields.Dict(required=True)
    community_organizations = fields.Dict(required=True)
    screening_and_files = fields.Nested(ScreeningFigures, required=True)
    project_supervision = fields.Dict(
        required=True,
        metadata={
            "description": "§五.(三).3 the provider's supervision team: sessions by format (consultation, "
            "training) and focus, staff attendances, minutes"
        },
    )
    children = fields.Dict(required=True)
    registry = fields.Dict(
        required=True, metadata={"description": "the district's registry figures (every visitor), for context"}
    )
    funds = fields.Dict(required=True)
    content_hash = fields.String(
        required=True,
        metadata={
            "description": "SHA-256 of the report's canonical JSON without this field "
            "(shared/report_reference.py); a written report cites it with as_of_position"
        },
    )
