"""nameko entrypoints for finance: load → one application call → dump."""

from services.finance import schemas as s
from services.finance.application import FinanceApplication
from services.finance.exceptions import (
    AttachmentNotFound,
    ContractNotFound,
    DonationRefused,
    DuplicateVoucher,
    ExpenditureNotFound,
    ExpenditureRefused,
    PaymentRefused,
    RecoveryNotFound,
    RecoveryRefused,
    TrancheAlreadyPaid,
    TrancheNotFound,
    TrancheNotPayable,
)
from shared import service_base
from shared.entrypoints import event_handler, rpc
from shared.errors import ConcurrentChange, InvalidInput
from shared.nameko_deps import ConsumerFeed, ServiceStore
from shared.pagination import PageQuery, list_page, list_page_at, page
from shared.validation import load_or_refuse, parse_uuid, schema_of

WRITE_ERRORS = (InvalidInput, ConcurrentChange)


class FinanceService(service_base.EventSourcedService):
    name = "finance"
    store = ServiceStore(FinanceApplication)
    grants_feed = ConsumerFeed("grants", "handle_grants_event")

    @event_handler("grants", "#")
    def on_grants_event(self, message):
        self.grants_feed.receive(message)

    @rpc(expected_exceptions=(ContractNotFound, InvalidInput))
    def get_funding(self, contract_id, params=None):
        query = load_or_refuse(schema_of(s.FundingQuery), params or {})
        found = self.store.get_funding(parse_uuid(contract_id, ContractNotFound), **query)
        return schema_of(s.FundingSchema).dump(found)

    @rpc
    def payable_tranches(self):
        """Tranches payable now, awaiting payment (GET /me/tasks)."""
        return s.PayableTranche(many=True).dump(self.store.payable_tranches())

    @rpc(expected_exceptions=(InvalidInput,))
    def tranches_awaiting_evaluation(self, params=None):
        """Tranches held by an evaluation not yet passed (GET /tranches/awaiting-evaluation)."""
        return list_page(
            params,
            schema_of(PageQuery),
            schema_of(s.TrancheAwaitingEvaluationPage),
            self.store.tranches_awaiting_evaluation,
            "tranche_id",
        )

    @rpc(
        expected_exceptions=WRITE_ERRORS
        + (TrancheNotFound, ContractNotFound, TrancheNotPayable, PaymentRefused, TrancheAlreadyPaid, DuplicateVoucher)
    )
    @service_base.command
    def pay_tranche(self, tranche_id, data):
        tranche_id = parse_uuid(tranche_id, TrancheNotFound)
        request = load_or_refuse(schema_of(s.PayTrancheRequest), data)
        return schema_of(s.TrancheSchema).dump(self.store.pay_tranche(tranche_id, **request))

    @rpc(expected_exceptions=WRITE_ERRORS + (TrancheNotFound, PaymentRefused))
    @service_base.command
    def reverse_payment(self, tranche_id, data):
        tranche_id = parse_uuid(tranche_id, TrancheNotFound)
        request = load_or_refuse(schema_of(s.ReversalRequest), data)
        return schema_of(s.TrancheSchema).dump(self.store.reverse_payment(tranche_id, **request))

    # -- attachments (the bytes are in the attachment store; shared/attachments.py) ---------

    @rpc(expected_exceptions=WRITE_ERRORS + (TrancheNotFound, ContractNotFound, PaymentRefused))
    @service_base.command
    def attach_to_tranche(self, contract_id, tranche_id, data):
        contract_id = parse_uuid(contract_id, TrancheNotFound)
        tranche_id = parse_uuid(tranche_id, TrancheNotFound)
        request = load_or_refuse(schema_of(s.AttachToTrancheRequest), data)
        answer = self.store.attach_to_tranche(contract_id, tranche_id, **request)
        return schema_of(s.TrancheAttachmentSchema).dump(answer)

    @rpc(expected_exceptions=(TrancheNotFound,))
    def list_tranche_attachments(self, contract_id, tranche_id):
        contract_id, tranche_id = parse_uuid(contract_id, TrancheNotFound), parse_uuid(tranche_id, TrancheNotFound)
        return schema_of(s.TrancheAttachmentList).dump(self.store.list_tranche_attachments(contract_id, tranche_id))

    @rpc(expected_exceptions=(TrancheNotFound, AttachmentNotFound))
    def get_tranche_attachment(self, contract_id, tranche_id, attachment_id):
        contract_id, tranche_id = parse_uuid(contract_id, TrancheNotFound), parse_uuid(tranche_id, TrancheNotFound)
        found = self.store.get_tranche_attachment(
            contract_id, tranche_id, parse_uuid(attachment_id, AttachmentNotFound)
        )
        return schema_of(s.TrancheAttachmentSchema).dump(found)

    @rpc(expected_exceptions=WRITE_ERRORS + (ContractNotFound, ExpenditureRefused, DuplicateVoucher))
    @service_base.command
    def record_expenditure(self, contract_id, data):
        contract_id = parse_uuid(contract_id, ContractNotFound)
        request = load_or_refuse(schema_of(s.ExpenditureRequest), data)
        return schema_of(s.ExpenditureRecorded).dump(self.store.record_expenditure(contract_id, **request))

    @rpc(expected_exceptions=WRITE_ERRORS + (ContractNotFound, ExpenditureNotFound, ExpenditureRefused))
    @service_base.command
    def reverse_expenditure(self, contract_id, expenditure_id, data):
        contract_id = parse_uuid(contract_id, ContractNotFound)
        expenditure_id = parse_uuid(expenditure_id, ExpenditureNotFound)
        request = load_or_refuse(schema_of(s.ReversalRequest), data)
        reversed_ = self.store.reverse_expenditure(contract_id, expenditure_id, **request)
        return schema_of(s.ExpenditureSchema).dump(reversed_)

    @rpc(expected_exceptions=WRITE_ERRORS + (ContractNotFound, DonationRefused, DuplicateVoucher))
    @service_base.command
    def receive_donation(self, data):
        request = load_or_refuse(schema_of(s.DonationRequest), data)
        contract_id = request.pop("contract_id")
        return schema_of(s.DonationRecorded).dump(self.store.receive_donation(contract_id, **request))

    @rpc(expected_exceptions=(InvalidInput,))
    def list_recoveries(self, params=None):
        return list_page_at(
            params, schema_of(s.RecoveriesQuery), schema_of(s.RecoveryPage), self.store.list_recoveries, "recovery_id"
        )

    @rpc(expected_exceptions=WRITE_ERRORS + (RecoveryNotFound, RecoveryRefused))
    @service_base.command
    def collect_recovery(self, recovery_id, data):
        recovery_id = parse_uuid(recovery_id, RecoveryNotFound)
        request = load_or_refuse(schema_of(s.CollectionRequest), data)
        return schema_of(s.RecoverySchema).dump(self.store.collect_recovery(recovery_id, **request))

    @rpc(expected_exceptions=WRITE_ERRORS + (RecoveryNotFound, RecoveryRefused))
    @service_base.command
    def write_off_recovery(self, recovery_id, data):
        recovery_id = parse_uuid(recovery_id, RecoveryNotFound)
        request = load_or_refuse(schema_of(s.WriteOffRequest), data)
        return schema_of(s.RecoverySchema).dump(self.store.write_off_recovery(recovery_id, **request))

    @rpc(expected_exceptions=(InvalidInput,))
    def trial_balance(self, params=None):
        request = load_or_refuse(schema_of(s.TrialBalanceQuery), params or {})
        balance = self.store.trial_balance(request["as_of"], request["as_of_position"])
        return schema_of(s.TrialBalanceSchema).dump(balance)

    @rpc(expected_exceptions=(InvalidInput,))
    def journal(self, params=None):
        request = load_or_refuse(schema_of(s.JournalQuery), params or {})
        rows, position = self.store.journal(
            after=request["cursor"] or 0,
            limit=request["limit"] + 1,
            since=request["since"],
            until=request["until"],
            as_of=request["as_of"],
            as_of_position=request["as_of_position"],
        )
        answer = page(rows, request["limit"], key="sequence")
        return schema_of(s.JournalPage).dump({**answer, "as_of_position": position})

    @rpc(expected_exceptions=(InvalidInput,))
    def reconciliation(self, params=None):
        request = load_or_refuse(schema_of(s.ReconciliationQuery), params or {})
        found = self.store.reconciliation(request["as_of"], request["as_of_position"])
        return schema_of(s.ReconciliationSchema).dump(found)
