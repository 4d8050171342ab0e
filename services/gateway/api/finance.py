"""Finance routes (DESIGN.md §5, finance row)."""

from services.finance import schemas as s
from services.gateway.web.routes import route
from shared.pagination import PageQuery

WRITE_ERRORS = (404, 409, 422)


class FinanceRoutes:
    @route(
        "GET",
        "/contracts/{contract_id}/funding",
        summary="What a contract was committed, obligated, paid, withheld, spent and owes back, "
        "now or as it stood at ?as_of",
        tag="finance",
        query=s.FundingQuery,
        response=s.FundingSchema,
        errors=(400, 404, 422),
    )
    def get_funding(self, request, contract_id):
        return self.send(request, "finance", "get_funding", contract_id)

    @route(
        "GET",
        "/tranches/awaiting-evaluation",
        summary="Unpaid tranches of live contracts held by a mid-term or effectiveness evaluation not yet passed",
        tag="finance",
        query=PageQuery,
        response=s.TrancheAwaitingEvaluationPage,
        errors=(400,),
    )
    def tranches_awaiting_evaluation(self, request):
        return self.send(request, "finance", "tranches_awaiting_evaluation")

    @route(
        "POST",
        "/tranches/{tranche_id}/payment",
        summary="Record the payment of a payable tranche",
        tag="finance",
        request=s.PayTrancheRequest,
        response=s.TrancheSchema,
        errors=WRITE_ERRORS,
    )
    def pay_tranche(self, request, tranche_id):
        return self.send(request, "finance", "pay_tranche", tranche_id)

    @route(
        "POST",
        "/tranches/{tranche_id}/payment-reversal",
        summary="Reverse a payment recorded in error",
        tag="finance",
        request=s.ReversalRequest,
        response=s.TrancheSchema,
        errors=WRITE_ERRORS,
    )
    def reverse_payment(self, request, tranche_id):
        return self.send(request, "finance", "reverse_payment", tranche_id)

    @route(
        "POST",
        "/contracts/{contract_id}/expenditures",
        summary="Record provider spending on a budget line",
        tag="finance",
        request=s.ExpenditureRequest,
        response=s.ExpenditureRecorded,
        status=201,
        location="/contracts/{contract_id}/funding",
        errors=WRITE_ERRORS,
    )
    def record_expenditure(self, request, contract_id):
        return self.send(request, "finance", "record_expenditure", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/expenditures/{expenditure_id}/reversal",
        summary="Reverse spending recorded in error",
        tag="finance",
        request=s.ReversalRequest,
        response=s.ExpenditureSchema,
        errors=WRITE_ERRORS,
    )
    def reverse_expenditure(self, request, contract_id, expenditure_id):
        return self.send(request, "finance", "reverse_expenditure", contract_id, expenditure_id)

    @route(
        "POST",
        "/donations",
        summary="Record a designated donation to a project",
        tag="finance",
        request=s.DonationRequest,
        response=s.DonationRecorded,
        status=201,
        location="/contracts/{contract_id}/funding",
        errors=WRITE_ERRORS,
    )
    def receive_donation(self, request):
        return self.send(request, "finance", "receive_donation")

    @route(
        "GET",
        "/recoveries",
        summary="Money to recover, with age, now or as it stood at ?as_of",
        tag="finance",
        query=s.RecoveriesQuery,
        response=s.RecoveryPage,
        errors=(400, 422),
    )
    def list_recoveries(self, request):
        return self.send(request, "finance", "list_recoveries")

    @route(
        "POST",
        "/recoveries/{recovery_id}/collections",
        summary="Record money collected on a recovery",
        tag="finance",
        request=s.CollectionRequest,
        response=s.RecoverySchema,
        errors=WRITE_ERRORS,
    )
    def collect_recovery(self, request, recovery_id):
        return self.send(request, "finance", "collect_recovery", recovery_id)

    @route(
        "POST",
        "/recoveries/{recovery_id}/write-off",
        summary="Write off a recovery (reason and approver)",
        tag="finance",
        request=s.WriteOffRequest,
        response=s.RecoverySchema,
        errors=WRITE_ERRORS,
    )
    def write_off_recovery(self, request, recovery_id):
        return self.send(request, "finance", "write_off_recovery", recovery_id)

    @route(
        "GET",
        "/ledger/trial-balance",
        summary="Trial balance of the journal as of a date, as recorded now or up to ?as_of_position",
        tag="finance",
        query=s.TrialBalanceQuery,
        response=s.TrialBalanceSchema,
        errors=(400, 422),
    )
    def trial_balance(self, request):
        return self.send(request, "finance", "trial_balance")

    @route(
        "GET",
        "/ledger/journal",
        summary="Journal entries in posting order (append-only; corrections are reversal entries), "
        "now or as recorded by ?as_of",
        tag="finance",
        query=s.JournalQuery,
        response=s.JournalPage,
        errors=(400, 422),
    )
    def journal(self, request):
        return self.send(request, "finance", "journal")

    @route(
        "GET",
        "/ledger/reconciliation",
        summary="Paid vs obligated, received vs spent, donations vs use, and every break explained; "
        "now or as the records stood by ?as_of (a date's end) or ?as_of_position",
        tag="finance",
        query=s.ReconciliationQuery,
        response=s.ReconciliationSchema,
        errors=(400, 422),
    )
    def reconciliation(self, request):
        return self.send(request, "finance", "reconciliation")
