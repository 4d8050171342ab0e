"""Request and response shapes for grants (shared with the gateway and its
OpenAPI document). Money is integer fen. Decision dates are optional: they
default to today and may not be in the future. Scores answer as JSON numbers
(`fields.Float`), as the document says, not as decimal strings."""

from marshmallow import Schema, fields, validate

from services.grants.domain.calls import DEFAULT_PREFERENCE_POINTS, DOCUMENT_KINDS, NOTICE_DAY_KINDS, PANEL_ROLES
from services.grants.domain.contracts import (
    AUDIT_OPINIONS,
    EVALUATION_KINDS,
    EVALUATOR_BODIES,
    FORCE_MAJEURE_ACTIONS,
    FORCE_MAJEURE_DECISIONS,
    TERMINATION_REASONS,
)
from services.grants.domain.credit_code import CHARSET
from services.grants.domain.notices import OBJECTION_OUTCOMES
from services.grants.domain.organizations import ACCOUNTING_REGIMES, EVIDENCE_KINDS, VERIFICATION_DECISIONS
from services.grants.domain.proposals import DISQUALIFICATION_REASONS, DUE_DILIGENCE_OUTCOMES
from shared.answers import Created, created_id
from shared.attachment_schemas import AttachFileFields, AttachmentFields, kind_field
from shared.attachments import ORGANIZATION_KINDS
from shared.pagination import PageQuery, page_of
from shared.report_reference import GeneratedReportReference
from shared.validation import StrictSchema
from shared.vocabulary import GATES, SERVICE_LINES

TEXT = validate.Length(min=1, max=200)
LONG_TEXT = validate.Length(min=1, max=5000)
FEN = validate.Range(min=0)
CREDIT_CODE = validate.Regexp(f"^[{CHARSET}]{{18}}$", error="must be 18 characters of 0-9A-HJ-NPQRTUWXY")


def _text(**kw):
    return fields.String(validate=TEXT, **kw)


def _on(description: str = "defaults to today; not in the future"):
    return fields.Date(load_default=None, allow_none=True, metadata={"description": description})


def _fen(**kw):
    return fields.Integer(strict=True, validate=FEN, **kw)


# Organizations


class Accountant(StrictSchema):
    name = _text(required=True)
    qualification = fields.String(required=True, validate=validate.Length(max=200))


class BankAccount(StrictSchema):
    bank = _text(required=True)
    account_number = fields.String(required=True, validate=validate.Regexp(r"^[0-9A-Za-z-]{6,40}$"))
    independent = fields.Boolean(required=True, metadata={"description": "the organization's own account"})
    opening_permit = fields.Boolean(required=True, metadata={"description": "account-opening permit on file"})


class RegisterOrganizationRequest(StrictSchema):
    name = _text(required=True)
    credit_code = fields.String(
        required=True, validate=CREDIT_CODE, metadata={"description": "unified social credit code (GB 32100)"}
    )
    legal_representative = _text(required=True)
    project_lead = _text(required=True)
    accountant = fields.Nested(Accountant, required=True)
    accounting_regime = fields.String(required=True, validate=validate.OneOf(ACCOUNTING_REGIMES))
    has_financial_rules = fields.Boolean(required=True)
    bank_account = fields.Nested(BankAccount, required=True)


class EvidenceRequest(StrictSchema):
    """One dated piece of evidence; which fields apply depends on `kind`."""

    kind = fields.String(required=True, validate=validate.OneOf(EVIDENCE_KINDS))
    effective_on = fields.Date(required=True, metadata={"description": "the date the evidence speaks from"})
    year = fields.Integer(strict=True, validate=validate.Range(min=1990, max=2100))
    result = fields.String(validate=TEXT)
    grade = fields.Integer(strict=True, metadata={"description": "evaluation grade 1–5 (1A–5A)"})
    valid_until = fields.Date()
    list_name = _text()
    subject = _text()
    description = fields.String(validate=LONG_TEXT)
    authority = _text()
    title = _text()
    issuer = _text()
    outcome = _text()
    document_ref = _text()
    note = fields.String(validate=LONG_TEXT)


class VerifiedEvidenceRequest(EvidenceRequest):
    """Evidence the bureau checked itself: it counts for eligibility."""

    source = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "what it was checked against, e.g. 信用中国 on a date, the annual-inspection notice"},
    )


class EvidenceVerificationRequest(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(VERIFICATION_DECISIONS))
    source = fields.String(required=True, validate=validate.Length(min=1, max=500))
    reason = fields.String(load_default="", validate=LONG_TEXT)


class OrganizationSchema(Schema):
    organization_id = fields.UUID(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    registration_type = fields.String(required=True)
    legal_representative = fields.String(required=True)
    project_lead = fields.String(required=True)
    accountant = fields.Dict(required=True)
    accounting_regime = fields.String(required=True)
    has_financial_rules = fields.Boolean(required=True)
    bank_account = fields.Dict(required=True)
    registered_on = fields.Date(required=True)
    evidence = fields.List(fields.Raw(), required=True)
    bans = fields.List(fields.Raw(), required=True)
    banned_now = fields.Boolean(required=True)
    version = fields.Integer(required=True)


class OrganizationRow(Schema):
    organization_id = fields.UUID(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    registration_type = fields.String(required=True)
    registered_on = fields.Date(required=True)


OrganizationPage = page_of(OrganizationRow, "OrganizationPage")


# Calls


class CallTranche(StrictSchema):
    number = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    percent = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100))
    gate = fields.String(required=True, validate=validate.OneOf(GATES))


class Criterion(StrictSchema):
    criterion = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]{1,50}$"))
    weight = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100))


class CallRequest(StrictSchema):
    title = _text(required=True)
    budget_fen = _fen(required=True)
    service_start = fields.Date(required=True)
    service_end = fields.Date(required=True)
    place = _text(required=True)
    target_group = _text(required=True)
    service_lines = fields.List(fields.String(validate=validate.OneOf(SERVICE_LINES)), required=True)
    inspection_years = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1990, max=2100)), required=True
    )
    submission_opens = fields.Date(required=True)
    submission_closes = fields.Date(required=True)
    review_opens = fields.Date(required=True)
    review_closes = fields.Date(required=True)
    notice_days = fields.Integer(strict=True, load_default=None, metadata={"description": "default 5"})
    notice_day_kind = fields.String(
        load_default=None,
        validate=validate.OneOf(NOTICE_DAY_KINDS),
        metadata={"description": "calendar (default) or working days"},
    )
    holidays = fields.List(fields.Date(), load_default=None, metadata={"description": "non-working weekdays"})
    workdays = fields.List(fields.Date(), load_default=None, metadata={"description": "working weekend days"})
    tranches = fields.List(fields.Nested(CallTranche), load_default=None, metadata={"description": "default 40/30/30"})
    rubric = fields.List(
        fields.Nested(Criterion),
        load_default=None,
        metadata={"description": "default: the notice's five requirements plus team capability"},
    )
    preference_points = fields.Dict(
        keys=fields.String(validate=validate.OneOf(tuple(DEFAULT_PREFERENCE_POINTS))),
        values=fields.Integer(strict=True),
        load_default=None,
    )
    min_scorers = fields.Integer(strict=True, load_default=None, metadata={"description": "default 3"})


class PublishRequest(StrictSchema):
    published_on = _on()


class CloseCallRequest(StrictSchema):
    reason = fields.String(required=True, validate=LONG_TEXT)
    closed_on = _on()


class CallSchema(Schema):
    call_id = fields.UUID(required=True)
    title = fields.String(required=True)
    budget_fen = fields.Integer(required=True)
    service_start = fields.Date(required=True)
    service_end = fields.Date(required=True)
    place = fields.String(required=True)
    target_group = fields.String(required=True)
    service_lines = fields.List(fields.String(), required=True)
    inspection_years = fields.List(fields.Integer(), required=True)
    submission_opens = fields.Date(required=True)
    submission_closes = fields.Date(required=True)
    review_opens = fields.Date(required=True)
    review_closes = fields.Date(required=True)
    notice_days = fields.Integer(required=True)
    notice_day_kind = fields.String(required=True)
    holidays = fields.List(fields.Date(), required=True)
    workdays = fields.List(fields.Date(), required=True)
    tranches = fields.List(fields.Dict(), required=True)
    rubric = fields.List(fields.Dict(), required=True)
    preference_points = fields.Dict(required=True)
    min_scorers = fields.Integer(required=True)
    status = fields.String(required=True)
    drafted_on = fields.Date(required=True)
    published_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    close_reason = fields.String(allow_none=True)
    application_ids = fields.List(fields.UUID(), required=True)
    panel = fields.List(fields.Raw(), required=True)
    declarations = fields.List(fields.Raw(), required=True)
    shortlist = fields.List(fields.UUID(), required=True)
    shortlisted_on = fields.Date(allow_none=True)
    ranking = fields.List(fields.Raw(), required=True)
    notice_id = fields.UUID(allow_none=True)
    determined_application_id = fields.UUID(allow_none=True)
    determined_amount_fen = fields.Integer(allow_none=True)
    determined_on = fields.Date(allow_none=True)
    voided_determinations = fields.List(
        fields.Raw(), required=True, metadata={"description": "determinations voided by a disqualification"}
    )
    version = fields.Integer(required=True)


class CallRow(Schema):
    call_id = fields.UUID(required=True)
    title = fields.String(required=True)
    budget_fen = fields.Integer(required=True)
    status = fields.String(required=True)
    submission_opens = fields.Date(required=True)
    submission_closes = fields.Date(required=True)


CallPage = page_of(CallRow, "CallPage")


# Applications


class DataPoint(StrictSchema):
    indicator = _text(required=True)
    value = _text(required=True)
    source = _text(required=True)


class NeedsAnalysis(StrictSchema):
    summary = fields.String(required=True, validate=LONG_TEXT)
    data_points = fields.List(
        fields.Nested(DataPoint),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "the data behind the needs (卫沙民社函〔2025〕11号 §二.(一))"},
    )


class Activity(StrictSchema):
    service_line = fields.String(required=True, validate=validate.OneOf(SERVICE_LINES))
    description = fields.String(required=True, validate=LONG_TEXT)


class GrantBudgetLine(StrictSchema):
    line = _text(required=True)
    amount_fen = _fen(required=True)


class Milestone(StrictSchema):
    milestone = _text(required=True)
    due = fields.Date(required=True)


class TeamMember(StrictSchema):
    name = _text(required=True)
    role = _text(required=True)
    qualifications = fields.String(required=True, validate=validate.Length(max=500))


class Proposal(StrictSchema):
    needs_analysis = fields.Nested(NeedsAnalysis, required=True)
    target_group = _text(required=True)
    objectives = fields.List(_text(), required=True, validate=validate.Length(min=1))
    activities = fields.List(fields.Nested(Activity), required=True, validate=validate.Length(min=1))
    budget_lines = fields.List(fields.Nested(GrantBudgetLine), required=True, validate=validate.Length(min=1))
    schedule = fields.List(fields.Nested(Milestone), required=True, validate=validate.Length(min=1))
    evaluation_standard = fields.String(required=True, validate=LONG_TEXT)
    team = fields.List(fields.Nested(TeamMember), required=True, validate=validate.Length(min=1))


class Document(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    reference = _text(required=True)
    signed_and_sealed = fields.Boolean(load_default=False)


class ApplicationRequest(StrictSchema):
    organization_id = fields.UUID(required=True)
    proposal = fields.Nested(Proposal, required=True)
    documents = fields.List(fields.Nested(Document), required=True)
    submitted_on = _on("date received; defaults to today; not in the future")


class ApplicationSchema(Schema):
    application_id = fields.UUID(required=True)
    call_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    organization_name = fields.String(required=True)
    status = fields.String(required=True)
    submitted_on = fields.Date(required=True)
    proposal = fields.Raw(required=True)
    documents = fields.List(fields.Raw(), required=True)
    preliminary = fields.Raw(allow_none=True)
    due_diligence = fields.List(fields.Raw(), required=True)
    scores = fields.List(fields.Raw(), required=True)
    mean_score = fields.Float(allow_none=True)
    determination = fields.Raw(allow_none=True)
    revisions = fields.List(fields.Raw(), required=True)
    contract_id = fields.UUID(allow_none=True)
    disqualification = fields.Raw(allow_none=True)
    withdrawal = fields.Raw(allow_none=True)
    version = fields.Integer(required=True)


class RuleResult(Schema):
    rule = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "hard or preference"})
    passed = fields.Boolean(required=True)
    reason = fields.String(required=True)
    points = fields.Integer(required=True)


class EligibilitySchema(Schema):
    application_id = fields.UUID(required=True)
    as_of = fields.Date(required=True)
    eligible = fields.Boolean(required=True)
    preference_points = fields.Integer(required=True)
    rules = fields.List(fields.Nested(RuleResult), required=True)


class PreliminaryReviewRequest(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(("pass", "reject")))
    reviewer = _text(required=True)
    reasons = fields.List(
        fields.String(validate=LONG_TEXT),
        load_default=None,
        metadata={"description": "required to reject: what the applicant is told"},
    )
    reviewed_on = _on()


class DueDiligenceRequest(StrictSchema):
    topic = _text(required=True)
    finding = fields.String(required=True, validate=LONG_TEXT)
    outcome = fields.String(required=True, validate=validate.OneOf(DUE_DILIGENCE_OUTCOMES))
    investigator = _text(required=True)
    found_on = _on()


class WithdrawalRequest(StrictSchema):
    reason = fields.String(required=True, validate=LONG_TEXT)
    withdrawn_on = _on()


class DisqualificationRequest(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(DISQUALIFICATION_REASONS))
    details = fields.String(required=True, validate=LONG_TEXT)
    decided_on = _on()


class OptimisationRequest(StrictSchema):
    summary = fields.String(required=True, validate=LONG_TEXT)
    budget_lines = fields.List(fields.Nested(GrantBudgetLine), required=True, validate=validate.Length(min=1))
    reviewer_comments = fields.String(load_default="", validate=validate.Length(max=5000))
    revised_on = _on()


# Review


class PanelMemberRequest(StrictSchema):
    name = _text(required=True)
    role = fields.String(required=True, validate=validate.OneOf(PANEL_ROLES))
    affiliation = _text(required=True)
    appointed_on = _on()


class DeclarationRequest(StrictSchema):
    application_id = fields.UUID(required=True)
    conflicted = fields.Boolean(required=True)
    statement = fields.String(load_default="", validate=validate.Length(max=2000))
    declared_on = _on()


class ScoreRequest(StrictSchema):
    member_id = fields.UUID(required=True)
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=True),
        required=True,
        metadata={"description": "criterion → 0–100, every rubric criterion"},
    )
    scored_on = _on()


class ScoreResult(Schema):
    application_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    total = fields.Float(required=True)


class RankingRow(Schema):
    rank = fields.Integer(required=True)
    application_id = fields.UUID(required=True)
    organization_name = fields.String(required=True)
    scorers = fields.Integer(required=True)
    mean_score = fields.Float(required=True)
    preference_points = fields.Integer(required=True)
    total = fields.Float(required=True)


class Ranking(Schema):
    items = fields.List(fields.Nested(RankingRow), required=True)


class ShortlistRequest(StrictSchema):
    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    decided_on = _on()


class Shortlist(Schema):
    application_ids = fields.List(fields.UUID(), required=True)


# Public notice and determination


class NoticeRequest(StrictSchema):
    opened_on = _on()


class ObjectionRequest(StrictSchema):
    objector = _text(required=True)
    contact = fields.String(load_default="", validate=validate.Length(max=200))
    application_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "the shortlisted application objected to; null for the whole notice"},
    )
    grounds = fields.String(required=True, validate=LONG_TEXT)
    lodged_on = _on()


class ResolutionRequest(StrictSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(OBJECTION_OUTCOMES))
    resolution = fields.String(required=True, validate=LONG_TEXT)
    resolved_on = _on()


class NoticeEntry(Schema):
    application_id = fields.UUID(required=True)
    organization_name = fields.String(required=True)
    credit_code = fields.String(required=True)
    rank = fields.Integer(required=True)
    score = fields.Float(required=True)


class NoticeSchema(Schema):
    notice_id = fields.UUID(required=True)
    call_id = fields.UUID(required=True)
    call_title = fields.String(required=True)
    entries = fields.List(fields.Nested(NoticeEntry), required=True)
    opened_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    day_kind = fields.String(required=True)
    days = fields.Integer(required=True)
    objections = fields.List(fields.Raw(), required=True)
    version = fields.Integer(required=True)


class PublicNoticeRow(Schema):
    """What anyone may read: no objector names or contacts."""

    notice_id = fields.UUID(required=True)
    call_id = fields.UUID(required=True)
    call_title = fields.String(required=True)
    entries = fields.List(fields.Nested(NoticeEntry), required=True)
    opened_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    day_kind = fields.String(required=True)
    days = fields.Integer(required=True)
    in_progress = fields.Boolean(required=True)
    objections_open = fields.Integer(required=True)
    objections_resolved = fields.Integer(required=True)


PublicNoticePage = page_of(PublicNoticeRow, "PublicNoticePage")


class BanRow(Schema):
    ban_id = fields.String(required=True)
    organization_id = fields.UUID(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    reason = fields.String(required=True)
    decided_on = fields.Date(required=True)
    banned_until = fields.Date(required=True)
    in_force = fields.Boolean(required=True)


BanPage = page_of(BanRow, "BanPage")


class ReportScheduleRow(Schema):
    period = fields.String(required=True, metadata={"description": "e.g. 2025-Q3"})
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    due_on = fields.Date(required=True)
    first_submitted_on = fields.Date(allow_none=True, required=True)
    status = fields.String(required=True, validate=validate.OneOf(("missing", "submitted", "accepted", "returned")))
    late = fields.Boolean(required=True)


class LateReportRow(Schema):
    contract_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    organization_name = fields.String(required=True)
    status = fields.String(required=True)
    late_reports = fields.List(fields.String(), required=True)
    quarters = fields.List(fields.Nested(ReportScheduleRow), required=True)


LateReportPage = page_of(LateReportRow, "LateReportPage")


class DeterminationRequest(StrictSchema):
    application_id = fields.UUID(required=True)
    amount_fen = _fen(
        load_default=None,
        allow_none=True,
        metadata={"description": "defaults to the proposal's budget, at most the call's"},
    )
    determined_on = _on()


# Contracts


class Indicator(StrictSchema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]{1,50}$"))
    name = _text(required=True)
    max_points = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100))
    children = fields.List(fields.Nested(lambda: Indicator()), load_default=list)


class ServiceAreaPlace(StrictSchema):
    town = fields.String(required=True, validate=validate.Length(min=1, max=50))
    village = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "omitted or null: the whole town"},
    )


class ContractRequest(StrictSchema):
    application_id = fields.UUID(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    service_requirements = fields.List(
        fields.String(validate=LONG_TEXT), required=True, validate=validate.Length(min=1)
    )
    breach_terms = fields.String(required=True, validate=LONG_TEXT)
    service_area = fields.List(
        fields.Nested(ServiceAreaPlace),
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "the towns/villages of the district the provider serves (shared/places.json)"},
    )
    signed_on = _on()
    service_lines = fields.List(
        fields.String(validate=validate.OneOf(SERVICE_LINES)),
        load_default=None,
        metadata={"description": "scope; defaults to the call's service lines"},
    )
    budget_lines = fields.List(
        fields.Nested(GrantBudgetLine),
        load_default=None,
        metadata={"description": "defaults to the optimised (or proposed) budget"},
    )
    indicators = fields.List(
        fields.Nested(Indicator),
        load_default=None,
        metadata={"description": "evaluation indicator tree; default 10/50/30/10"},
    )
    pass_mark = fields.Integer(strict=True, load_default=None, metadata={"description": "default 60"})
    term_reason = fields.String(
        load_default="",
        validate=validate.Length(max=5000),
        metadata={"description": "the bureau's reason for a term that is not one year within the call's window"},
    )


class ContractSchema(Schema):
    contract_id = fields.UUID(required=True)
    call_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    organization_name = fields.String(required=True)
    amount_fen = fields.Integer(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    signed_on = fields.Date(required=True)
    service_lines = fields.List(fields.String(), required=True)
    service_area = fields.List(fields.Nested(ServiceAreaPlace), required=True)
    service_requirements = fields.List(fields.String(), required=True)
    breach_terms = fields.String(required=True)
    tranches = fields.List(fields.Dict(), required=True)
    budget_lines = fields.List(fields.Dict(), required=True)
    indicators = fields.List(fields.Raw(), required=True)
    pass_mark = fields.Integer(required=True)
    status = fields.String(required=True)
    started_on = fields.Date(allow_none=True)
    quarterly_reports = fields.List(fields.Raw(), required=True)
    report_due_days = fields.Integer(
        required=True, metadata={"description": "days after a quarter's end its report is due (REPORT_DUE_DAYS)"}
    )
    report_schedule = fields.List(
        fields.Nested(ReportScheduleRow),
        required=True,
        metadata={"description": "each begun quarter: due date, first submission, status, late (§五.(三).4)"},
    )
    late_reports = fields.List(fields.String(), required=True, metadata={"description": "periods late today"})
    evaluations = fields.List(fields.Raw(), required=True)
    re_evaluations = fields.List(
        fields.Raw(),
        required=True,
        metadata={"description": "mid-term re-evaluations opened after a failed one: reason, who, when, the result"},
    )
    mid_term_passed = fields.Boolean(required=True)
    effectiveness_passed = fields.Boolean(required=True)
    completion = fields.Raw(allow_none=True)
    audit = fields.Raw(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    suspensions = fields.List(fields.Raw(), required=True)
    termination = fields.Raw(allow_none=True)
    force_majeure = fields.List(fields.Raw(), required=True)
    term_exception = fields.Raw(allow_none=True)
    version = fields.Integer(required=True)


class StartRequest(StrictSchema):
    started_on = _on()


class QuarterlyReportRequest(StrictSchema):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=4))
    summary = fields.String(required=True, validate=LONG_TEXT)
    figures = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=True),
        load_default=None,
        metadata={"description": "headline counts, e.g. children_reached"},
    )
    submitted_on = _on()
    generated_report = fields.Nested(
        GeneratedReportReference,
        required=True,
        metadata={
            "description": "the generated quarterly report this written report rests on: its as_of_position and "
            "content_hash from GET /contracts/{id}/reports/quarterly/{period} (§五.(三).4); refused unless the "
            "report regenerated at that position has that hash"
        },
    )


class ReportReviewRequest(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(("accepted", "returned")))
    reason = fields.String(
        load_default="", validate=validate.Length(max=5000), metadata={"description": "required to return a report"}
    )
    reviewed_on = _on()


class EvaluatorRequest(StrictSchema):
    body = fields.String(
        required=True,
        validate=validate.OneOf(EVALUATOR_BODIES),
        metadata={"description": "区民社局 / 区财政局 / 项目实施代表 / 专业社工 / 其他"},
    )
    name = _text(required=True)


class EvaluationRequest(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(EVALUATION_KINDS))
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Decimal(),
        required=True,
        metadata={"description": "leaf indicator path (e.g. output) → points"},
    )
    evaluators = fields.List(
        fields.Nested(EvaluatorRequest),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={
            "description": "who evaluated, by body; mid-term needs civil_affairs_bureau (§五.(三).4), "
            "effectiveness needs civil_affairs_bureau, finance_bureau and implementer_representative (§五.(四).2)"
        },
    )
    opinion = fields.String(load_default="", validate=validate.Length(max=5000))
    evaluated_on = _on()


class EvaluatorSchema(Schema):
    body = fields.String(
        allow_none=True,
        required=True,
        validate=validate.OneOf(EVALUATOR_BODIES),
        metadata={"description": "null for evaluations recorded before bodies were named"},
    )
    name = fields.String(required=True)


class EvaluationSchema(Created):
    id = created_id("evaluation_id", "the new evaluation's id")
    kind = fields.String(required=True)
    evaluation_id = fields.UUID(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    score = fields.Float(required=True)
    grade = fields.String(required=True, metadata={"description": "excellent 优 / good 良 / fair 中 / poor 差"})
    passed = fields.Boolean(required=True)
    evaluators = fields.List(fields.Nested(EvaluatorSchema), required=True)
    late_reports = fields.List(
        fields.String(), metadata={"description": "mid-term: the quarters whose reports were late on its day"}
    )
    opinion = fields.String(required=True)
    evaluated_on = fields.Date(required=True)


class CompletionRequest(StrictSchema):
    final_report = fields.String(required=True, validate=LONG_TEXT)
    completed_on = _on()


class AuditRequest(StrictSchema):
    auditor = _text(required=True)
    opinion = fields.String(required=True, validate=validate.OneOf(AUDIT_OPINIONS))
    findings = fields.String(load_default="", validate=validate.Length(max=5000))
    audited_on = _on()


class ClosureRequest(StrictSchema):
    closed_on = _on()


class ReEvaluationRequest(StrictSchema):
    reason = fields.String(required=True, validate=LONG_TEXT)
    opened_on = _on()


class SuspensionRequest(StrictSchema):
    reason = fields.String(required=True, validate=LONG_TEXT)
    suspended_on = _on()


class ReinstatementRequest(StrictSchema):
    reason = fields.String(required=True, validate=LONG_TEXT)
    reinstated_on = _on()


class TerminationRequest(StrictSchema):
    reason = fields.String(
        required=True,
        validate=validate.OneOf(TERMINATION_REASONS),
        metadata={"description": "false_materials, improper_means and prior_sanction are 七.(一) sanctions"},
    )
    details = fields.String(required=True, validate=LONG_TEXT)
    recovery_fen = _fen(
        load_default=None,
        allow_none=True,
        metadata={"description": "null: recover all fiscal money paid; a 七.(一) sanction always recovers all"},
    )
    terminated_on = _on()


class ForceMajeureRequest(StrictSchema):
    event = fields.String(required=True, validate=LONG_TEXT)
    impact = fields.String(required=True, validate=LONG_TEXT)
    proposed_action = fields.String(required=True, validate=validate.OneOf(FORCE_MAJEURE_ACTIONS))
    reported_on = _on()


class ForceMajeureDecisionRequest(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(FORCE_MAJEURE_DECISIONS))
    basis = fields.String(required=True, validate=LONG_TEXT)
    period_end = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "accept only: the adjusted end of the term"}
    )
    service_lines = fields.List(
        fields.String(validate=validate.OneOf(SERVICE_LINES)),
        load_default=None,
        allow_none=True,
        metadata={"description": "accept only: the adjusted scope, within the contract's lines"},
    )
    delivered_fen = _fen(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "terminate_without_fault only: the value of the services delivered; finance recovers "
            "the fiscal money paid that is neither spent nor delivered"
        },
    )
    decided_on = _on()


class ContractTransferRequest(StrictSchema):
    transferee = _text(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=5000))


class ContractsQuery(PageQuery):
    organization_id = fields.UUID(
        load_default=None, metadata={"description": "one provider's contracts (provider staff: always their own)"}
    )


class ContractSummary(Schema):
    """A contract as a list shows it: enough to pick the one to work under."""

    contract_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    organization_name = fields.String(required=True)
    service_area = fields.List(fields.Nested(ServiceAreaPlace), required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    status = fields.String(required=True)


ContractPage = page_of(ContractSummary, "ContractPage")


# -- what falls due (GET /me/tasks) ------------------------------------------------


class ContractDuesQuery(StrictSchema):
    organization_id = fields.UUID(load_default=None)


class ContractDue(Schema):
    what = fields.String()
    period = fields.String(allow_none=True)
    due_on = fields.Date()


class ContractDues(Schema):
    contract_id = fields.UUID()
    organization_id = fields.UUID()
    organization_name = fields.String()
    status = fields.String()
    dues = fields.List(fields.Nested(ContractDue))


class OpenObjection(Schema):
    notice_id = fields.UUID()
    objection_id = fields.UUID()
    call_title = fields.String()
    lodged_on = fields.Date()
    due_on = fields.Date()


# -- attachments (a registration certificate or bank permit scan on an organisation) ----------


class AttachToOrganizationRequest(AttachFileFields):
    """What the gateway sends once it has stored the bytes (shared/attachment_schemas.py)."""

    kind = kind_field(ORGANIZATION_KINDS, required=True)


class OrganizationAttachmentSchema(AttachmentFields):
    organization_id = fields.UUID()
    kind = kind_field(ORGANIZATION_KINDS)


class OrganizationAttachmentList(Schema):
    organization_id = fields.UUID()
    items = fields.List(fields.Nested(OrganizationAttachmentSchema))
