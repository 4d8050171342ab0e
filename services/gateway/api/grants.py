"""Grants and public routes (DESIGN.md §5, grants and public rows).

Decision dates in bodies are optional: the service dates a decision today
unless told otherwise, and refuses dates in the future."""

from services.gateway.web.routes import route
from services.grants import schemas as s
from shared.pagination import PageQuery

G, P = "grants", "public"


class GrantsRoutes:
    # Organizations

    @route(
        "POST",
        "/organizations",
        summary="Register an applicant organization",
        tag=G,
        request=s.RegisterOrganizationRequest,
        response=s.Created,
        status=201,
        location="/organizations/{id}",
        errors=(409, 422),
    )
    def grants_register_organization(self, request):
        return self.send(request, "grants", "register_organization")

    @route(
        "GET",
        "/organizations",
        summary="Organisations",
        tag=G,
        query=PageQuery,
        response=s.OrganizationPage,
        errors=(400,),
    )
    def grants_list_organizations(self, request):
        return self.send(request, "grants", "list_organizations")

    @route(
        "GET",
        "/organizations/{organization_id}",
        summary="An organization with its evidence and bans",
        tag=G,
        response=s.OrganizationSchema,
        errors=(404,),
    )
    def grants_get_organization(self, request, organization_id):
        return self.send(request, "grants", "get_organization", organization_id)

    @route(
        "POST",
        "/organizations/{organization_id}/evidence",
        summary="Record dated evidence the bureau verified against its source (counts for eligibility)",
        tag=G,
        request=s.VerifiedEvidenceRequest,
        response=s.Created,
        status=201,
        location="/organizations/{organization_id}",
        errors=(404, 422),
    )
    def grants_record_evidence(self, request, organization_id):
        return self.send(request, "grants", "record_evidence", organization_id)

    @route(
        "POST",
        "/organizations/{organization_id}/evidence-submissions",
        summary="Submit a document as evidence (counts only once the bureau verifies it)",
        tag=G,
        request=s.EvidenceRequest,
        response=s.Created,
        status=201,
        location="/organizations/{organization_id}",
        errors=(404, 422),
    )
    def grants_submit_evidence(self, request, organization_id):
        return self.send(request, "grants", "submit_evidence", organization_id)

    @route(
        "POST",
        "/organizations/{organization_id}/evidence/{evidence_id}/verification",
        summary="Verify or reject submitted evidence against its source",
        tag=G,
        request=s.EvidenceVerificationRequest,
        response=s.OrganizationSchema,
        errors=(404, 422),
    )
    def grants_verify_evidence(self, request, organization_id, evidence_id):
        return self.send(request, "grants", "verify_evidence", organization_id, evidence_id)

    # Calls

    @route(
        "POST",
        "/calls",
        summary="Draft a call for proposals",
        tag=G,
        request=s.CallRequest,
        response=s.Created,
        status=201,
        location="/calls/{id}",
        errors=(422,),
    )
    def grants_draft_call(self, request):
        return self.send(request, "grants", "draft_call")

    @route("GET", "/calls", summary="Calls for proposals", tag=G, query=PageQuery, response=s.CallPage, errors=(400,))
    def grants_list_calls(self, request):
        return self.send(request, "grants", "list_calls")

    @route(
        "GET",
        "/calls/{call_id}",
        summary="A call with its panel, shortlist and determination",
        tag=G,
        response=s.CallSchema,
        errors=(404,),
    )
    def grants_get_call(self, request, call_id):
        return self.send(request, "grants", "get_call", call_id)

    @route(
        "POST",
        "/calls/{call_id}/publish",
        summary="Publish a drafted call",
        tag=G,
        request=s.PublishRequest,
        response=s.CallSchema,
        errors=(404, 409, 422),
    )
    def grants_publish_call(self, request, call_id):
        return self.send(request, "grants", "publish_call", call_id)

    @route(
        "POST",
        "/calls/{call_id}/close",
        summary="Close a published call",
        tag=G,
        request=s.CloseCallRequest,
        response=s.CallSchema,
        errors=(404, 409, 422),
    )
    def grants_close_call(self, request, call_id):
        return self.send(request, "grants", "close_call", call_id)

    @route(
        "POST",
        "/calls/{call_id}/applications",
        summary="Apply to a call",
        tag=G,
        request=s.ApplicationRequest,
        response=s.Created,
        status=201,
        location="/applications/{id}",
        errors=(404, 409, 422),
    )
    def grants_submit_application(self, request, call_id):
        return self.send(request, "grants", "submit_application", call_id)

    # Applications and review

    @route(
        "GET",
        "/applications/{application_id}",
        summary="An application",
        tag=G,
        response=s.ApplicationSchema,
        errors=(404,),
    )
    def grants_get_application(self, request, application_id):
        return self.send(request, "grants", "get_application", application_id)

    @route(
        "GET",
        "/applications/{application_id}/eligibility",
        summary="Eligibility as of the application date, with a reason per rule",
        tag=G,
        response=s.EligibilitySchema,
        errors=(404,),
    )
    def grants_eligibility(self, request, application_id):
        return self.send(request, "grants", "eligibility", application_id)

    @route(
        "POST",
        "/applications/{application_id}/preliminary-review",
        summary="Pass or reject with reasons",
        tag=G,
        request=s.PreliminaryReviewRequest,
        response=s.ApplicationSchema,
        errors=(404, 409, 422),
    )
    def grants_preliminary_review(self, request, application_id):
        return self.send(request, "grants", "preliminary_review", application_id)

    @route(
        "POST",
        "/applications/{application_id}/due-diligence",
        summary="Record a due-diligence finding",
        tag=G,
        request=s.DueDiligenceRequest,
        response=s.Created,
        status=201,
        location="/applications/{application_id}",
        errors=(404, 409, 422),
    )
    def grants_due_diligence(self, request, application_id):
        return self.send(request, "grants", "record_due_diligence", application_id)

    @route(
        "POST",
        "/applications/{application_id}/withdrawal",
        summary="Withdraw an application",
        tag=G,
        request=s.WithdrawalRequest,
        response=s.ApplicationSchema,
        errors=(404, 409, 422),
    )
    def grants_withdraw(self, request, application_id):
        return self.send(request, "grants", "withdraw_application", application_id)

    @route(
        "POST",
        "/applications/{application_id}/disqualification",
        summary="Disqualify (false materials) and ban the organization for three years",
        tag=G,
        request=s.DisqualificationRequest,
        response=s.ApplicationSchema,
        errors=(404, 409, 422),
    )
    def grants_disqualify(self, request, application_id):
        return self.send(request, "grants", "disqualify_application", application_id)

    @route(
        "POST",
        "/applications/{application_id}/optimisation",
        summary="Record the optimised plan",
        tag=G,
        request=s.OptimisationRequest,
        response=s.Created,
        status=201,
        location="/applications/{application_id}",
        errors=(404, 409, 422),
    )
    def grants_optimise(self, request, application_id):
        return self.send(request, "grants", "optimise_plan", application_id)

    @route(
        "POST",
        "/calls/{call_id}/panel",
        summary="Appoint a review-panel member",
        tag=G,
        request=s.PanelMemberRequest,
        response=s.Created,
        status=201,
        location="/calls/{call_id}",
        errors=(404, 409, 422),
    )
    def grants_appoint(self, request, call_id):
        return self.send(request, "grants", "appoint_panel_member", call_id)

    @route(
        "POST",
        "/calls/{call_id}/panel/{member_id}/declarations",
        summary="Declare a conflict of interest (or none) for an application",
        tag=G,
        request=s.DeclarationRequest,
        response=s.CallSchema,
        errors=(404, 409, 422),
    )
    def grants_declare(self, request, call_id, member_id):
        return self.send(request, "grants", "declare_interest", call_id, member_id)

    @route(
        "POST",
        "/applications/{application_id}/scores",
        summary="A panel member's rubric scores",
        tag=G,
        request=s.ScoreRequest,
        response=s.ScoreResult,
        errors=(404, 409, 422),
    )
    def grants_score(self, request, application_id):
        return self.send(request, "grants", "score_application", application_id)

    @route(
        "GET",
        "/calls/{call_id}/ranking",
        summary="Scored applications ranked",
        tag=G,
        response=s.Ranking,
        errors=(404,),
    )
    def grants_ranking(self, request, call_id):
        return self.send(request, "grants", "ranking", call_id)

    @route(
        "POST",
        "/calls/{call_id}/shortlist",
        summary="Shortlist the top-ranked applications",
        tag=G,
        request=s.ShortlistRequest,
        response=s.Shortlist,
        errors=(404, 409, 422),
    )
    def grants_shortlist(self, request, call_id):
        return self.send(request, "grants", "shortlist", call_id)

    # Public notice and determination

    @route(
        "POST",
        "/calls/{call_id}/public-notice",
        summary="Open the public notice of the shortlist",
        tag=G,
        request=s.NoticeRequest,
        response=s.Created,
        status=201,
        location="/public-notices/{id}",
        errors=(404, 409, 422),
    )
    def grants_open_notice(self, request, call_id):
        return self.send(request, "grants", "open_public_notice", call_id)

    @route(
        "GET",
        "/public-notices/{notice_id}",
        summary="A public notice with its objections",
        tag=G,
        response=s.NoticeSchema,
        errors=(404,),
    )
    def grants_get_notice(self, request, notice_id):
        return self.send(request, "grants", "get_notice", notice_id)

    @route(
        "POST",
        "/public-notices/{notice_id}/objections",
        summary="Lodge an objection during the notice",
        tag=G,
        request=s.ObjectionRequest,
        response=s.Created,
        status=201,
        location="/public-notices/{notice_id}",
        errors=(404, 422),
    )
    def grants_lodge_objection(self, request, notice_id):
        return self.send(request, "grants", "lodge_objection", notice_id)

    @route(
        "POST",
        "/public-notices/{notice_id}/objections/{objection_id}/resolution",
        summary="Resolve an objection",
        tag=G,
        request=s.ResolutionRequest,
        response=s.NoticeSchema,
        errors=(404, 409, 422),
    )
    def grants_resolve_objection(self, request, notice_id, objection_id):
        return self.send(request, "grants", "resolve_objection", notice_id, objection_id)

    @route(
        "POST",
        "/calls/{call_id}/determination",
        summary="Determine the provider (after the notice, with no objection open)",
        tag=G,
        request=s.DeterminationRequest,
        response=s.CallSchema,
        errors=(404, 409, 422),
    )
    def grants_determine(self, request, call_id):
        return self.send(request, "grants", "determine", call_id)

    @route(
        "GET",
        "/public/notices",
        summary="Public notices (no token needed)",
        tag=P,
        query=PageQuery,
        response=s.PublicNoticePage,
        errors=(400,),
    )
    def grants_public_notices(self, request):
        return self.send(request, "grants", "list_public_notices")

    @route(
        "GET",
        "/public/bans",
        summary="Public credit notices: bans (no token needed)",
        tag=P,
        query=PageQuery,
        response=s.BanPage,
        errors=(400,),
    )
    def grants_public_bans(self, request):
        return self.send(request, "grants", "list_bans")

    # Contracts

    @route(
        "POST",
        "/contracts",
        summary="Sign the contract with the determined provider",
        tag=G,
        request=s.ContractRequest,
        response=s.Created,
        status=201,
        location="/contracts/{id}",
        errors=(404, 409, 422),
    )
    def grants_sign_contract(self, request):
        return self.send(request, "grants", "sign_contract")

    @route(
        "GET",
        "/contracts",
        summary="Contracts, one provider's if named (provider staff: always their own organisation's)",
        tag=G,
        query=s.ContractsQuery,
        response=s.ContractPage,
        errors=(400, 403),
    )
    def grants_list_contracts(self, request):
        return self.send(request, "grants", "list_contracts")

    @route(
        "GET",
        "/contracts/{contract_id}",
        summary="A contract and its lifecycle",
        tag=G,
        response=s.ContractSchema,
        errors=(404,),
    )
    def grants_get_contract(self, request, contract_id):
        return self.send(request, "grants", "get_contract", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/start",
        summary="Start services (signed → active)",
        tag=G,
        request=s.StartRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_start_contract(self, request, contract_id):
        return self.send(request, "grants", "start_contract", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/quarterly-reports",
        summary="Submit a quarterly written report",
        tag=G,
        request=s.QuarterlyReportRequest,
        response=s.Created,
        status=201,
        location="/contracts/{contract_id}",
        errors=(404, 409, 422),
    )
    def grants_submit_report(self, request, contract_id):
        """The written report cites the generated one (§五.(三).4): casework
        regenerates it at the cited position and refuses a hash that differs."""
        body = self.loaded_body(request)
        reference = body["generated_report"]
        self.call("grants", "get_contract", contract_id)  # an unknown contract is 404, whatever it cites
        self.call(
            "casework",
            "check_report_reference",
            contract_id,
            f"{body['year']}-Q{body['quarter']}",
            {"as_of_position": reference["as_of_position"], "content_hash": reference["content_hash"]},
        )
        return self.send(request, "grants", "submit_quarterly_report", contract_id)

    @route(
        "GET",
        "/quarterly-reports/late",
        summary="Live contracts with a quarterly written report late today (§五.(三).4)",
        tag=G,
        query=PageQuery,
        response=s.LateReportPage,
        errors=(400,),
    )
    def grants_late_reports(self, request):
        return self.send(request, "grants", "list_late_reports")

    @route(
        "POST",
        "/contracts/{contract_id}/quarterly-reports/{report_id}/review",
        summary="Accept or return a quarterly report",
        tag=G,
        request=s.ReportReviewRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_review_report(self, request, contract_id, report_id):
        return self.send(request, "grants", "review_quarterly_report", contract_id, report_id)

    @route(
        "POST",
        "/contracts/{contract_id}/evaluations",
        summary="Mid-term or effectiveness evaluation",
        tag=G,
        request=s.EvaluationRequest,
        response=s.EvaluationSchema,
        status=201,
        location="/contracts/{contract_id}",
        errors=(404, 409, 422),
    )
    def grants_evaluate(self, request, contract_id):
        return self.send(request, "grants", "record_evaluation", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/mid-term-re-evaluation",
        summary="Open a mid-term re-evaluation after a failed one (a reason; a different person records it)",
        tag=G,
        request=s.ReEvaluationRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_open_re_evaluation(self, request, contract_id):
        return self.send(request, "grants", "open_mid_term_re_evaluation", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/completion",
        summary="Record completion with the final report",
        tag=G,
        request=s.CompletionRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_complete(self, request, contract_id):
        return self.send(request, "grants", "complete_contract", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/audit",
        summary="Record the final audit",
        tag=G,
        request=s.AuditRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_audit(self, request, contract_id):
        return self.send(request, "grants", "record_audit", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/closure",
        summary="Close an audited contract",
        tag=G,
        request=s.ClosureRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_close_contract(self, request, contract_id):
        return self.send(request, "grants", "close_contract", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/suspension",
        summary="Suspend for non-compliance",
        tag=G,
        request=s.SuspensionRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_suspend(self, request, contract_id):
        return self.send(request, "grants", "suspend_contract", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/reinstatement",
        summary="Reinstate a suspended contract",
        tag=G,
        request=s.ReinstatementRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_reinstate(self, request, contract_id):
        return self.send(request, "grants", "reinstate_contract", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/termination",
        summary="Terminate (a 七.(一) sanction also bans for three years and recovers all paid)",
        tag=G,
        request=s.TerminationRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_terminate(self, request, contract_id):
        return self.send(request, "grants", "terminate_contract", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/force-majeure",
        summary="Report force majeure",
        tag=G,
        request=s.ForceMajeureRequest,
        response=s.Created,
        status=201,
        location="/contracts/{contract_id}",
        errors=(404, 409, 422),
    )
    def grants_force_majeure(self, request, contract_id):
        return self.send(request, "grants", "report_force_majeure", contract_id)

    @route(
        "POST",
        "/contracts/{contract_id}/force-majeure/{report_id}/decision",
        summary="Decide a force-majeure report: accept (scope/term adjusted), suspend, or terminate without fault",
        tag=G,
        request=s.ForceMajeureDecisionRequest,
        response=s.ContractSchema,
        errors=(404, 409, 422),
    )
    def grants_decide_force_majeure(self, request, contract_id, report_id):
        return self.send(request, "grants", "decide_force_majeure", contract_id, report_id)

    @route(
        "POST",
        "/contracts/{contract_id}/transfer",
        summary="Transfer or subcontract the project: always refused (卫沙民社函〔2025〕11号 §七.(三))",
        tag=G,
        request=s.ContractTransferRequest,
        errors=(404, 422),
    )
    def grants_transfer(self, request, contract_id):
        return self.send(request, "grants", "request_transfer", contract_id)
