"""Which finance events become public, and in what shape (shared/contracts/finance.py)."""

from __future__ import annotations

from typing import Any

from services.finance.domain.funding import ContractFunding, tranche_id_for
from services.finance.domain.recovery import Recovery


def _tranche(e: Any) -> dict[str, Any]:
    return {
        "contract_id": e.originator_id,
        "tranche_id": tranche_id_for(e.originator_id, e.number),
        "number": e.number,
        "amount_fen": e.amount_fen,
    }


def public_event(e: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(e, ContractFunding.TranchePayable):
        return "finance.tranche_payable.v1", {**_tranche(e), "payable_on": e.payable_on}
    if isinstance(e, ContractFunding.TranchePaid):
        return "finance.tranche_paid.v1", {**_tranche(e), "paid_on": e.paid_on, "voucher": e.voucher}
    if isinstance(e, ContractFunding.TrancheWithheld):
        return "finance.tranche_withheld.v1", {**_tranche(e), "reason": e.reason, "withheld_on": e.withheld_on}
    if isinstance(e, ContractFunding.ExpenditureRecorded):
        return "finance.expenditure_recorded.v1", {
            "expenditure_id": e.expenditure_id,
            "contract_id": e.originator_id,
            "budget_line": e.budget_line,
            "fund": e.fund,
            "amount_fen": e.amount_fen,
            "spent_on": e.spent_on,
        }
    if isinstance(e, ContractFunding.DonationReceived):
        return "finance.donation_received.v1", {
            "donation_id": e.donation_id,
            "contract_id": e.originator_id,
            "donor": e.donor,
            "amount_fen": e.amount_fen,
            "received_on": e.received_on,
        }
    if isinstance(e, Recovery.Raised):
        return "finance.recovery_raised.v1", {
            "recovery_id": e.originator_id,
            "contract_id": e.contract_id,
            "organization_id": e.organization_id,
            "amount_fen": e.amount_fen,
            "raised_on": e.raised_on,
        }
    if isinstance(e, Recovery.Collected):
        return "finance.recovery_collected.v1", {
            "recovery_id": e.originator_id,
            "contract_id": e.contract_id,
            "amount_fen": e.amount_fen,
            "outstanding_fen": e.outstanding_fen,
            "collected_on": e.collected_on,
        }
    if isinstance(e, Recovery.WrittenOff):
        return "finance.recovery_written_off.v1", {
            "recovery_id": e.originator_id,
            "contract_id": e.contract_id,
            "amount_fen": e.amount_fen,
            "reason": e.reason,
            "approver": e.approver,
            "written_off_on": e.written_off_on,
        }
    return None
