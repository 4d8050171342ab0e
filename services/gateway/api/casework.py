"""Casework routes (DESIGN.md §5, casework row)."""

from urllib.parse import quote

import eventlet.tpool
from werkzeug.wrappers import Response

from services.casework import schemas as s
from services.gateway import report_fonts
from services.gateway.api import report_pdf
from services.gateway.api.report_html import render as render_report
from services.gateway.web.routes import route
from services.gateway.web.worker import json_response
from shared.pagination import PageQuery

TAG = "casework"
PDF = "application/pdf"


class ReportPdfQuery(s.ReportQuery):
    """The report's query, less `format`: this route answers PDF only."""

    class Meta:
        exclude = ("format",)


class CaseworkRoutes:
    # Roster -----------------------------------------------------------------
    @route(
        "GET",
        "/casework/children",
        summary="Children known to casework",
        tag=TAG,
        query=PageQuery,
        response=s.RosterPage,
        errors=(400,),
    )
    def list_casework_children(self, request):
        return self.send(request, "casework", "list_roster")

    @route(
        "GET",
        "/casework/children/{child_id}",
        summary="A child as casework knows it",
        tag=TAG,
        response=s.RosterChildSchema,
        errors=(404,),
    )
    def get_casework_child(self, request, child_id):
        return self.send(request, "casework", "get_roster_child", child_id)

    # Reach: which contracts serve a child -----------------------------------
    @route(
        "POST",
        "/casework/children/{child_id}/referrals",
        summary="Refer a child to a contract whose service area they do not live in",
        tag=TAG,
        request=s.ReferralRequest,
        response=s.RosterChildSchema,
        errors=(404, 409, 422),
    )
    def refer_child(self, request, child_id):
        return self.send(request, "casework", "refer_child", child_id)

    @route(
        "POST",
        "/casework/children/{child_id}/referrals/{contract_id}/withdrawal",
        summary="Withdraw a child's referral to a contract",
        tag=TAG,
        request=s.ReferralWithdrawalRequest,
        response=s.RosterChildSchema,
        errors=(404, 409, 422),
    )
    def withdraw_referral(self, request, child_id, contract_id):
        return self.send(request, "casework", "withdraw_referral", child_id, contract_id)

    @route(
        "GET",
        "/casework/children/{child_id}/reach",
        summary="The contracts that serve a child: by service area or by referral",
        tag=TAG,
        query=s.ReachQuery,
        response=s.ReachAnswer,
        errors=(400, 404),
    )
    def child_reach(self, request, child_id):
        return self.send(request, "casework", "child_reach", child_id)

    @route(
        "GET",
        "/contracts/{contract_id}/children",
        summary="The children a contract reaches: living in its service area, or referred to it",
        tag=TAG,
        query=PageQuery,
        response=s.RosterPage,
        errors=(400, 404),
    )
    def contract_children(self, request, contract_id):
        return self.send(request, "casework", "list_reached", contract_id)

    # Cases ------------------------------------------------------------------
    @route(
        "POST",
        "/cases",
        summary="Open an individual case (intake) for a registered child",
        tag=TAG,
        request=s.OpenCaseRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/cases/{id}",
        errors=(409, 422),
    )
    def open_case(self, request):
        return self.send(request, "casework", "open_case")

    @route(
        "GET",
        "/cases",
        summary="Cases (filter by status, child, contract, flagged), now or as they stood at ?as_of",
        tag=TAG,
        query=s.CaseQuery,
        response=s.CasePage,
        errors=(400, 422),
    )
    def list_cases(self, request):
        return self.send(request, "casework", "list_cases")

    @route(
        "GET",
        "/cases/alerts",
        summary="Level-1 children with no open case",
        tag=TAG,
        query=PageQuery,
        response=s.AlertPage,
        errors=(400,),
    )
    def case_alerts(self, request):
        return self.send(request, "casework", "case_alerts")

    @route(
        "GET",
        "/cases/{case_id}",
        summary="A case with its assessments, plan, sessions and reviews",
        tag=TAG,
        response=s.CaseDetail,
        errors=(404,),
    )
    def get_case(self, request, case_id):
        return self.send(request, "casework", "get_case", case_id)

    @route(
        "POST",
        "/cases/{case_id}/assessments",
        summary="Record an assessment",
        tag=TAG,
        request=s.CaseAssessmentRequest,
        errors=(404, 409, 422),
    )
    def assess_case(self, request, case_id):
        return self.send(request, "casework", "assess_case", case_id)

    @route(
        "POST",
        "/cases/{case_id}/plan",
        summary="Set the case plan and its goals",
        tag=TAG,
        request=s.CasePlanRequest,
        response=s.PlanSet,
        errors=(404, 409, 422),
    )
    def set_case_plan(self, request, case_id):
        return self.send(request, "casework", "set_case_plan", case_id)

    @route(
        "POST",
        "/cases/{case_id}/sessions",
        summary="Record a case session",
        tag=TAG,
        request=s.CaseSessionRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/cases/{case_id}",
        errors=(404, 409, 422),
    )
    def record_case_session(self, request, case_id):
        return self.send(request, "casework", "record_case_session", case_id)

    @route(
        "POST",
        "/cases/{case_id}/reviews",
        summary="Review progress on the plan's goals",
        tag=TAG,
        request=s.CaseReviewRequest,
        errors=(404, 409, 422),
    )
    def review_case(self, request, case_id):
        return self.send(request, "casework", "review_case", case_id)

    @route(
        "POST",
        "/cases/{case_id}/closure",
        summary="Close a case with a reason",
        tag=TAG,
        request=s.CaseClosureRequest,
        errors=(404, 409, 422),
    )
    def close_case(self, request, case_id):
        return self.send(request, "casework", "close_case", case_id)

    # Groups -----------------------------------------------------------------
    @route(
        "POST",
        "/groups",
        summary="Form a group (小组)",
        tag=TAG,
        request=s.GroupRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/groups/{id}",
        errors=(422,),
    )
    def form_group(self, request):
        return self.send(request, "casework", "form_group")

    @route(
        "GET",
        "/groups",
        summary="Groups, now or as they stood at ?as_of",
        tag=TAG,
        query=s.GroupQuery,
        response=s.GroupPage,
        errors=(400, 422),
    )
    def list_groups(self, request):
        return self.send(request, "casework", "list_groups")

    @route(
        "GET",
        "/groups/{group_id}",
        summary="A group with members and sessions",
        tag=TAG,
        response=s.GroupDetail,
        errors=(404,),
    )
    def get_group(self, request, group_id):
        return self.send(request, "casework", "get_group", group_id)

    @route(
        "POST",
        "/groups/{group_id}/members",
        summary="Add members to a group",
        tag=TAG,
        request=s.MembersRequest,
        errors=(404, 422),
    )
    def add_group_members(self, request, group_id):
        return self.send(request, "casework", "add_group_members", group_id)

    @route(
        "POST",
        "/groups/{group_id}/sessions",
        summary="Record a group session with attendance",
        tag=TAG,
        request=s.GroupSessionRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/groups/{group_id}",
        errors=(404, 422),
    )
    def record_group_session(self, request, group_id):
        return self.send(request, "casework", "record_group_session", group_id)

    # Activities, care -------------------------------------------------------
    @route(
        "POST",
        "/activities",
        summary="Record a community activity (塞上护童, safety education, publicity)",
        tag=TAG,
        request=s.ActivityRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/activities",
        errors=(409, 422),
    )
    def record_activity(self, request):
        return self.send(request, "casework", "record_activity")

    @route(
        "GET",
        "/activities",
        summary="Community activities, now or as they stood at ?as_of",
        tag=TAG,
        query=s.ActivityQuery,
        response=s.ActivityPage,
        errors=(400, 422),
    )
    def list_activities(self, request):
        return self.send(request, "casework", "list_activities")

    @route(
        "POST",
        "/care-services",
        summary="Record life care or an age-appropriate service to a child",
        tag=TAG,
        request=s.CareRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/care-services",
        errors=(422,),
    )
    def give_care_service(self, request):
        return self.send(request, "casework", "give_care_service")

    @route(
        "GET",
        "/care-services",
        summary="Life care and age-appropriate services, now or as they stood at ?as_of",
        tag=TAG,
        query=s.CareQuery,
        response=s.CarePage,
        errors=(400, 422),
    )
    def list_care_services(self, request):
        return self.send(request, "casework", "list_care_services")

    # Directors, supervision, organisations ----------------------------------
    @route(
        "POST",
        "/child-directors",
        summary="Add a village child director (儿童主任)",
        tag=TAG,
        request=s.DirectorRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/child-directors",
        errors=(409, 422),
    )
    def appoint_director(self, request):
        return self.send(request, "casework", "appoint_director")

    @route(
        "GET",
        "/child-directors",
        summary="Child directors by town and village",
        tag=TAG,
        query=s.DirectorQuery,
        response=s.DirectorPage,
        errors=(400,),
    )
    def list_directors(self, request):
        return self.send(request, "casework", "list_directors")

    @route(
        "POST",
        "/supervisions",
        summary="Record a supervision or cross-learning session",
        tag=TAG,
        request=s.SupervisionRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/child-directors",
        errors=(422,),
    )
    def hold_supervision(self, request):
        return self.send(request, "casework", "hold_supervision")

    @route(
        "GET",
        "/supervisions",
        summary="Supervision and cross-learning sessions held for child directors, now or as they stood",
        tag=TAG,
        query=s.SupervisionQuery,
        response=s.SupervisionPage,
        errors=(400, 422),
    )
    def list_supervisions(self, request):
        return self.send(request, "casework", "list_supervisions")

    @route(
        "POST",
        "/project-supervisions",
        summary="Record the provider's supervision team consulting or training its staff (§五.(三).3)",
        tag=TAG,
        request=s.ProjectSupervisionRequest,
        response=s.ProjectSupervisionCreated,
        status=201,
        location="/contracts/{contract_id}",
        errors=(422,),
    )
    def hold_project_supervision(self, request):
        return self.send(request, "casework", "hold_project_supervision")

    @route(
        "GET",
        "/project-supervisions",
        summary="The provider's supervision team's consultations and trainings held (§五.(三).3), now or as they stood",
        tag=TAG,
        query=s.ProjectSupervisionQuery,
        response=s.ProjectSupervisionPage,
        errors=(400, 422),
    )
    def list_project_supervisions(self, request):
        return self.send(request, "casework", "list_project_supervisions")

    @route(
        "POST",
        "/community-organizations",
        summary="Record a community social organization nurtured",
        tag=TAG,
        request=s.OrganizationRequest,
        response=s.CaseworkCreated,
        status=201,
        location="/community-organizations",
        errors=(409, 422),
    )
    def nurture_organization(self, request):
        return self.send(request, "casework", "nurture_organization")

    @route(
        "GET",
        "/community-organizations",
        summary="Community social organizations nurtured",
        tag=TAG,
        query=s.OrganizationQuery,
        response=s.CommunityOrganizationPage,
        errors=(400,),
    )
    def list_organizations(self, request):
        return self.send(request, "casework", "list_organizations")

    # Quarterly report -------------------------------------------------------
    @route(
        "GET",
        "/contracts/{contract_id}/reports/quarterly/{period}",
        summary="Quarterly report (period like 2025-Q3); JSON, or HTML with ?format=html or Accept: text/html",
        tag=TAG,
        query=s.ReportQuery,
        response=s.QuarterlyReport,
        errors=(400, 404, 422),
    )
    def quarterly_report(self, request, contract_id, period):
        params = self.loaded_query(request)
        report = self.call("casework", "quarterly_report", contract_id, period, request.args.to_dict())
        wants_html = params["format"] == "html" or (
            params["format"] is None
            and request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"
        )
        if wants_html:
            return Response(render_report(report), status=200, mimetype="text/html")
        return json_response(report)

    @route(
        "GET",
        "/contracts/{contract_id}/reports/quarterly/{period}.pdf",
        summary="Quarterly report as an A4 PDF (Chinese font embedded, charts, page numbers, the provider named, "
        "signature block); the same as_of_position gives the same bytes",
        tag=TAG,
        query=ReportPdfQuery,
        media_type=PDF,
        errors=(400, 404, 422),
    )
    def quarterly_report_pdf(self, request, contract_id, period):
        self.loaded_query(request)
        report = self.call("casework", "quarterly_report", contract_id, period, request.args.to_dict())
        contract = self.call("grants", "get_contract", contract_id)  # an unknown contract is 404
        fonts = report_fonts.font_files()
        # Typesetting is CPU work (seconds): a real thread, so the hub keeps serving meanwhile.
        document = eventlet.tpool.execute(report_pdf.render, report, contract, fonts)
        response = Response(document, status=200, mimetype=PDF)
        filename = f"{contract['organization_name']}-{period}-实施情况报告-{report['as_of_position']}.pdf"
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        response.headers["Cache-Control"] = "no-store"
        return response
