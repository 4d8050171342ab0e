"""Request and response shapes for finance (shared with the gateway and its
OpenAPI document). Money is integer fen: strict integers, never floats."""

from typing import Any

from marshmallow import Schema, fields, validate

from services.finance.domain.appropriation import SOURCE_NAMES
from services.finance.domain.money import FUNDS
from shared.answers import Created, created_id
from shared.attachment_schemas import AttachFileFields, AttachmentFields, kind_field
from shared.attachments import TRANCHE_KINDS
from shared.pagination import PageQuery, page_of
from shared.past_registers import AsOfQuery
from shared.validation import StrictSchema

MAX_FEN = 10**13  # 1,000 billion yuan: far above any real amount, below any overflow
AMOUNT = dict(
    strict=True, validate=validate.Range(min=1, max=MAX_FEN), metadata={"description": "integer fen (1 yuan = 100 fen)"}
)
REFERENCE = validate.Length(min=1, max=100)
TEXT = validate.Length(min=1, max=500)


class PayTrancheRequest(StrictSchema):
    amount_fen = fields.Integer(required=True, **AMOUNT)
    voucher = fields.String(required=True, validate=REFERENCE, metadata={"description": "payment voucher reference"})
    paid_on = fields.Date(load_default=None, metadata={"description": "defaults to today"})


class ReversalRequest(StrictSchema):
    reason = fields.String(required=True, validate=TEXT)


class ExpenditureRequest(StrictSchema):
    budget_line = fields.String(required=True, validate=REFERENCE)
    fund = fields.String(required=True, validate=validate.OneOf(FUNDS))
    amount_fen = fields.Integer(required=True, **AMOUNT)
    voucher = fields.String(required=True, validate=REFERENCE)
    spent_on = fields.Date(load_default=None)
    description = fields.String(load_default="", validate=validate.Length(max=500))


class DonationRequest(StrictSchema):
    contract_id = fields.UUID(required=True, metadata={"description": "the project the donation is restricted to"})
    donor = fields.String(required=True, validate=validate.Length(min=1, max=200))
    amount_fen = fields.Integer(required=True, **AMOUNT)
    receipt = fields.String(
        required=True,
        validate=REFERENCE,
        metadata={"description": "donation receipt (捐赠票据) number; recorded once per project"},
    )
    received_on = fields.Date(load_default=None)
    purpose = fields.String(load_default="", validate=validate.Length(max=500))


class CollectionRequest(StrictSchema):
    amount_fen = fields.Integer(required=True, **AMOUNT)
    reference = fields.String(required=True, validate=REFERENCE)
    collected_on = fields.Date(load_default=None)


class WriteOffRequest(StrictSchema):
    reason = fields.String(required=True, validate=TEXT)
    approver = fields.String(required=True, validate=REFERENCE)
    amount_fen = fields.Integer(load_default=None, **AMOUNT)
    written_off_on = fields.Date(load_default=None)


class FundingQuery(AsOfQuery):
    """A contract's money now, or as it stood (shared/past_registers.py)."""


class TrialBalanceQuery(AsOfQuery):
    """Here `as_of` is the balance date (entries dated on or before it, today
    by default) and `as_of_position` the journal as recorded up to that
    position of finance's log: both may be given, so a trial balance as of a
    year's end is regenerated, months later, as it was read then."""

    as_of = fields.Date(
        load_default=None, metadata={"description": "the balance date: entries dated on or before it (default today)"}
    )

    def _one_point(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Both points may be given (not a schema check here)."""


class ReconciliationQuery(AsOfQuery):
    """The reconciliation now, or as the records and the journal stood at a
    date's end or a position of finance's log (shared/past_registers.py)."""


class JournalQuery(PageQuery, AsOfQuery):
    since = fields.Date(load_default=None, metadata={"description": "entries dated on or after"})
    until = fields.Date(load_default=None, metadata={"description": "entries dated on or before"})
    # The journal is read in longer pages than other lists, and its cursor is a
    # sequence number (entries are numbered in the order they were posted).
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    cursor = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0),
        metadata={"description": "the last sequence number already read"},
    )


class RecoveriesQuery(PageQuery, AsOfQuery):
    status = fields.String(load_default="open", validate=validate.OneOf(("open", "settled", "all")))


# -- responses -------------------------------------------------------------


class TrancheSchema(Schema):
    tranche_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    number = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    gate = fields.String(required=True)
    amount_fen = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "pending, payable, paid or withheld"})
    payable_on = fields.Date(allow_none=True)
    paid_on = fields.Date(allow_none=True)
    voucher = fields.String(allow_none=True)
    withheld_reason = fields.String(allow_none=True)


class PayableTranche(TrancheSchema):
    organization_id = fields.UUID(required=True)


class TrancheAwaitingEvaluation(PayableTranche):
    evaluation_failed = fields.Boolean(
        required=True, metadata={"description": "the evaluation failed: the tranche waits for a later one to pass"}
    )


TrancheAwaitingEvaluationPage = page_of(TrancheAwaitingEvaluation, "TrancheAwaitingEvaluationPage")


class RecoverySchema(Schema):
    recovery_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    amount_fen = fields.Integer(required=True)
    collected_fen = fields.Integer(required=True)
    written_off_fen = fields.Integer(required=True)
    outstanding_fen = fields.Integer(required=True)
    raised_on = fields.Date(required=True)
    reason = fields.String(required=True)
    basis = fields.String(required=True)
    status = fields.String(required=True)
    age_days = fields.Integer(required=True, metadata={"description": "days since the recovery was raised"})


RecoveryPage = page_of(RecoverySchema, "RecoveryPage", as_at=True)


class FiscalFigures(Schema):
    committed_fen = fields.Integer(allow_none=True)
    obligated_fen = fields.Integer()
    payable_fen = fields.Integer()
    paid_fen = fields.Integer()
    withheld_fen = fields.Integer()
    deobligated_fen = fields.Integer()
    unpaid_obligation_fen = fields.Integer()
    spent_fen = fields.Integer()
    received_unspent_fen = fields.Integer()


class DonationFigures(Schema):
    received_fen = fields.Integer()
    spent_fen = fields.Integer()
    balance_fen = fields.Integer()


class BudgetLineSchema(Schema):
    line = fields.String()
    budget_fen = fields.Integer()
    spent_fiscal_fen = fields.Integer()
    spent_donation_fen = fields.Integer()
    remaining_fen = fields.Integer()
    over_budget = fields.Boolean()


class ExpenditureSchema(Schema):
    expenditure_id = fields.UUID()
    budget_line = fields.String()
    fund = fields.String()
    amount_fen = fields.Integer()
    voucher = fields.String()
    spent_on = fields.Date()
    flags = fields.List(fields.String())
    reversed = fields.Boolean()


class DonationSchema(Schema):
    donation_id = fields.UUID()
    donor = fields.String()
    amount_fen = fields.Integer()
    receipt = fields.String()
    received_on = fields.Date()
    purpose = fields.String()


class AppropriationSchema(Schema):
    call_id = fields.UUID(required=True)
    source = fields.String(
        required=True,
        validate=validate.OneOf(tuple(SOURCE_NAMES)),
        metadata={"description": "the funding source (卫沙民社函〔2025〕11号 §六.(一)): hardship_relief"},
    )
    source_name = fields.String(required=True, metadata={"description": "困难群众救助补助资金"})
    amount_fen = fields.Integer(required=True)
    committed_fen = fields.Integer(required=True)
    appropriated_on = fields.Date(required=True)
    announced = fields.Boolean(required=True, metadata={"description": "false when known only from a determination"})


class FundingSchema(Schema):
    contract_id = fields.UUID(required=True)
    call_id = fields.UUID()
    application_id = fields.UUID()
    organization_id = fields.UUID()
    state = fields.String(metadata={"description": "active, suspended or terminated"})
    state_reason = fields.String(allow_none=True)
    signed_on = fields.Date()
    period_start = fields.Date()
    period_end = fields.Date()
    plan_valid = fields.Boolean()
    plan_notes = fields.List(fields.String())
    fiscal = fields.Nested(FiscalFigures)
    donation = fields.Nested(DonationFigures)
    appropriation = fields.Nested(
        AppropriationSchema, allow_none=True, metadata={"description": "the call's appropriation and its source"}
    )
    owed_back = fields.Nested(RecoverySchema, allow_none=True)
    tranches = fields.List(fields.Nested(TrancheSchema))
    budget_lines = fields.List(fields.Nested(BudgetLineSchema))
    flagged_expenditures = fields.List(fields.Nested(ExpenditureSchema))
    expenditures = fields.List(
        fields.Nested(ExpenditureSchema),
        metadata={"description": "every expenditure in the order recorded, a reversed one marked"},
    )
    donations = fields.List(fields.Nested(DonationSchema))
    version = fields.Integer()
    as_of_position = fields.Integer(
        metadata={"description": "the finance log position this stands at; ?as_of_position= it again"}
    )


class ExpenditureRecorded(Created):
    id = created_id("expenditure_id", "the new expenditure's id")
    expenditure_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    flags = fields.List(
        fields.String(), required=True, metadata={"description": "over_budget_line, above_money_received"}
    )


class DonationRecorded(Created):
    id = created_id("donation_id", "the new donation's id")
    donation_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    donation_balance_fen = fields.Integer(required=True)


class TrialBalanceRow(Schema):
    fund = fields.String()
    account = fields.String()
    kind = fields.String()
    normal_side = fields.String()
    debit_fen = fields.Integer()
    credit_fen = fields.Integer()
    balance_fen = fields.Integer(metadata={"description": "debits minus credits"})


class FundTotals(Schema):
    debit_fen = fields.Integer()
    credit_fen = fields.Integer()
    balanced = fields.Boolean()


class TrialBalanceSchema(Schema):
    as_of = fields.Date(required=True)
    as_of_position = fields.Integer(
        required=True, metadata={"description": "the finance log position the journal was read at"}
    )
    entries = fields.Integer(required=True)
    accounts = fields.List(fields.Nested(TrialBalanceRow), required=True)
    funds = fields.Dict(keys=fields.String(), values=fields.Nested(FundTotals), required=True)
    balanced = fields.Boolean(required=True)


class JournalLineSchema(Schema):
    account = fields.String()
    fund = fields.String()
    contract_id = fields.String(allow_none=True)
    debit_fen = fields.Integer()
    credit_fen = fields.Integer()


class JournalEntrySchema(Schema):
    sequence = fields.Integer(required=True)
    entry_id = fields.UUID(required=True)
    entry_date = fields.Date(required=True)
    kind = fields.String(required=True)
    memo = fields.String(required=True)
    lines = fields.List(fields.Nested(JournalLineSchema), required=True)
    reverses = fields.UUID(allow_none=True, metadata={"description": "the entry this one reverses"})
    reason = fields.String(allow_none=True)
    source_id = fields.UUID(required=True, metadata={"description": "the record whose event posted it"})
    source_version = fields.Integer(required=True)
    posted_at = fields.AwareDateTime(required=True)


JournalPage = page_of(JournalEntrySchema, "JournalPage", as_at=True)


class BreakSchema(Schema):
    check = fields.String()
    contract_id = fields.UUID(allow_none=True)
    expected_fen = fields.Integer()
    actual_fen = fields.Integer()
    difference_fen = fields.Integer()
    explanation = fields.String()


class ReconciliationContract(Schema):
    contract_id = fields.UUID()
    state = fields.String()
    fiscal = fields.Dict(keys=fields.String(), values=fields.Raw())
    donation = fields.Dict(keys=fields.String(), values=fields.Raw())
    recovery = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)


class ReconciliationSchema(Schema):
    as_of = fields.Date(required=True, metadata={"description": "the day the records are reconciled on"})
    as_of_position = fields.Integer(
        required=True, metadata={"description": "the finance log position the records were read at"}
    )
    totals = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        required=True,
        metadata={"description": "fiscal and donation figures, never mixed"},
    )
    contracts = fields.List(fields.Nested(ReconciliationContract), required=True)
    breaks = fields.List(fields.Nested(BreakSchema), required=True)
    reconciled = fields.Boolean(required=True)


# -- attachments (a scanned payment voucher on a tranche's payment) --------------------------


class AttachToTrancheRequest(AttachFileFields):
    """What the gateway sends once it has stored the bytes (shared/attachment_schemas.py)."""

    kind = kind_field(TRANCHE_KINDS, required=True)


class TrancheAttachmentSchema(AttachmentFields):
    contract_id = fields.UUID()
    tranche_id = fields.UUID()
    kind = kind_field(TRANCHE_KINDS)


class TrancheAttachmentList(Schema):
    contract_id = fields.UUID()
    tranche_id = fields.UUID()
    items = fields.List(fields.Nested(TrancheAttachmentSchema))
