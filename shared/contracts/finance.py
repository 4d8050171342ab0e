"""Contracts published by finance. Money is integer fen; `fund` separates
fiscal money from designated donations in every figure."""

from marshmallow import fields, validate

from shared.contracts import contract
from shared.contracts.common import NON_NEGATIVE
from shared.validation import StrictSchema

FUNDS = ("fiscal", "donation")


class _TrancheEventV1(StrictSchema):
    contract_id = fields.UUID(required=True)
    tranche_id = fields.UUID(required=True)
    number = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)


@contract("finance.tranche_payable.v1")
class TranchePayableV1(_TrancheEventV1):
    payable_on = fields.Date(required=True)


@contract("finance.tranche_paid.v1")
class TranchePaidV1(_TrancheEventV1):
    paid_on = fields.Date(required=True)
    voucher = fields.String(required=True)


@contract("finance.tranche_withheld.v1")
class TrancheWithheldV1(_TrancheEventV1):
    reason = fields.String(required=True)
    withheld_on = fields.Date(required=True)


@contract("finance.recovery_raised.v1")
class RecoveryRaisedV1(StrictSchema):
    recovery_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    raised_on = fields.Date(required=True)


@contract("finance.recovery_collected.v1")
class RecoveryCollectedV1(StrictSchema):
    recovery_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    outstanding_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    collected_on = fields.Date(required=True)


@contract("finance.recovery_written_off.v1")
class RecoveryWrittenOffV1(StrictSchema):
    recovery_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    reason = fields.String(required=True)
    approver = fields.String(required=True)
    written_off_on = fields.Date(required=True)


@contract("finance.donation_received.v1")
class DonationReceivedV1(StrictSchema):
    donation_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True, allow_none=True)
    donor = fields.String(required=True)
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    received_on = fields.Date(required=True)


@contract("finance.expenditure_recorded.v1")
class ExpenditureRecordedV1(StrictSchema):
    expenditure_id = fields.UUID(required=True)
    contract_id = fields.UUID(required=True)
    budget_line = fields.String(required=True)
    fund = fields.String(required=True, validate=validate.OneOf(FUNDS))
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    spent_on = fields.Date(required=True)
