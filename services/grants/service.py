"""nameko entrypoints for grants: load → one application call → dump."""

import functools

from services.grants import schemas as s
from services.grants.application import GrantsApplication
from services.grants.exceptions import (
    ApplicationNotFound,
    AttachmentNotFound,
    CallNotFound,
    ContractNotFound,
    NoticeNotFound,
    OrganizationNotFound,
)
from shared import service_base
from shared.entrypoints import rpc
from shared.errors import Conflict, InvalidInput, NotFound
from shared.jsonable import jsonable
from shared.nameko_deps import ServiceStore
from shared.pagination import PageQuery, list_page
from shared.validation import load_or_refuse, parse_uuid, schema_of

EXPECTED = (InvalidInput, NotFound, Conflict)


def expected_rpc(method):
    """An RPC whose answer is JSON primitives only, also inside free-form parts
    (evidence, proposals), so every caller gets the same strings for dates,
    ids and decimals."""

    @functools.wraps(method)
    def answer(self, *args, **kwargs):
        return jsonable(method(self, *args, **kwargs))

    return rpc(expected_exceptions=EXPECTED)(answer)


def _created(new_id) -> dict:
    return schema_of(s.Created).dump({"id": new_id})


class GrantsService(service_base.EventSourcedService):
    name = "grants"
    store = ServiceStore(GrantsApplication)

    def _list(self, method, page_schema, key, params):
        return list_page(params, schema_of(PageQuery), schema_of(page_schema), method, key)

    # Organizations

    @expected_rpc
    @service_base.command
    def register_organization(self, data):
        return _created(
            self.store.register_organization(**load_or_refuse(schema_of(s.RegisterOrganizationRequest), data))
        )

    # Attachments (the bytes are in the attachment store; shared/attachments.py)

    @expected_rpc
    @service_base.command
    def attach_to_organization(self, organization_id, data):
        org = parse_uuid(organization_id, OrganizationNotFound)
        request = load_or_refuse(schema_of(s.AttachToOrganizationRequest), data)
        return schema_of(s.OrganizationAttachmentSchema).dump(self.store.attach_to_organization(org, **request))

    @expected_rpc
    def list_organization_attachments(self, organization_id):
        org = parse_uuid(organization_id, OrganizationNotFound)
        return schema_of(s.OrganizationAttachmentList).dump(self.store.list_organization_attachments(org))

    @expected_rpc
    def get_organization_attachment(self, organization_id, attachment_id):
        org = parse_uuid(organization_id, OrganizationNotFound)
        found = self.store.get_organization_attachment(org, parse_uuid(attachment_id, AttachmentNotFound))
        return schema_of(s.OrganizationAttachmentSchema).dump(found)

    @expected_rpc
    @service_base.command
    def record_evidence(self, organization_id, data):
        org = parse_uuid(organization_id, OrganizationNotFound)
        return _created(self.store.record_evidence(org, **load_or_refuse(schema_of(s.VerifiedEvidenceRequest), data)))

    @expected_rpc
    @service_base.command
    def submit_evidence(self, organization_id, data):
        org = parse_uuid(organization_id, OrganizationNotFound)
        return _created(self.store.submit_evidence(org, **load_or_refuse(schema_of(s.EvidenceRequest), data)))

    @expected_rpc
    @service_base.command
    def verify_evidence(self, organization_id, evidence_id, data):
        org = parse_uuid(organization_id, OrganizationNotFound)
        evidence = parse_uuid(evidence_id, OrganizationNotFound)
        self.store.verify_evidence(org, evidence, **load_or_refuse(schema_of(s.EvidenceVerificationRequest), data))
        return self.get_organization(organization_id)

    @expected_rpc
    def get_organization(self, organization_id):
        found = self.store.get_organization(parse_uuid(organization_id, OrganizationNotFound))
        return schema_of(s.OrganizationSchema).dump(found)

    @expected_rpc
    def list_organizations(self, params=None):
        return self._list(self.store.list_organizations, s.OrganizationPage, "organization_id", params)

    # Calls

    @expected_rpc
    @service_base.command
    def draft_call(self, data):
        return _created(self.store.draft_call(**load_or_refuse(schema_of(s.CallRequest), data)))

    @expected_rpc
    @service_base.command
    def publish_call(self, call_id, data):
        self.store.publish_call(parse_uuid(call_id, CallNotFound), **load_or_refuse(schema_of(s.PublishRequest), data))
        return self.get_call(call_id)

    @expected_rpc
    @service_base.command
    def close_call(self, call_id, data):
        self.store.close_call(parse_uuid(call_id, CallNotFound), **load_or_refuse(schema_of(s.CloseCallRequest), data))
        return self.get_call(call_id)

    @expected_rpc
    def get_call(self, call_id):
        return schema_of(s.CallSchema).dump(self.store.get_call(parse_uuid(call_id, CallNotFound)))

    @expected_rpc
    def list_calls(self, params=None):
        return self._list(self.store.list_calls, s.CallPage, "call_id", params)

    # Applications

    @expected_rpc
    @service_base.command
    def submit_application(self, call_id, data):
        request = load_or_refuse(schema_of(s.ApplicationRequest), data)
        return _created(
            self.store.submit_application(parse_uuid(call_id, CallNotFound), request.pop("organization_id"), **request)
        )

    @expected_rpc
    def get_application(self, application_id):
        return schema_of(s.ApplicationSchema).dump(
            self.store.get_application(parse_uuid(application_id, ApplicationNotFound))
        )

    @expected_rpc
    def eligibility(self, application_id):
        return schema_of(s.EligibilitySchema).dump(
            self.store.eligibility(parse_uuid(application_id, ApplicationNotFound))
        )

    @expected_rpc
    @service_base.command
    def preliminary_review(self, application_id, data):
        app_id = parse_uuid(application_id, ApplicationNotFound)
        self.store.preliminary_review(app_id, **load_or_refuse(schema_of(s.PreliminaryReviewRequest), data))
        return self.get_application(application_id)

    @expected_rpc
    @service_base.command
    def record_due_diligence(self, application_id, data):
        app_id = parse_uuid(application_id, ApplicationNotFound)
        return _created(
            self.store.record_due_diligence(app_id, **load_or_refuse(schema_of(s.DueDiligenceRequest), data))
        )

    @expected_rpc
    @service_base.command
    def withdraw_application(self, application_id, data):
        app_id = parse_uuid(application_id, ApplicationNotFound)
        self.store.withdraw_application(app_id, **load_or_refuse(schema_of(s.WithdrawalRequest), data))
        return self.get_application(application_id)

    @expected_rpc
    @service_base.command
    def disqualify_application(self, application_id, data):
        app_id = parse_uuid(application_id, ApplicationNotFound)
        self.store.disqualify_application(app_id, **load_or_refuse(schema_of(s.DisqualificationRequest), data))
        return self.get_application(application_id)

    @expected_rpc
    @service_base.command
    def optimise_plan(self, application_id, data):
        app_id = parse_uuid(application_id, ApplicationNotFound)
        return _created(self.store.optimise_plan(app_id, **load_or_refuse(schema_of(s.OptimisationRequest), data)))

    # Review

    @expected_rpc
    @service_base.command
    def appoint_panel_member(self, call_id, data):
        call = parse_uuid(call_id, CallNotFound)
        return _created(self.store.appoint_panel_member(call, **load_or_refuse(schema_of(s.PanelMemberRequest), data)))

    @expected_rpc
    @service_base.command
    def declare_interest(self, call_id, member_id, data):
        call = parse_uuid(call_id, CallNotFound)
        member = parse_uuid(member_id, CallNotFound)
        self.store.declare_interest(call, member, **load_or_refuse(schema_of(s.DeclarationRequest), data))
        return self.get_call(call_id)

    @expected_rpc
    @service_base.command
    def score_application(self, application_id, data):
        app_id = parse_uuid(application_id, ApplicationNotFound)
        return schema_of(s.ScoreResult).dump(
            self.store.score_application(app_id, **load_or_refuse(schema_of(s.ScoreRequest), data))
        )

    @expected_rpc
    def ranking(self, call_id):
        return schema_of(s.Ranking).dump({"items": self.store.ranking(parse_uuid(call_id, CallNotFound))})

    @expected_rpc
    @service_base.command
    def shortlist(self, call_id, data):
        chosen = self.store.shortlist(
            parse_uuid(call_id, CallNotFound), **load_or_refuse(schema_of(s.ShortlistRequest), data)
        )
        return schema_of(s.Shortlist).dump({"application_ids": chosen})

    # Public notice and determination

    @expected_rpc
    @service_base.command
    def open_public_notice(self, call_id, data):
        call = parse_uuid(call_id, CallNotFound)
        return _created(self.store.open_public_notice(call, **load_or_refuse(schema_of(s.NoticeRequest), data)))

    @expected_rpc
    def get_notice(self, notice_id):
        return schema_of(s.NoticeSchema).dump(self.store.get_notice(parse_uuid(notice_id, NoticeNotFound)))

    @expected_rpc
    @service_base.command
    def lodge_objection(self, notice_id, data):
        notice = parse_uuid(notice_id, NoticeNotFound)
        return _created(self.store.lodge_objection(notice, **load_or_refuse(schema_of(s.ObjectionRequest), data)))

    @expected_rpc
    @service_base.command
    def resolve_objection(self, notice_id, objection_id, data):
        notice = parse_uuid(notice_id, NoticeNotFound)
        objection = parse_uuid(objection_id, NoticeNotFound)
        self.store.resolve_objection(notice, objection, **load_or_refuse(schema_of(s.ResolutionRequest), data))
        return self.get_notice(notice_id)

    @expected_rpc
    @service_base.command
    def determine(self, call_id, data):
        request = load_or_refuse(schema_of(s.DeterminationRequest), data)
        self.store.determine(parse_uuid(call_id, CallNotFound), **request)
        return self.get_call(call_id)

    @expected_rpc
    def list_public_notices(self, params=None):
        return self._list(self.store.list_public_notices, s.PublicNoticePage, "notice_id", params)

    @expected_rpc
    def list_bans(self, params=None):
        return self._list(self.store.list_bans, s.BanPage, "ban_id", params)

    @expected_rpc
    def open_objections(self):
        """Objections awaiting resolution, each due by its notice's end (GET /me/tasks)."""
        return s.OpenObjection(many=True).dump(self.store.open_objections())

    # Contracts

    @expected_rpc
    def list_late_reports(self, params=None):
        return self._list(self.store.list_late_reports, s.LateReportPage, "contract_id", params)

    @expected_rpc
    @service_base.command
    def sign_contract(self, data):
        return _created(self.store.sign_contract(**load_or_refuse(schema_of(s.ContractRequest), data)))

    @expected_rpc
    def get_contract(self, contract_id):
        return schema_of(s.ContractSchema).dump(self.store.get_contract(parse_uuid(contract_id, ContractNotFound)))

    @expected_rpc
    def list_contracts(self, params=None):
        """Contracts in id order, of one organisation if named (GET /contracts)."""
        return list_page(params, s.ContractsQuery(), s.ContractPage(), self.store.list_contracts, "contract_id")

    @expected_rpc
    def contract_dues(self, params=None):
        """Contracts (of one organisation, or all) with what each still owes and when (GET /me/tasks)."""
        query = load_or_refuse(s.ContractDuesQuery(), params or {})
        return s.ContractDues(many=True).dump(self.store.contract_dues(**query))

    def _contract_change(self, method, contract_id, schema, data):
        getattr(self.store, method)(parse_uuid(contract_id, ContractNotFound), **load_or_refuse(schema, data))
        return self.get_contract(contract_id)

    @expected_rpc
    @service_base.command
    def start_contract(self, contract_id, data):
        return self._contract_change("start_contract", contract_id, schema_of(s.StartRequest), data)

    @expected_rpc
    @service_base.command
    def submit_quarterly_report(self, contract_id, data):
        contract = parse_uuid(contract_id, ContractNotFound)
        return _created(
            self.store.submit_quarterly_report(contract, **load_or_refuse(schema_of(s.QuarterlyReportRequest), data))
        )

    @expected_rpc
    @service_base.command
    def review_quarterly_report(self, contract_id, report_id, data):
        contract = parse_uuid(contract_id, ContractNotFound)
        report = parse_uuid(report_id, ContractNotFound)
        self.store.review_quarterly_report(contract, report, **load_or_refuse(schema_of(s.ReportReviewRequest), data))
        return self.get_contract(contract_id)

    @expected_rpc
    @service_base.command
    def record_evaluation(self, contract_id, data):
        contract = parse_uuid(contract_id, ContractNotFound)
        return schema_of(s.EvaluationSchema).dump(
            self.store.record_evaluation(contract, **load_or_refuse(schema_of(s.EvaluationRequest), data))
        )

    @expected_rpc
    @service_base.command
    def complete_contract(self, contract_id, data):
        return self._contract_change("complete_contract", contract_id, schema_of(s.CompletionRequest), data)

    @expected_rpc
    @service_base.command
    def record_audit(self, contract_id, data):
        return self._contract_change("record_audit", contract_id, schema_of(s.AuditRequest), data)

    @expected_rpc
    @service_base.command
    def close_contract(self, contract_id, data):
        return self._contract_change("close_contract", contract_id, schema_of(s.ClosureRequest), data)

    @expected_rpc
    @service_base.command
    def open_mid_term_re_evaluation(self, contract_id, data):
        return self._contract_change("open_mid_term_re_evaluation", contract_id, schema_of(s.ReEvaluationRequest), data)

    @expected_rpc
    @service_base.command
    def suspend_contract(self, contract_id, data):
        return self._contract_change("suspend_contract", contract_id, schema_of(s.SuspensionRequest), data)

    @expected_rpc
    @service_base.command
    def reinstate_contract(self, contract_id, data):
        return self._contract_change("reinstate_contract", contract_id, schema_of(s.ReinstatementRequest), data)

    @expected_rpc
    @service_base.command
    def terminate_contract(self, contract_id, data):
        return self._contract_change("terminate_contract", contract_id, schema_of(s.TerminationRequest), data)

    @expected_rpc
    @service_base.command
    def report_force_majeure(self, contract_id, data):
        contract = parse_uuid(contract_id, ContractNotFound)
        return _created(
            self.store.report_force_majeure(contract, **load_or_refuse(schema_of(s.ForceMajeureRequest), data))
        )

    @expected_rpc
    @service_base.command
    def decide_force_majeure(self, contract_id, report_id, data):
        contract = parse_uuid(contract_id, ContractNotFound)
        report = parse_uuid(report_id, ContractNotFound)
        self.store.decide_force_majeure(
            contract, report, **load_or_refuse(schema_of(s.ForceMajeureDecisionRequest), data)
        )
        return self.get_contract(contract_id)

    @expected_rpc
    @service_base.command
    def request_transfer(self, contract_id, data):
        return self._contract_change("request_transfer", contract_id, schema_of(s.ContractTransferRequest), data)
