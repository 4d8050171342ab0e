"""Registry routes (DESIGN.md §5, registry row). Each route validates at the
edge with the registry's own schema and forwards the raw JSON or query; the
registry validates again, since it is also called by others."""

from werkzeug.wrappers import Response

from services.gateway.domain import PROVIDER_STAFF
from services.gateway.web.http_errors import Forbidden
from services.gateway.web.inputs import json_body
from services.gateway.web.routes import route
from services.gateway.web.worker import json_response
from services.registry import schemas as s
from shared.pagination import PageQuery

TAG = "registry"


class RegistryRoutes:
    def _line1(self, request, service: str, method: str, *args):
        """Line 1 (摸底走访建档, 卫沙民社函〔2025〕11号 §三.(四).1) work is recorded under a
        contract only by provider staff, whose contract the access policy has
        checked or derived (services/gateway/scopes.py); the bureau and child
        directors record under none, so a contract_id from them is refused."""
        if self.caller.role != PROVIDER_STAFF:
            body = json_body(request, self.settings.max_body_bytes)
            if isinstance(body, dict) and body.get("contract_id") is not None:
                raise Forbidden(
                    "only provider staff record work under a contract",
                    {"contract_id": [f"the {self.caller.role} role records no contract; leave it out"]},
                )
        return self.send(request, service, method, *args)

    @route(
        "POST",
        "/children",
        summary="Open a child's file",
        tag=TAG,
        request=s.RegisterChildRequest,
        response=s.RegisteredChild,
        status=201,
        location="/children/{child_id}",
        errors=(404, 409, 422),
    )
    def register_child(self, request):
        return self._line1(request, "registry", "register_child")

    @route(
        "GET",
        "/children",
        summary="Child files, filtered (no ID numbers or mental-health data), now or as they stood at ?as_of",
        tag=TAG,
        query=s.ChildListQuery,
        response=s.ChildPage,
        errors=(400, 422),
    )
    def list_children(self, request):
        return self.send(request, "registry", "list_children")

    @route(
        "GET",
        "/children/statistics",
        summary="Active files by town, category, guardianship and tier",
        tag=TAG,
        response=s.StatisticsSchema,
    )
    def child_statistics(self, request):
        return self.send(request, "registry", "statistics")

    @route(
        "GET",
        "/children/duplicates",
        summary="Candidate duplicate files, with a score",
        tag=TAG,
        query=s.DuplicatesQuery,
        response=s.DuplicatePage,
        errors=(400,),
    )
    def child_duplicates(self, request):
        return self.send(request, "registry", "duplicates")

    @route(
        "POST",
        "/children/duplicates/dismissals",
        summary="Dismiss a candidate duplicate pair: not the same child (holds until withdrawn)",
        tag=TAG,
        request=s.DismissalRequest,
        response=s.DismissalSchema,
        status=201,
        location="/children/duplicates/dismissals",
        errors=(404, 409, 422),
    )
    def dismiss_duplicate(self, request):
        return self.send(request, "registry", "dismiss_duplicate")

    @route(
        "GET",
        "/children/duplicates/dismissals",
        summary="Candidate pairs dismissed as not the same child",
        tag=TAG,
        query=PageQuery,
        response=s.DismissalPage,
        errors=(400,),
    )
    def list_dismissals(self, request):
        return self.send(request, "registry", "list_dismissals")

    @route(
        "POST",
        "/children/duplicates/dismissals/{dismissal_id}/withdrawal",
        summary="Withdraw a dismissal: the pair is a duplicate candidate again",
        tag=TAG,
        request=s.DismissalWithdrawalRequest,
        response=s.DismissalSchema,
        errors=(404, 409, 422),
    )
    def withdraw_dismissal(self, request, dismissal_id):
        return self.send(request, "registry", "withdraw_dismissal", dismissal_id)

    @route(
        "GET",
        "/children/overdue-contacts",
        summary="Children overdue for contact by their risk tier",
        tag=TAG,
        query=s.OverdueQuery,
        response=s.OverduePage,
        errors=(400, 422),
    )
    def overdue_contacts(self, request):
        return self.send(request, "registry", "overdue_contacts")

    @route(
        "GET",
        "/children/{child_id}",
        summary="A child's file, now or as it stood at ?as_of (a merged-away id answers 308 to the survivor)",
        tag=TAG,
        query=s.ChildQuery,
        response=s.ChildFile,
        errors=(400, 404),
    )
    def get_child(self, request, child_id):
        params = self.query_args(request)
        found = self.call("registry", "get_child", child_id, params.get("as_of"))
        if found["child_id"] != child_id and "as_of" not in params:
            # A merged-away file: send the client to the survivor.
            return Response(status=308, headers={"Location": f"/children/{found['child_id']}"})
        return json_response(found)

    @route(
        "GET",
        "/children/{child_id}/history",
        summary="Every change to a file: who, when, why",
        tag=TAG,
        response=s.HistorySchema,
        errors=(404,),
    )
    def child_history(self, request, child_id):
        return self.send(request, "registry", "child_history", child_id)

    @route(
        "POST",
        "/children/{child_id}/corrections",
        summary="Correct one fact (old value kept in history)",
        tag=TAG,
        request=s.CorrectionRequest,
        response=s.CorrectedSchema,
        status=201,
        location="/children/{child_id}/history",
        errors=(404, 409, 422),
    )
    def correct_child(self, request, child_id):
        return self.send(request, "registry", "correct_child", child_id)

    @route(
        "POST",
        "/children/{child_id}/visits",
        summary="Record a home visit (走访记录)",
        tag=TAG,
        request=s.VisitRequest,
        response=s.VisitRecordedSchema,
        status=201,
        location="/children/{child_id}",
        errors=(404, 409, 422),
    )
    def record_visit(self, request, child_id):
        return self._line1(request, "registry", "record_visit", child_id)

    @route(
        "POST",
        "/children/{child_id}/assessments",
        summary="Assess the risk tier (分级管理)",
        tag=TAG,
        request=s.AssessmentRequest,
        response=s.AssessedSchema,
        status=201,
        location="/children/{child_id}",
        errors=(404, 409, 422),
    )
    def assess_risk(self, request, child_id):
        return self.send(request, "registry", "assess_risk", child_id)

    @route(
        "POST",
        "/children/{child_id}/merges",
        summary="Merge a duplicate file into this one",
        tag=TAG,
        request=s.MergeRequest,
        response=s.MergedSchema,
        status=201,
        location="/children/{survivor_id}",
        errors=(404, 409, 422),
    )
    def merge_files(self, request, child_id):
        return self.send(request, "registry", "merge_files", child_id)

    @route(
        "POST",
        "/children/{child_id}/transfer-out",
        summary="Close the file: the child left the district",
        tag=TAG,
        request=s.TransferRequest,
        response=s.TransferredSchema,
        errors=(404, 409, 422),
    )
    def transfer_out(self, request, child_id):
        return self.send(request, "registry", "transfer_out", child_id)

    @route(
        "GET",
        "/visits",
        summary="Home visits (走访记录), oldest first, placed where each child's file stands now (or stood at ?as_of)",
        tag=TAG,
        query=s.VisitListQuery,
        response=s.VisitPage,
        errors=(400, 422),
    )
    def list_visits(self, request):
        return self.send(request, "registry", "list_visits")

    @route(
        "POST",
        "/screening-campaigns",
        summary="Plan a screening campaign (摸底排查)",
        tag=TAG,
        request=s.CampaignRequest,
        response=s.CampaignCreated,
        status=201,
        location="/screening-campaigns/{campaign_id}/coverage",
        errors=(422,),
    )
    def plan_campaign(self, request):
        return self._line1(request, "registry", "plan_campaign")

    @route(
        "GET",
        "/screening-campaigns",
        summary="Screening campaigns",
        tag=TAG,
        query=s.CampaignListQuery,
        response=s.CampaignPage,
        errors=(400,),
    )
    def list_campaigns(self, request):
        return self.send(request, "registry", "list_campaigns")

    @route(
        "GET",
        "/screening-campaigns/{campaign_id}/coverage",
        summary="Coverage per village: households visited / target, children found",
        tag=TAG,
        response=s.CoverageSchema,
        errors=(404,),
    )
    def campaign_coverage(self, request, campaign_id):
        return self.send(request, "registry", "campaign_coverage", campaign_id)
