"""The shapes of finance's answers about one contract's money: a tranche, a
recovery, and the funding summary that holds both. Fiscal money and
designated donations are always reported apart."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.finance.domain import ContractFunding, Recovery
from services.finance.domain.appropriation import SOURCE_NAMES, Appropriation
from services.finance.domain.recovery import age_in_days


def tranche_view(t: dict[str, Any], funding: ContractFunding) -> dict[str, Any]:
    return {
        "tranche_id": t["tranche_id"],
        "contract_id": funding.id,
        "number": t["number"],
        "percent": t["percent"],
        "gate": t["gate"],
        "amount_fen": t["amount_fen"],
        "status": t["status"],
        "payable_on": t["payable_on"],
        "paid_on": t["paid_on"],
        "voucher": t["voucher"],
        "withheld_reason": t["withheld_reason"],
    }


def recovery_view(recovery: Recovery, today: date) -> dict[str, Any]:
    return {
        "recovery_id": recovery.id,
        "contract_id": recovery.contract_id,
        "organization_id": recovery.organization_id,
        "amount_fen": recovery.amount_fen,
        "collected_fen": recovery.collected_fen,
        "written_off_fen": recovery.written_off_fen,
        "outstanding_fen": recovery.outstanding_fen,
        "raised_on": recovery.raised_on,
        "reason": recovery.reason,
        "basis": recovery.basis,
        "status": recovery.status,
        "age_days": age_in_days(recovery.raised_on, today),
    }


def appropriation_view(appropriation: Appropriation) -> dict[str, Any]:
    """The money set aside for the call, and where it comes from: 困难群众救助补助资金
    (卫沙民社函〔2025〕11号 §六.(一); the notice's preamble names the 2025 budget notice)."""
    return {
        "call_id": appropriation.call_id,
        "source": appropriation.source,
        "source_name": SOURCE_NAMES.get(appropriation.source, appropriation.source),
        "amount_fen": appropriation.amount_fen,
        "committed_fen": appropriation.committed_fen,
        "appropriated_on": appropriation.appropriated_on,
        "announced": appropriation.announced,
    }


def funding_summary(
    funding: ContractFunding, recovery: Recovery | None, today: date, appropriation: Appropriation | None = None
) -> dict[str, Any]:
    lines = []
    for name, budget in sorted(funding.budget.items()):
        fiscal = funding.spent["fiscal"].get(name, 0)
        lines.append(
            {
                "line": name,
                "budget_fen": budget,
                "spent_fiscal_fen": fiscal,
                "spent_donation_fen": funding.spent["donation"].get(name, 0),
                "remaining_fen": budget - fiscal,
                "over_budget": fiscal > budget,
            }
        )
    return {
        "contract_id": funding.id,
        "call_id": funding.call_id,
        "application_id": funding.application_id,
        "organization_id": funding.organization_id,
        "state": funding.state,
        "state_reason": funding.state_reason,
        "signed_on": funding.signed_on,
        "period_start": funding.period_start,
        "period_end": funding.period_end,
        "plan_valid": funding.plan_is_valid,
        "plan_notes": funding.plan_notes,
        "fiscal": {
            "committed_fen": funding.committed_fen,
            "obligated_fen": funding.obligated_fen,
            "payable_fen": funding.payable_fen,
            "paid_fen": funding.paid_fen,
            "withheld_fen": funding.withheld_fen,
            "deobligated_fen": funding.deobligated_fen,
            "unpaid_obligation_fen": funding.obligated_fen - funding.paid_fen - funding.deobligated_fen,
            "spent_fen": funding.spent_fen("fiscal"),
            "received_unspent_fen": funding.paid_fen - funding.spent_fen("fiscal"),
        },
        "donation": {
            "received_fen": funding.donations_fen,
            "spent_fen": funding.spent_fen("donation"),
            "balance_fen": funding.donation_balance_fen,
        },
        "appropriation": None if appropriation is None else appropriation_view(appropriation),
        "owed_back": None if recovery is None else recovery_view(recovery, today),
        "tranches": [tranche_view(t, funding) for t in funding.tranches],
        "budget_lines": lines,
        "flagged_expenditures": [x for x in funding.expenditures if x["flags"]],
        "expenditures": list(funding.expenditures),
        "donations": funding.donations,
        "version": funding.version,
    }
