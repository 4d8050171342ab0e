"""A small programme built through the gateway, enough for every role to have
something of its own and something that is not: two organisations, each with
a signed contract (its own call, review and notice), two villages with a child
each, a case, a group and a campaign, and one signed-in client per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from services.grants.domain.contract_term import one_year_end
from shared.jsonable import jsonable
from tests.support.api import Api
from tests.support.children import new_child
from tests.support.grants import DOCUMENTS, RUBRIC_SCORES, SEED_CALL, organization, proposal
from tests.support.processes import System, wait_until

T = date.today()
HOME = {"town": "滨河镇", "village": "新北村"}
ELSEWHERE = {"town": "迎水桥镇", "village": "沙坡头村"}
MENTAL_HEALTH = {
    "screened_on": (T - timedelta(days=3)).isoformat(),
    "result": "attention",
    "notes": "情绪低落，需要关注",
}
PANEL_ROLES = ("civil_affairs", "finance", "social_worker", "implementer_representative")


def day(offset: int) -> str:
    return (T + timedelta(days=offset)).isoformat()


def post(client: Api, path: str, body: dict):
    return client.post(path, json=jsonable(body))


def ok(response, *statuses: int) -> dict:
    assert response.status_code in (statuses or (200, 201)), (response.request.url, response.text)
    return response.json() if response.content else {}


@dataclass
class Contracted:
    organization_id: str
    call_id: str
    application_id: str
    contract_id: str
    notice_id: str
    seats: dict[str, str]  # panel role → member id
    reviewers: dict[str, Api]  # panel role → that seat's reviewer client


@dataclass
class World:
    system: System
    ours: Contracted  # the provider's organisation
    theirs: Contracted  # another organisation
    child: str  # in HOME, served by a case under our contract
    other_child: str  # ELSEWHERE, served by a case under their contract
    case: str
    other_case: str
    group: str
    campaign: str  # planned by our provider staff, under our contract
    clients: dict[str, Api] = field(default_factory=dict)  # role → client


def inspection(year: int) -> dict:
    return {"kind": "annual_inspection", "year": year, "result": "qualified", "effective_on": day(-50)}


def credit_check(result: str = "clear") -> dict:
    return {
        "kind": "credit_check",
        "list_name": "信用中国严重失信主体名单",
        "subject": "organisation",
        "result": result,
        "effective_on": day(-50),
    }


def contracted_organisation(system: System, name: str, area: dict, organization_id: str | None = None) -> Contracted:
    """One organisation (a new one, or `organization_id` again) through call,
    review, notice, determination and contract."""
    admin = system.api
    org, call, application, seats, reviewers, notice = on_public_notice(
        system, name, notice_opened=day(-26), organization_id=organization_id
    )
    ok(post(admin, f"/calls/{call}/determination", {"application_id": application, "determined_on": day(-20)}))
    contract = ok(
        post(
            admin,
            "/contracts",
            {
                "application_id": application,
                "period_start": day(-5),
                "period_end": one_year_end(T - timedelta(days=5)).isoformat(),
                "service_requirements": ["一人一档"],
                "breach_terms": "违约责任",
                "service_area": [area],
                "signed_on": day(-15),
            },
        ),
        201,
    )["id"]
    ok(post(admin, f"/contracts/{contract}/start", {"started_on": day(-5)}))
    return Contracted(org, call, application, contract, notice, seats, reviewers)


def on_public_notice(system: System, name: str, notice_opened: str, organization_id: str | None = None):
    """One organisation's application (a new organisation's, or that of
    `organization_id`, its evidence already on file) through call, review and
    shortlist to the public notice (公示) opened on `notice_opened`."""
    admin = system.api
    opens = T - timedelta(days=40)
    years = [opens.year - 2, opens.year - 1]
    call = ok(
        post(
            admin,
            "/calls",
            {
                **SEED_CALL,
                "inspection_years": years,
                "submission_opens": day(-40),
                "submission_closes": day(-30),
                "review_opens": day(-29),
                "review_closes": day(-10),
                "service_start": day(-5),
                "service_end": day(360),
            },
        ),
        201,
    )["id"]
    ok(post(admin, f"/calls/{call}/publish", {"published_on": day(-40)}))
    org = organization_id
    if org is None:
        org = ok(post(admin, "/organizations", organization(name)), 201)["id"]
        for item in [*(inspection(year) for year in years), credit_check()]:
            ok(post(admin, f"/organizations/{org}/evidence", {**item, "source": "年检公告; 信用中国"}), 201)
    application = ok(
        post(
            admin,
            f"/calls/{call}/applications",
            {"organization_id": org, "proposal": proposal(), "documents": DOCUMENTS, "submitted_on": day(-35)},
        ),
        201,
    )["id"]
    ok(
        post(
            admin,
            f"/applications/{application}/preliminary-review",
            {"decision": "pass", "reviewer": "区民社局", "reviewed_on": day(-29)},
        )
    )
    seats = {
        role: ok(post(admin, f"/calls/{call}/panel", {"name": role, "role": role, "affiliation": "区"}), 201)["id"]
        for role in PANEL_ROLES
    }
    reviewers = {role: system.login("reviewer", panel_member_ids=[seat]) for role, seat in seats.items()}
    for role, seat in seats.items():
        conflicted = role == "implementer_representative"
        ok(
            post(
                reviewers[role],
                f"/calls/{call}/panel/{seat}/declarations",
                {
                    "application_id": application,
                    "conflicted": conflicted,
                    "statement": "本人为该中心理事" if conflicted else "",
                    "declared_on": day(-28),
                },
            )
        )
        if not conflicted:
            ok(
                post(
                    reviewers[role],
                    f"/applications/{application}/scores",
                    {"member_id": seat, "scores": RUBRIC_SCORES, "scored_on": day(-28)},
                )
            )
    ok(post(admin, f"/calls/{call}/shortlist", {"size": 1, "decided_on": day(-27)}))
    notice = ok(post(admin, f"/calls/{call}/public-notice", {"opened_on": notice_opened}), 201)["id"]
    return org, call, application, seats, reviewers, notice


def registered_child(system: System, place: dict) -> str:
    child_id = ok(post(system.api, "/children", {**new_child(), **place, "mental_health": MENTAL_HEALTH}), 201)[
        "child_id"
    ]
    wait_until(
        lambda: system.api.get(f"/casework/children/{child_id}").status_code == 200,
        seconds=60,
        message=f"casework knowing {child_id}",
    )
    return child_id


def wait_reached(system: System, child_id: str, contract_id: str) -> None:
    """Until casework has learnt of the contract (its service area) and so
    knows the contract reaches the child."""

    def reached() -> bool:
        response = system.api.get(f"/casework/children/{child_id}/reach")
        return response.status_code == 200 and contract_id in [c["contract_id"] for c in response.json()["contracts"]]

    wait_until(reached, seconds=60, message=f"contract {contract_id} reaching {child_id}")


def open_case(client: Api, child_id: str, contract_id: str) -> str:
    return ok(
        post(
            client,
            "/cases",
            {
                "child_id": child_id,
                "contract_id": contract_id,
                "worker": "社工甲",
                "opened_on": day(0),
                "presenting_needs": "监护缺失",
            },
        ),
        201,
    )["id"]


def build_world(system: System) -> World:
    ours = contracted_organisation(system, "阳光社会工作服务中心", HOME)
    theirs = contracted_organisation(system, "星光社会工作服务中心", ELSEWHERE)
    clients = {
        "bureau_admin": system.api,
        "finance_officer": system.login("finance_officer"),
        "reviewer": ours.reviewers["civil_affairs"],
        "provider_staff": system.login("provider_staff", organization_id=ours.organization_id),
        "child_director": system.login("child_director", **HOME),
        "auditor": system.login("auditor"),
    }
    child, other_child = registered_child(system, HOME), registered_child(system, ELSEWHERE)
    wait_reached(system, child, ours.contract_id)
    wait_reached(system, other_child, theirs.contract_id)
    case = open_case(clients["provider_staff"], child, ours.contract_id)
    other_case = open_case(
        system.login("provider_staff", organization_id=theirs.organization_id), other_child, theirs.contract_id
    )
    group = ok(
        post(
            clients["provider_staff"],
            "/groups",
            {
                "name": "成长小组",
                "purpose": "人际交往",
                "contract_id": ours.contract_id,
                "min_age": 0,
                "max_age": 17,
                "formed_on": day(0),
                "worker": "社工乙",
                "member_ids": [],
            },
        ),
        201,
    )["id"]
    campaign = ok(  # the provider's, under our contract (line 1 is its deliverable)
        post(
            clients["provider_staff"],
            "/screening-campaigns",
            {
                "name": "2026年摸底排查",
                "starts_on": day(-10),
                "ends_on": day(20),
                "targets": [{**HOME, "households": 10}],
            },
        ),
        201,
    )["campaign_id"]
    return World(system, ours, theirs, child, other_child, case, other_case, group, campaign, clients)
