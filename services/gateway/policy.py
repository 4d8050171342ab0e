"""Who may call each route: one table, (method, path) → the roles allowed and,
for scoped roles, the rule that confines them. A route missing here is refused
to everyone (and fails the test suite); public routes need no token.

Reading this table is the quickest way to learn what each role does:
- bureau_admin runs the programme: everything except moving money and scoring.
- finance_officer moves and reads money; never children's files.
- reviewer reads and scores only applications on calls whose panel they sit on,
  and not those they declared a conflict of interest with.
- provider_staff work under their organisation's contracts: its cases, groups,
  activities, director supervision, nurtured organisations, supervision team, reports,
  and only the children those contracts reach (living in
  the contract's service area, or referred to it by the bureau or the child's
  director): cases, group members, care and file reads for others are refused.
  They also do line 1 (摸底走访建档): open files, visit and run screening campaigns
  in their contracts' service areas, each under the contract the gateway names.
- child_director registers and follows the children of their own village, and
  may refer them to a contract; moving a child to another village is the bureau's.
- auditor reads everything (masked) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from services.gateway import scopes as sc
from services.gateway.domain import (
    AUDITOR,
    BUREAU_ADMIN,
    CHILD_DIRECTOR,
    FINANCE_OFFICER,
    PROVIDER_STAFF,
    REVIEWER,
    ROLES,
)
from services.gateway.redaction import own_scores_for_a_reviewer, panel_for_the_bureau
from services.gateway.scopes import Scope

ADMIN, FINANCE, PROVIDER, DIRECTOR = BUREAU_ADMIN, FINANCE_OFFICER, PROVIDER_STAFF, CHILD_DIRECTOR


@dataclass(frozen=True)
class Access:
    roles: Mapping[str, Scope | None] = field(default_factory=dict)
    public: bool = False
    # Which child's file this route reads, from the path values: each call is
    # written to the access log (who, when, which child, which route).
    child_read: Callable[[dict], str | None] | None = None
    # What of a successful JSON answer the caller may see (redaction.py): (caller, answer) → answer.
    redact: Callable[[Any, Any], Any] | None = None
    # Which children's files an answer holds (a page of a log): each child in
    # it is written to the access log the same way.
    children_in_answer: Callable[[dict, object], list[str]] | None = None


PUBLIC = Access(public=True)


def reads_child(param: str) -> Callable[[dict], str | None]:
    return lambda values: values.get(param)


def reads_registry_record(values: dict) -> str | None:
    return values.get("aggregate_id") if values.get("service") == "registry" else None


# The services whose logs hold children's files (registry) and case notes (casework).
SERVICES_WITH_CHILDREN = frozenset({"registry", "casework"})


def children_in_log_page(values: dict, answer: object) -> list[str]:
    """The children a page of /audit/{service}/events shows: a child file's own
    events (registry `Child.*`) and any event naming a `child_id`."""
    if values.get("service") not in SERVICES_WITH_CHILDREN or not isinstance(answer, dict):
        return []
    found: dict[str, None] = {}
    for item in answer.get("items") or []:
        if not isinstance(item, dict):
            continue
        data = item.get("data") if isinstance(item.get("data"), dict) else {}
        if values.get("service") == "registry" and str(item.get("event", "")).startswith("Child."):
            found[str(item.get("aggregate_id"))] = None
        elif isinstance(data.get("child_id"), str):
            found[data["child_id"]] = None
    return list(found)


def children_in_rows(values: dict, answer: object) -> list[str]:
    """The children a register export holds (api/exports.py), one access-log entry each."""
    items = answer.get("items") if isinstance(answer, dict) else None
    return [str(row["child_id"]) for row in items or () if isinstance(row, dict) and row.get("child_id")]


def allow(
    *roles: str,
    child_read: Callable[[dict], str | None] | None = None,
    redact: Callable[[Any, Any], Any] | None = None,
    children_in_answer: Callable[[dict, object], list[str]] | None = None,
    **scoped: Scope,
) -> Access:
    unknown = set(roles) - set(ROLES) or set(scoped) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    return Access(
        MappingProxyType({**{r: None for r in roles}, **scoped}),
        child_read=child_read,
        redact=redact,
        children_in_answer=children_in_answer,
    )


READERS = (ADMIN, AUDITOR)  # the least a GET allows

POLICY: dict[tuple[str, str], Access] = {
    # -- sign-in and accounts ----------------------------------------------------------
    ("POST", "/auth/token"): PUBLIC,
    ("GET", "/auth/me"): allow(*ROLES),
    ("POST", "/auth/session"): PUBLIC,
    ("GET", "/auth/session"): allow(*ROLES),
    # Everyone's own reminders, narrowed to their scope by TASK_SOURCES below.
    ("GET", "/me/tasks"): allow(*ROLES),
    ("DELETE", "/auth/session"): PUBLIC,
    ("POST", "/users"): allow(ADMIN),
    ("GET", "/users"): allow(*READERS),
    ("GET", "/users/{username}"): allow(*READERS),
    ("POST", "/users/{username}/disable"): allow(ADMIN),
    ("POST", "/users/{username}/password"): allow(ADMIN),
    # -- ops and public ------------------------------------------------------------------
    ("GET", "/health"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/public/notices"): PUBLIC,
    ("GET", "/public/bans"): PUBLIC,
    # -- registry: children's files ----------------------------------------------------------
    # Line 1 (摸底走访建档, 卫沙民社函〔2025〕11号 §三.(四).1) is the provider's: its staff open
    # files, visit and run campaigns in their contracts' service areas, under the
    # contract the gateway names; the bureau and directors record under none
    # (services/gateway/api/registry.py refuses a contract_id from them).
    ("POST", "/children"): allow(ADMIN, child_director=sc.own_village_in_body(), provider_staff=sc.own_area_in_body),
    ("GET", "/children"): allow(*READERS, child_director=sc.own_village_in_query, provider_staff=sc.own_area_in_query),
    # Register exports (api/exports.py): the list's scope, and each child exported is logged as read.
    ("GET", "/children/export.xlsx"): allow(
        *READERS, child_director=sc.own_village_in_query, children_in_answer=children_in_rows
    ),
    ("GET", "/children/statistics"): allow(*READERS),
    # A district's roster at go-live (api/roster_import.py): the bureau imports; the auditor may follow it.
    ("POST", "/children/imports/preview"): allow(ADMIN),
    ("POST", "/children/imports"): allow(ADMIN),
    ("GET", "/children/imports/{import_id}"): allow(*READERS),
    # Visits are file content (findings): each child whose visits a page or export shows is logged as read.
    ("GET", "/visits"): allow(*READERS, child_director=sc.own_village_in_query, children_in_answer=children_in_rows),
    ("GET", "/visits/export.xlsx"): allow(
        *READERS, child_director=sc.own_village_in_query, children_in_answer=children_in_rows
    ),
    ("GET", "/children/duplicates"): allow(*READERS),
    ("POST", "/children/duplicates/dismissals"): allow(ADMIN),
    ("GET", "/children/duplicates/dismissals"): allow(*READERS),
    ("POST", "/children/duplicates/dismissals/{dismissal_id}/withdrawal"): allow(ADMIN),
    ("GET", "/children/overdue-contacts"): allow(*READERS, child_director=sc.own_village_in_query),
    ("GET", "/children/{child_id}"): allow(
        *READERS,
        child_director=sc.child_in_own_village(),
        provider_staff=sc.child_in_own_reach(),
        child_read=reads_child("child_id"),
    ),
    ("GET", "/children/{child_id}/history"): allow(
        *READERS, child_director=sc.child_in_own_village(), child_read=reads_child("child_id")
    ),
    # Attachments (a signed consent form, a visit photo): attached by whoever records
    # the file's work, read within the file's own scope and logged as a read of the file.
    ("POST", "/children/{child_id}/attachments"): allow(
        ADMIN, child_director=sc.child_in_own_village(), provider_staff=sc.child_in_own_reach()
    ),
    ("GET", "/children/{child_id}/attachments"): allow(
        *READERS,
        child_director=sc.child_in_own_village(),
        provider_staff=sc.child_in_own_reach(),
        child_read=reads_child("child_id"),
    ),
    ("GET", "/children/{child_id}/attachments/{attachment_id}"): allow(
        *READERS,
        child_director=sc.child_in_own_village(),
        provider_staff=sc.child_in_own_reach(),
        child_read=reads_child("child_id"),
    ),
    ("POST", "/children/{child_id}/corrections"): allow(ADMIN, child_director=sc.child_not_moved_by_director),
    ("POST", "/children/{child_id}/visits"): allow(
        ADMIN, child_director=sc.child_in_own_village(), provider_staff=sc.child_in_own_area()
    ),
    ("POST", "/children/{child_id}/assessments"): allow(ADMIN, child_director=sc.child_in_own_village()),
    ("POST", "/children/{child_id}/merges"): allow(ADMIN),
    ("POST", "/children/{child_id}/transfer-out"): allow(ADMIN),
    ("POST", "/screening-campaigns"): allow(ADMIN, provider_staff=sc.own_area_for_targets),
    # Provider staff list the campaigns of one of their organisation's contracts,
    # checked against the token's organisation (卫沙民社函〔2025〕11号 §三.(四).1).
    ("GET", "/screening-campaigns"): allow(*READERS, DIRECTOR, provider_staff=sc.own_contract_in_query),
    ("GET", "/screening-campaigns/{campaign_id}/coverage"): allow(*READERS, DIRECTOR, provider_staff=sc.own_campaign()),
    # -- casework ------------------------------------------------------------------------------
    ("GET", "/casework/children"): allow(*READERS),
    ("GET", "/casework/children/{child_id}"): allow(
        *READERS, provider_staff=sc.child_in_own_reach(), child_read=reads_child("child_id")
    ),
    ("POST", "/casework/children/{child_id}/referrals"): allow(ADMIN, child_director=sc.child_in_own_village()),
    ("POST", "/casework/children/{child_id}/referrals/{contract_id}/withdrawal"): allow(
        ADMIN, child_director=sc.child_in_own_village()
    ),
    ("GET", "/casework/children/{child_id}/reach"): allow(
        *READERS, child_director=sc.child_in_own_village(), provider_staff=sc.own_reach_of_child()
    ),
    # The children a contract reaches, for its provider to pick from (names as GET /children/{child_id} shows them).
    ("GET", "/contracts/{contract_id}/children"): allow(*READERS, provider_staff=sc.own_contract()),
    ("POST", "/cases"): allow(ADMIN, provider_staff=sc.own_contract_reaching_children_in_body("child_id")),
    ("GET", "/cases"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("GET", "/cases/export.xlsx"): allow(*READERS, provider_staff=sc.own_contract_in_query),  # as GET /cases
    ("GET", "/cases/alerts"): allow(*READERS),
    ("GET", "/cases/{case_id}"): allow(*READERS, provider_staff=sc.own_case),
    ("POST", "/cases/{case_id}/assessments"): allow(ADMIN, provider_staff=sc.own_case),
    ("POST", "/cases/{case_id}/plan"): allow(ADMIN, provider_staff=sc.own_case),
    ("POST", "/cases/{case_id}/sessions"): allow(ADMIN, provider_staff=sc.own_case),
    ("POST", "/cases/{case_id}/reviews"): allow(ADMIN, provider_staff=sc.own_case),
    ("POST", "/cases/{case_id}/closure"): allow(ADMIN, provider_staff=sc.own_case),
    ("POST", "/groups"): allow(ADMIN, provider_staff=sc.own_contract_reaching_children_in_body("member_ids")),
    ("GET", "/groups"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("GET", "/groups/export.xlsx"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("GET", "/groups/{group_id}"): allow(*READERS, provider_staff=sc.own_group),
    ("POST", "/groups/{group_id}/members"): allow(ADMIN, provider_staff=sc.own_group_reaching_children_in_body()),
    ("POST", "/groups/{group_id}/sessions"): allow(ADMIN, provider_staff=sc.own_group),
    ("POST", "/activities"): allow(ADMIN, provider_staff=sc.own_contract_reaching_children_in_body("child_ids")),
    ("GET", "/activities"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("GET", "/activities/export.xlsx"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("POST", "/care-services"): allow(ADMIN, provider_staff=sc.own_contract_reaching_children_in_body("child_id")),
    ("GET", "/care-services"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("GET", "/care-services/export.xlsx"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("POST", "/child-directors"): allow(ADMIN),
    # Lines 5 and 6 (卫沙民社函〔2025〕11号 §三.(四).5–6) are the provider's work under its own
    # contract; the provider's supervision team (§五.(三).3) likewise.
    ("GET", "/child-directors"): allow(*READERS, PROVIDER),
    ("POST", "/supervisions"): allow(ADMIN, provider_staff=sc.own_contract_in_body),
    ("POST", "/project-supervisions"): allow(ADMIN, provider_staff=sc.own_contract_in_body),
    # The sessions held, read as their lists are: the bureau and auditors all, a provider its own contract's.
    ("GET", "/supervisions"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("GET", "/project-supervisions"): allow(*READERS, provider_staff=sc.own_contract_in_query),
    ("POST", "/community-organizations"): allow(ADMIN, provider_staff=sc.own_contract_in_body),
    ("GET", "/community-organizations"): allow(*READERS, PROVIDER),
    ("GET", "/contracts/{contract_id}/reports/quarterly/{period}"): allow(
        *READERS, FINANCE, provider_staff=sc.own_contract()
    ),
    # The same report as PDF: the same readers.
    ("GET", "/contracts/{contract_id}/reports/quarterly/{period}.pdf"): allow(
        *READERS, FINANCE, provider_staff=sc.own_contract()
    ),
    ("GET", "/contracts/{contract_id}/reports/quarterly/{period}/export.xlsx"): allow(
        *READERS, FINANCE, provider_staff=sc.own_contract()
    ),
    # -- finance: money moves only by finance officers ---------------------------------------------
    ("GET", "/contracts/{contract_id}/funding"): allow(*READERS, FINANCE, provider_staff=sc.own_contract()),
    # The bureau's desk: what an evaluation still holds back (the finance officer plans payments by it).
    ("GET", "/tranches/awaiting-evaluation"): allow(*READERS, FINANCE),
    ("GET", "/contracts/{contract_id}/funding/export.xlsx"): allow(*READERS, FINANCE, provider_staff=sc.own_contract()),
    ("POST", "/tranches/{tranche_id}/payment"): allow(FINANCE),
    # A paid tranche's scanned payment voucher (api/tranche_attachments.py): the finance officer
    # attaches; read by whoever reads the contract's funding (provider staff their own contract's).
    ("POST", "/contracts/{contract_id}/tranches/{tranche_id}/attachments"): allow(FINANCE),
    ("GET", "/contracts/{contract_id}/tranches/{tranche_id}/attachments"): allow(
        *READERS, FINANCE, provider_staff=sc.own_contract()
    ),
    ("GET", "/contracts/{contract_id}/tranches/{tranche_id}/attachments/{attachment_id}"): allow(
        *READERS, FINANCE, provider_staff=sc.own_contract()
    ),
    ("POST", "/tranches/{tranche_id}/payment-reversal"): allow(FINANCE),
    ("POST", "/contracts/{contract_id}/expenditures"): allow(FINANCE),
    ("POST", "/contracts/{contract_id}/expenditures/{expenditure_id}/reversal"): allow(FINANCE),
    ("POST", "/donations"): allow(FINANCE),
    ("GET", "/recoveries"): allow(*READERS, FINANCE),
    ("GET", "/recoveries/export.xlsx"): allow(*READERS, FINANCE),
    ("POST", "/recoveries/{recovery_id}/collections"): allow(FINANCE),
    ("POST", "/recoveries/{recovery_id}/write-off"): allow(FINANCE),
    ("GET", "/ledger/trial-balance"): allow(*READERS, FINANCE),
    ("GET", "/ledger/trial-balance/export.xlsx"): allow(*READERS, FINANCE),
    ("GET", "/ledger/journal"): allow(*READERS, FINANCE),
    ("GET", "/ledger/journal/export.xlsx"): allow(*READERS, FINANCE),
    ("GET", "/ledger/reconciliation"): allow(*READERS, FINANCE),
    # -- grants: organisations, calls, review ------------------------------------------------------
    ("POST", "/organizations"): allow(ADMIN),
    ("GET", "/organizations"): allow(*READERS, FINANCE),
    ("GET", "/organizations/{organization_id}"): allow(*READERS, FINANCE, provider_staff=sc.own_organization()),
    # Applicants submit documents; only the bureau's verification counts for eligibility.
    ("POST", "/organizations/{organization_id}/evidence"): allow(ADMIN),
    ("POST", "/organizations/{organization_id}/evidence-submissions"): allow(
        ADMIN, provider_staff=sc.own_organization()
    ),
    # Scans of a registration certificate or bank permit (api/organization_attachments.py):
    # attached by whoever submits the organisation's evidence, read as the organisation is.
    ("POST", "/organizations/{organization_id}/attachments"): allow(ADMIN, provider_staff=sc.own_organization()),
    ("GET", "/organizations/{organization_id}/attachments"): allow(
        *READERS, FINANCE, provider_staff=sc.own_organization()
    ),
    ("GET", "/organizations/{organization_id}/attachments/{attachment_id}"): allow(
        *READERS, FINANCE, provider_staff=sc.own_organization()
    ),
    ("POST", "/organizations/{organization_id}/evidence/{evidence_id}/verification"): allow(ADMIN),
    ("POST", "/calls"): allow(ADMIN),
    ("GET", "/calls"): allow(*READERS, FINANCE, REVIEWER, PROVIDER),
    ("GET", "/calls/{call_id}"): allow(*READERS, FINANCE, REVIEWER, PROVIDER, redact=panel_for_the_bureau),
    ("POST", "/calls/{call_id}/publish"): allow(ADMIN),
    ("POST", "/calls/{call_id}/close"): allow(ADMIN),
    ("POST", "/calls/{call_id}/applications"): allow(ADMIN, provider_staff=sc.own_organization_in_body),
    ("GET", "/applications/{application_id}"): allow(
        *READERS,
        reviewer=sc.assigned_application(),
        provider_staff=sc.own_application(),
        redact=own_scores_for_a_reviewer,
    ),
    ("GET", "/applications/{application_id}/eligibility"): allow(
        *READERS, reviewer=sc.assigned_application(), provider_staff=sc.own_application()
    ),
    ("POST", "/applications/{application_id}/preliminary-review"): allow(ADMIN),
    ("POST", "/applications/{application_id}/due-diligence"): allow(ADMIN),
    ("POST", "/applications/{application_id}/withdrawal"): allow(ADMIN, provider_staff=sc.own_application()),
    ("POST", "/applications/{application_id}/disqualification"): allow(ADMIN),
    ("POST", "/applications/{application_id}/optimisation"): allow(ADMIN, provider_staff=sc.own_application()),
    ("POST", "/calls/{call_id}/panel"): allow(ADMIN),
    ("POST", "/calls/{call_id}/panel/{member_id}/declarations"): allow(
        reviewer=sc.own_panel_seat(), redact=panel_for_the_bureau
    ),
    ("POST", "/applications/{application_id}/scores"): allow(reviewer=sc.assigned_application_scored_as_self()),
    ("GET", "/calls/{call_id}/ranking"): allow(*READERS),
    ("POST", "/calls/{call_id}/shortlist"): allow(ADMIN),
    ("POST", "/calls/{call_id}/public-notice"): allow(ADMIN),
    ("GET", "/public-notices/{notice_id}"): allow(*READERS, FINANCE, REVIEWER, PROVIDER, DIRECTOR),
    ("POST", "/public-notices/{notice_id}/objections"): allow(ADMIN, PROVIDER),
    ("POST", "/public-notices/{notice_id}/objections/{objection_id}/resolution"): allow(ADMIN),
    ("POST", "/calls/{call_id}/determination"): allow(ADMIN),
    # -- grants: contracts -------------------------------------------------------------------------
    ("POST", "/contracts"): allow(ADMIN),
    # Provider staff pick the contract they work under from their organisation's.
    ("GET", "/contracts"): allow(*READERS, FINANCE, provider_staff=sc.own_organization_in_query),
    ("GET", "/contracts/{contract_id}"): allow(*READERS, FINANCE, provider_staff=sc.own_contract()),
    ("POST", "/contracts/{contract_id}/start"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/quarterly-reports"): allow(ADMIN, provider_staff=sc.own_contract()),
    ("POST", "/contracts/{contract_id}/quarterly-reports/{report_id}/review"): allow(ADMIN),
    ("GET", "/quarterly-reports/late"): allow(*READERS, FINANCE),
    ("POST", "/contracts/{contract_id}/evaluations"): allow(ADMIN),
    # A second mid-term evaluation releases a withheld tranche: opened with a reason, recorded by another person.
    ("POST", "/contracts/{contract_id}/mid-term-re-evaluation"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/completion"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/audit"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/closure"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/suspension"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/reinstatement"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/termination"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/force-majeure"): allow(ADMIN, provider_staff=sc.own_contract()),
    ("POST", "/contracts/{contract_id}/force-majeure/{report_id}/decision"): allow(ADMIN),
    ("POST", "/contracts/{contract_id}/transfer"): allow(ADMIN, provider_staff=sc.own_contract()),
    # -- audit ------------------------------------------------------------------------------------
    ("GET", "/audit/{service}/verify"): allow(*READERS),
    ("GET", "/audit/{service}/events"): allow(*READERS, children_in_answer=children_in_log_page),
    # Streamed: each child the export shows is logged as its piece is sent (api/log_export.py).
    ("GET", "/audit/{service}/export.jsonl"): allow(*READERS),
    ("GET", "/audit/{service}/aggregates/{aggregate_id}"): allow(*READERS, child_read=reads_registry_record),
    ("GET", "/audit/{service}/aggregates/{aggregate_id}/history"): allow(*READERS, child_read=reads_registry_record),
    ("GET", "/audit/access-log"): allow(*READERS),
    ("GET", "/audit/access-log/export.xlsx"): allow(*READERS),
    # -- offline submissions refused on arrival (api/offline.py) -----------------------------------
    # The bureau resolves them (the auditor reads, like every GET); a child director reads
    # their own (the route filters by sender).
    ("GET", "/offline-conflicts"): allow(*READERS, child_director=sc.own_submissions_only),
    ("POST", "/offline-conflicts/{conflict_id}/resolve"): allow(ADMIN),
}


# What GET /me/tasks gathers for each role (services/gateway/domain/tasks.py),
# always within the caller's scope: a child director the contacts due in their
# village; provider staff their organisation's cases, reports and evaluations;
# the bureau everything of the programme's work; the finance officer the
# tranches payable; reviewers and auditors have nothing due.
TASK_SOURCES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        ADMIN: ("visits", "cases", "contracts", "objections"),
        DIRECTOR: ("visits",),
        PROVIDER: ("cases", "contracts"),
        FINANCE: ("tranches",),
        REVIEWER: (),
        AUDITOR: (),
    }
)


def access_for(method: str, path: str) -> Access | None:
    return POLICY.get((method, path))
