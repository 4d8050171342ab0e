"""nameko entrypoints for casework: schema load → one application call → dump."""

import re

from services.casework import schemas as s
from services.casework.application import CaseworkApplication
from services.casework.exceptions import (
    AlreadyRecorded,
    CaseAlreadyOpen,
    CaseClosed,
    CaseNotFound,
    ContractNotActive,
    ContractNotFound,
    GroupNotFound,
    MonthlyThemeTaken,
    RosterChildNotFound,
)
from services.casework.warmup import ReportWarmer
from shared import service_base
from shared.entrypoints import event_handler, rpc
from shared.errors import ConcurrentChange, InvalidInput
from shared.jsonable import jsonable
from shared.nameko_deps import ConsumerFeed, ServiceStore
from shared.pagination import PageQuery, list_page, list_page_at
from shared.report_reference import GeneratedReportReference
from shared.validation import load_or_refuse, parse_uuid, schema_of

# InvalidInput covers its RuleViolation (a refusal, 422).
EXPECTED = (
    InvalidInput,
    CaseAlreadyOpen,
    CaseClosed,
    ContractNotActive,
    MonthlyThemeTaken,
    AlreadyRecorded,
    ConcurrentChange,
    CaseNotFound,
    GroupNotFound,
    RosterChildNotFound,
)
PERIOD = re.compile(r"^([0-9]{4})-Q([1-4])$")


class CaseworkService(service_base.EventSourcedService):
    name = "casework"
    store = ServiceStore(CaseworkApplication)
    registry_feed = ConsumerFeed("registry", "handle_registry_event")
    finance_feed = ConsumerFeed("finance", "handle_finance_event")
    grants_feed = ConsumerFeed("grants", "handle_grants_event")
    report_warmer = ReportWarmer()

    @event_handler("registry", "#")
    def on_registry_event(self, message):
        self.registry_feed.receive(message)

    @event_handler("finance", "#")
    def on_finance_event(self, message):
        self.finance_feed.receive(message)

    @event_handler("grants", "#")
    def on_grants_event(self, message):
        self.grants_feed.receive(message)

    def _list(self, method, schema, query_schema, key, params):
        return jsonable(list_page(params, query_schema, schema_of(schema), method, key))

    def _list_at(self, method, schema, query_schema, key, params):
        """A list that can be rebuilt as it stood (?as_of= / ?as_of_position=)."""
        return jsonable(list_page_at(params, query_schema, schema_of(schema), method, key))

    # Roster -----------------------------------------------------------------
    @rpc(expected_exceptions=(RosterChildNotFound,))
    def get_roster_child(self, child_id):
        found = self.store.get_roster_child(parse_uuid(child_id, RosterChildNotFound))
        return jsonable(schema_of(s.RosterChildSchema).dump(found))

    @rpc(expected_exceptions=EXPECTED)
    def list_roster(self, params=None):
        return self._list(self.store.list_roster, s.RosterPage, schema_of(PageQuery), "child_id", params)

    # Reach: which contracts serve a child -----------------------------------
    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def refer_child(self, child_id, data):
        child = parse_uuid(child_id, RosterChildNotFound)
        self.store.refer_child(child, **load_or_refuse(schema_of(s.ReferralRequest), data))
        return self.get_roster_child(child_id)

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def withdraw_referral(self, child_id, contract_id, data):
        child = parse_uuid(child_id, RosterChildNotFound)
        contract = parse_uuid(contract_id, ContractNotFound)
        self.store.withdraw_referral(
            child, contract_id=contract, **load_or_refuse(schema_of(s.ReferralWithdrawalRequest), data)
        )
        return self.get_roster_child(child_id)

    @rpc(expected_exceptions=EXPECTED)
    def child_reach(self, child_id, params=None):
        query = load_or_refuse(schema_of(s.ReachQuery), params or {})
        child = parse_uuid(child_id, RosterChildNotFound)
        contracts = self.store.child_reach(child, **query)
        return jsonable(schema_of(s.ReachAnswer).dump({"child_id": child, "contracts": contracts}))

    @rpc
    def contracts_covering(self, organization_id, addresses):
        """The organisation's contracts whose service area covers every
        [town, village] in `addresses` (village null: the whole town); none
        for anything malformed."""
        try:
            organization = parse_uuid(organization_id, ContractNotFound)
        except ContractNotFound:
            return []
        if not isinstance(addresses, list) or len(addresses) > 500:
            return []
        pairs = []
        for address in addresses:
            if not (
                isinstance(address, list | tuple) and len(address) == 2 and all(isinstance(a, str) for a in address)
            ):
                return []
            if address[1] is not None and not isinstance(address[1], str):
                return []
            pairs.append((address[0], address[1]))
        return [str(c) for c in self.store.contracts_covering(organization, pairs)]

    @rpc(expected_exceptions=(*EXPECTED, ContractNotFound))
    def list_reached(self, contract_id, params=None):
        """A page of the children the contract reaches (卫沙民社函〔2025〕11号 §三.(二)(三):
        a provider serves the children of its service area, and those referred to it)."""
        contract = parse_uuid(contract_id, ContractNotFound)

        def rows(**query):
            return self.store.list_reached(contract, **query)

        return self._list(rows, s.RosterPage, PageQuery(), "child_id", params)

    @rpc
    def unreached(self, contract_id, child_ids):
        """Those of `child_ids` the contract does not reach (anything unknown,
        or not an id, is not reached), in the order given."""
        try:
            contract = parse_uuid(contract_id, ContractNotFound)
        except ContractNotFound:
            return list(child_ids)
        out = []
        for child_id in child_ids:
            try:
                child = parse_uuid(child_id, RosterChildNotFound)
            except RosterChildNotFound:
                out.append(child_id)
                continue
            if not self.store.reaches(child, contract):
                out.append(child_id)
        return out

    # Cases ------------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def open_case(self, data):
        case_id = self.store.open_case(**load_or_refuse(schema_of(s.OpenCaseRequest), data))
        return schema_of(s.CaseworkCreated).dump({"id": case_id})

    @rpc(expected_exceptions=EXPECTED)
    def get_case(self, case_id):
        found = self.store.get_case(parse_uuid(case_id, CaseNotFound))
        return jsonable(schema_of(s.CaseDetail).dump(found))

    @rpc(expected_exceptions=EXPECTED)
    def list_cases(self, params=None):
        return self._list_at(self.store.list_cases, s.CasePage, schema_of(s.CaseQuery), "case_id", params)

    @rpc(expected_exceptions=EXPECTED)
    def case_dues(self, params=None):
        """Open cases with their plan goals and next review (GET /me/tasks)."""
        query = load_or_refuse(s.CaseDuesQuery(), params or {})
        contract_ids = None if query["contract_ids"] is None else [str(c) for c in query["contract_ids"]]
        return jsonable(s.CaseDue(many=True).dump(self.store.case_dues(contract_ids)))

    @rpc(expected_exceptions=EXPECTED)
    def case_alerts(self, params=None):
        return self._list(self.store.case_alerts, s.AlertPage, schema_of(PageQuery), "child_id", params)

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def assess_case(self, case_id, data):
        request = load_or_refuse(schema_of(s.CaseAssessmentRequest), data)
        self.store.assess_case(parse_uuid(case_id, CaseNotFound), **request)
        return {"case_id": str(case_id)}

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def set_case_plan(self, case_id, data):
        request = load_or_refuse(schema_of(s.CasePlanRequest), data)
        goal_ids = self.store.set_case_plan(parse_uuid(case_id, CaseNotFound), **request)
        return schema_of(s.PlanSet).dump({"goal_ids": goal_ids})

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def record_case_session(self, case_id, data):
        request = load_or_refuse(schema_of(s.CaseSessionRequest), data)
        session_id = self.store.record_case_session(parse_uuid(case_id, CaseNotFound), **request)
        return schema_of(s.CaseworkCreated).dump({"id": session_id})

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def review_case(self, case_id, data):
        request = load_or_refuse(schema_of(s.CaseReviewRequest), data)
        self.store.review_case(parse_uuid(case_id, CaseNotFound), **request)
        return {"case_id": str(case_id)}

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def close_case(self, case_id, data):
        request = load_or_refuse(schema_of(s.CaseClosureRequest), data)
        self.store.close_case(parse_uuid(case_id, CaseNotFound), **request)
        return {"case_id": str(case_id)}

    # Groups -----------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def form_group(self, data):
        group_id = self.store.form_group(**load_or_refuse(schema_of(s.GroupRequest), data))
        return schema_of(s.CaseworkCreated).dump({"id": group_id})

    @rpc(expected_exceptions=EXPECTED)
    def get_group(self, group_id):
        return jsonable(schema_of(s.GroupDetail).dump(self.store.get_group(parse_uuid(group_id, GroupNotFound))))

    @rpc(expected_exceptions=EXPECTED)
    def list_groups(self, params=None):
        return self._list_at(self.store.list_groups, s.GroupPage, schema_of(s.GroupQuery), "group_id", params)

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def add_group_members(self, group_id, data):
        request = load_or_refuse(schema_of(s.MembersRequest), data)
        self.store.add_group_members(parse_uuid(group_id, GroupNotFound), **request)
        return {"group_id": str(group_id)}

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def record_group_session(self, group_id, data):
        request = load_or_refuse(schema_of(s.GroupSessionRequest), data)
        session_id = self.store.record_group_session(parse_uuid(group_id, GroupNotFound), **request)
        return schema_of(s.CaseworkCreated).dump({"id": session_id})

    # Activities and care ----------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def record_activity(self, data):
        activity_id = self.store.record_activity(**load_or_refuse(schema_of(s.ActivityRequest), data))
        return schema_of(s.CaseworkCreated).dump({"id": activity_id})

    @rpc(expected_exceptions=EXPECTED)
    def list_activities(self, params=None):
        return self._list_at(
            self.store.list_activities, s.ActivityPage, schema_of(s.ActivityQuery), "activity_id", params
        )

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def give_care_service(self, data):
        service_id = self.store.give_care_service(**load_or_refuse(schema_of(s.CareRequest), data))
        return schema_of(s.CaseworkCreated).dump({"id": service_id})

    @rpc(expected_exceptions=EXPECTED)
    def list_care_services(self, params=None):
        return self._list_at(self.store.list_care_services, s.CarePage, schema_of(s.CareQuery), "service_id", params)

    # Directors, supervision, organisations ----------------------------------
    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def appoint_director(self, data):
        director_id = self.store.appoint_director(**load_or_refuse(schema_of(s.DirectorRequest), data))
        return schema_of(s.CaseworkCreated).dump({"id": director_id})

    @rpc(expected_exceptions=EXPECTED)
    def list_directors(self, params=None):
        return self._list(self.store.list_directors, s.DirectorPage, schema_of(s.DirectorQuery), "director_id", params)

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def hold_supervision(self, data):
        supervision_id = self.store.hold_supervision(**load_or_refuse(schema_of(s.SupervisionRequest), data))
        return schema_of(s.CaseworkCreated).dump({"id": supervision_id})

    @rpc(expected_exceptions=EXPECTED)
    def list_supervisions(self, params=None):
        return self._list_at(
            self.store.list_supervisions, s.SupervisionPage, schema_of(s.SupervisionQuery), "supervision_id", params
        )

    @rpc(expected_exceptions=EXPECTED)
    def list_project_supervisions(self, params=None):
        return self._list_at(
            self.store.list_project_supervisions,
            s.ProjectSupervisionPage,
            schema_of(s.ProjectSupervisionQuery),
            "session_id",
            params,
        )

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def hold_project_supervision(self, data):
        request = load_or_refuse(schema_of(s.ProjectSupervisionRequest), data)
        session_id = self.store.hold_project_supervision(**request)
        return schema_of(s.ProjectSupervisionCreated).dump({"id": session_id, "contract_id": request["contract_id"]})

    @rpc(expected_exceptions=EXPECTED)
    @service_base.command
    def nurture_organization(self, data):
        organization_id = self.store.nurture_organization(**load_or_refuse(schema_of(s.OrganizationRequest), data))
        return schema_of(s.CaseworkCreated).dump({"id": organization_id})

    @rpc(expected_exceptions=EXPECTED)
    def list_organizations(self, params=None):
        return self._list(
            self.store.list_organizations,
            s.CommunityOrganizationPage,
            schema_of(s.OrganizationQuery),
            "organization_id",
            params,
        )

    # Quarterly report -------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED + (ContractNotFound,))
    def quarterly_report(self, contract_id, period, params=None):
        contract = parse_uuid(contract_id, ContractNotFound)
        matched = PERIOD.match(str(period))
        if not matched or not 2000 <= int(matched.group(1)) <= 2100:
            raise InvalidInput({"period": ["must be YYYY-Qn with n 1-4, e.g. 2025-Q3"]})
        query = load_or_refuse(schema_of(s.ReportQuery), params or {})
        return self.store.quarterly_report(
            contract,
            int(matched.group(1)),
            int(matched.group(2)),
            as_of=query["as_of"],
            as_of_position=query["as_of_position"],
            expected_lines=query["expected_lines"],
        )

    @rpc(expected_exceptions=EXPECTED + (ContractNotFound,))
    def check_report_reference(self, contract_id, period, data):
        """Read-only: refuses a written report's reference that does not match
        the regenerated report (卫沙民社函〔2025〕11号 §五.(三).4)."""
        contract = parse_uuid(contract_id, ContractNotFound)
        matched = PERIOD.match(str(period))
        if not matched:
            raise InvalidInput({"period": ["must be YYYY-Qn with n 1-4, e.g. 2025-Q3"]})
        reference = load_or_refuse(GeneratedReportReference(), data)
        return self.store.check_report_reference(contract, int(matched.group(1)), int(matched.group(2)), **reference)
