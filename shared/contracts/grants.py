"""Contracts published by grants: the call, the determination, the contract
and its lifecycle, and sanctions. Money is integer fen."""

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from shared.contracts import contract
from shared.contracts.common import GATES, NON_NEGATIVE, SERVICE_LINE
from shared.validation import StrictSchema

TERMINATION_REASONS_V1 = ("false_materials", "misuse", "other")
# v2: the 七.(一) sanctions (false materials, improper means, a prior sanction), misuse, other, and
# force majeure (七.(三), a termination without fault).
SANCTION_REASONS = ("false_materials", "improper_means", "prior_sanction")
TERMINATION_REASONS = (*SANCTION_REASONS, "misuse", "other", "force_majeure")
RECOVERY_RULES = ("all_paid", "decided", "unspent_undelivered")


class TrancheV1(StrictSchema):
    number = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    percent = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100))
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    gate = fields.String(required=True, validate=validate.OneOf(GATES))


class BudgetLineV1(StrictSchema):
    line = fields.String(required=True)
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)


@contract("grants.call_published.v1")
class CallPublishedV1(StrictSchema):
    call_id = fields.UUID(required=True)
    title = fields.String(required=True)
    budget_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    service_start = fields.Date(required=True)
    service_end = fields.Date(required=True)
    published_on = fields.Date(required=True)


@contract("grants.application_determined.v1")
class ApplicationDeterminedV1(StrictSchema):
    call_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    determined_on = fields.Date(required=True)


@contract("grants.determination_voided.v1")
class DeterminationVoidedV1(StrictSchema):
    """A determination undone before signing (the winner was disqualified):
    whatever was committed to the application is released."""

    call_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    voided_on = fields.Date(required=True)


@contract("grants.contract_signed.v1")
class ContractSignedV1(StrictSchema):
    contract_id = fields.UUID(required=True)
    call_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    amount_fen = fields.Integer(required=True, strict=True, validate=NON_NEGATIVE)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    signed_on = fields.Date(required=True)
    tranches = fields.List(fields.Nested(TrancheV1), required=True)
    budget_lines = fields.List(fields.Nested(BudgetLineV1), required=True)
    service_lines = fields.List(fields.String(validate=SERVICE_LINE), required=True)


class ServiceAreaPlaceV1(StrictSchema):
    town = fields.String(required=True)
    village = fields.String(required=True, allow_none=True, metadata={"description": "null: the whole town"})


@contract("grants.contract_signed.v2")
class ContractSignedV2(ContractSignedV1):
    """v1 plus the service area: the towns/villages of the district whose
    children the provider serves (others only when referred to the contract)."""

    service_area = fields.List(fields.Nested(ServiceAreaPlaceV1), required=True)


@contract("grants.quarterly_report_accepted.v1")
class QuarterlyReportAcceptedV1(StrictSchema):
    contract_id = fields.UUID(required=True)
    report_id = fields.UUID(required=True)
    year = fields.Integer(required=True, strict=True)
    quarter = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=4))
    accepted_on = fields.Date(required=True)


class _EvaluationV1(StrictSchema):
    contract_id = fields.UUID(required=True)
    evaluation_id = fields.UUID(required=True)
    score = fields.Decimal(required=True, as_string=True, places=1)
    grade = fields.String(required=True, validate=validate.OneOf(("excellent", "good", "fair", "poor")))
    passed = fields.Boolean(required=True)
    evaluated_on = fields.Date(required=True)


@contract("grants.mid_term_evaluation_recorded.v1")
class MidTermEvaluationRecordedV1(_EvaluationV1):
    pass


@contract("grants.completion_recorded.v1")
class CompletionRecordedV1(StrictSchema):
    contract_id = fields.UUID(required=True)
    completed_on = fields.Date(required=True)


@contract("grants.effectiveness_evaluation_recorded.v1")
class EffectivenessEvaluationRecordedV1(_EvaluationV1):
    pass


@contract("grants.contract_suspended.v1")
class ContractSuspendedV1(StrictSchema):
    contract_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    suspended_on = fields.Date(required=True)


@contract("grants.contract_reinstated.v1")
class ContractReinstatedV1(StrictSchema):
    contract_id = fields.UUID(required=True)
    reinstated_on = fields.Date(required=True)


@contract("grants.contract_terminated.v1")
class ContractTerminatedV1(StrictSchema):
    """`recovery_fen` null means the default: all fiscal money paid so far."""

    contract_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(TERMINATION_REASONS_V1))
    terminated_on = fields.Date(required=True)
    recovery_fen = fields.Integer(required=True, strict=True, allow_none=True, validate=NON_NEGATIVE)


@contract("grants.contract_terminated.v2")
class ContractTerminatedV2(StrictSchema):
    """What finance recovers follows the reason: `all_paid` (every 七.(一) sanction,
    and the default) recovers all fiscal money paid; `decided` recovers
    `recovery_fen`; `unspent_undelivered` (force majeure, without fault) recovers
    the fiscal money paid that is neither spent nor covered by `delivered_fen`,
    the value of the services delivered as the bureau decided. `basis` is the
    decision's recorded basis (the termination details)."""

    contract_id = fields.UUID(required=True)
    organization_id = fields.UUID(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(TERMINATION_REASONS))
    terminated_on = fields.Date(required=True)
    recovery_rule = fields.String(required=True, validate=validate.OneOf(RECOVERY_RULES))
    recovery_fen = fields.Integer(required=True, strict=True, allow_none=True, validate=NON_NEGATIVE)
    delivered_fen = fields.Integer(required=True, strict=True, allow_none=True, validate=NON_NEGATIVE)
    basis = fields.String(required=True)

    @validates_schema
    def _rule_matches_reason(self, data: dict[str, Any], **_: Any) -> None:
        rule = data.get("recovery_rule")
        problems: dict[str, list[str]] = {}
        if (rule == "decided") != (data.get("recovery_fen") is not None):
            problems["recovery_fen"] = ["is set exactly when the recovery_rule is decided"]
        if (rule == "unspent_undelivered") != (data.get("delivered_fen") is not None):
            problems["delivered_fen"] = ["is set exactly when the recovery_rule is unspent_undelivered"]
        if data.get("reason") in SANCTION_REASONS and rule != "all_paid":
            problems["recovery_rule"] = ["a 七.(一) sanction recovers all fiscal money paid"]
        if (data.get("reason") == "force_majeure") != (rule == "unspent_undelivered"):
            problems["recovery_rule"] = ["unspent_undelivered is the rule of a force-majeure termination"]
        if problems:
            raise ValidationError(problems)


@contract("grants.organization_banned.v1")
class OrganizationBannedV1(StrictSchema):
    organization_id = fields.UUID(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    reason = fields.String(required=True)
    decided_on = fields.Date(required=True)
    banned_until = fields.Date(required=True)
