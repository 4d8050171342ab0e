"""One HTTP journey through the gateway on the real services: call, two
applicants (one rejected with reasons), panel scoring with a conflicted member,
public notice read without a token, an objection that holds the determination,
contract, a quarterly report, a refused transfer, termination for false
materials and the public ban.

Running processes cannot share the unit tests' injected clock, so this
journey dates its decisions explicitly, all in the recent past (the service
refuses future dates): the same rules, checked against real dates."""

from datetime import date, timedelta

from services.grants.domain.contract_term import one_year_end
from services.grants.domain.organizations import ban_end
from shared.jsonable import jsonable
from tests.support.api import Api
from tests.support.grants import DOCUMENTS, RUBRIC_SCORES, SEED_CALL, organization, proposal
from tests.support.processes import wait_until
from tests.support.world import credit_check, inspection

T = date.today()


def day(offset: int) -> str:
    return (T + timedelta(days=offset)).isoformat()


class Client:
    """Asserting shortcuts over one caller's Api client."""

    def __init__(self, http: Api):
        self.http = http

    def post(self, path: str, body: dict, status: int = 200) -> dict:
        response = self.http.post(path, json=jsonable(body), timeout=15)
        assert response.status_code == status, (path, response.status_code, response.text)
        return response.json() if response.content else {}

    def get(self, path: str) -> dict:
        response = self.http.get(path, timeout=15)
        assert response.status_code == 200, (path, response.text)
        return response.json()


def test_grants_journey_over_http(full_system):
    http = full_system.api
    api = Client(http)
    public_reader = full_system.anonymous  # public routes need no token
    opens = T - timedelta(days=40)
    years = [opens.year - 2, opens.year - 1]
    call = api.post(
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
        201,
    )["id"]
    assert api.post(f"/calls/{call}/publish", {"published_on": day(-40)})["status"] == "published"

    good = api.post("/organizations", organization("阳光社会工作服务中心"), 201)["id"]
    weak = api.post("/organizations", organization("某社会团体", type_code="51"), 201)["id"]
    for org, inspected in ((good, years), (weak, years[1:])):
        for item in [*(inspection(year) for year in inspected), credit_check()]:
            api.post(f"/organizations/{org}/evidence", {**item, "source": "年检公告; 信用中国"}, 201)

    applied = {
        org: api.post(
            f"/calls/{call}/applications",
            {"organization_id": org, "proposal": proposal(), "documents": DOCUMENTS, "submitted_on": day(-35)},
            201,
        )["id"]
        for org in (good, weak)
    }
    weak_rules = api.get(f"/applications/{applied[weak]}/eligibility")
    assert weak_rules["eligible"] is False
    assert [r["rule"] for r in weak_rules["rules"] if not r["passed"] and r["kind"] == "hard"] == ["annual_inspections"]
    refused = http.post(
        f"/applications/{applied[weak]}/preliminary-review",
        json={"decision": "pass", "reviewer": "区民社局"},
        timeout=15,
    )
    assert refused.status_code == 422 and refused.json()["error"] == "RULE_VIOLATION"
    rejected = api.post(
        f"/applications/{applied[weak]}/preliminary-review",
        {
            "decision": "reject",
            "reviewer": "区民社局",
            "reasons": [weak_rules["rules"][1]["reason"]],
            "reviewed_on": day(-29),
        },
    )
    assert rejected["status"] == "rejected" and str(years[0]) in rejected["preliminary"]["reasons"][0]
    api.post(
        f"/applications/{applied[good]}/preliminary-review",
        {"decision": "pass", "reviewer": "区民社局", "reviewed_on": day(-29)},
    )

    members = {
        role: api.post(f"/calls/{call}/panel", {"name": role, "role": role, "affiliation": "区"}, 201)["id"]
        for role in ("civil_affairs", "finance", "social_worker", "implementer_representative")
    }
    # Each seat declares and scores itself, signed in as that seat's reviewer.
    reviewers = {role: full_system.login("reviewer", panel_member_ids=[member]) for role, member in members.items()}
    for role, member in members.items():
        conflicted = role == "implementer_representative"
        Client(reviewers[role]).post(
            f"/calls/{call}/panel/{member}/declarations",
            {
                "application_id": applied[good],
                "conflicted": conflicted,
                "statement": "本人为该中心理事" if conflicted else "",
                "declared_on": day(-28),
            },
        )  # conflicted may declare
        response = reviewers[role].post(
            f"/applications/{applied[good]}/scores",
            json={"member_id": member, "scores": RUBRIC_SCORES, "scored_on": day(-28)},
            timeout=15,
        )
        if conflicted:  # refused by the gateway before the grants service is asked
            assert response.status_code == 403 and response.json()["error"] == "FORBIDDEN", response.text
        else:
            assert response.status_code == 200, response.text
    assert api.get(f"/calls/{call}/ranking")["items"][0]["scorers"] == 3
    # A reviewer reading the application sees their own scores, not the others' nor their mean.
    seen_by_scorer = reviewers["civil_affairs"].get(f"/applications/{applied[good]}", timeout=15).json()
    assert [s["member_id"] for s in seen_by_scorer["scores"]] == [members["civil_affairs"]]
    assert seen_by_scorer["mean_score"] is None
    assert len(api.get(f"/applications/{applied[good]}")["scores"]) == 3
    assert api.post(f"/calls/{call}/shortlist", {"size": 1, "decided_on": day(-27)})["application_ids"] == [
        applied[good]
    ]

    notice = api.post(f"/calls/{call}/public-notice", {"opened_on": day(-26)}, 201)["id"]
    public = public_reader.get("/public/notices", timeout=15).json()["items"]
    assert [(n["notice_id"], n["ends_on"], n["entries"][0]["organization_name"]) for n in public] == [
        (notice, day(-22), "阳光社会工作服务中心")
    ]
    objection = api.post(
        f"/public-notices/{notice}/objections",
        {"objector": "村民", "grounds": "质疑资质", "application_id": applied[good], "lodged_on": day(-24)},
        201,
    )["id"]
    held = http.post(
        f"/calls/{call}/determination", json={"application_id": applied[good], "determined_on": day(-20)}, timeout=15
    )
    assert held.status_code == 422 and "notice" in held.json()["fields"]
    api.post(
        f"/public-notices/{notice}/objections/{objection}/resolution",
        {"outcome": "dismissed", "resolution": "资质属实", "resolved_on": day(-21)},
    )
    determined = api.post(f"/calls/{call}/determination", {"application_id": applied[good], "determined_on": day(-20)})
    assert determined["determined_amount_fen"] == SEED_CALL["budget_fen"]

    contract = api.post(
        "/contracts",
        {
            "application_id": applied[good],
            "period_start": day(-5),
            "period_end": one_year_end(T - timedelta(days=5)).isoformat(),
            "service_requirements": ["一人一档"],
            "breach_terms": "违约责任",
            "service_area": [{"town": "滨河镇"}],
            "signed_on": day(-15),
        },
        201,
    )["id"]
    api.post(f"/contracts/{contract}/start", {"started_on": day(-5)})

    def funding():
        response = http.get(f"/contracts/{contract}/funding", timeout=15)
        return response.status_code == 200 and response.json()

    signed = wait_until(funding, message="finance learning of the signed contract")
    assert [t["amount_fen"] for t in signed["tranches"]] == [10_000_000, 7_500_000, 7_500_000]
    period = f"{T.year}-Q{(T.month - 1) // 3 + 1}"
    generated = api.get(f"/contracts/{contract}/reports/quarterly/{period}")
    report = api.post(
        f"/contracts/{contract}/quarterly-reports",
        {
            "year": T.year,
            "quarter": (T.month - 1) // 3 + 1,
            "summary": "本季度实施情况",
            "figures": {"children_reached": 120},
            "generated_report": {
                "as_of_position": generated["as_of_position"],
                "content_hash": generated["content_hash"],
            },
        },
        201,
    )["id"]
    api.post(f"/contracts/{contract}/quarterly-reports/{report}/review", {"decision": "accepted"})
    transfer = http.post(f"/contracts/{contract}/transfer", json={"transferee": "另一机构"}, timeout=15)
    assert transfer.status_code == 422 and "transfer" in transfer.json()["fields"]
    future = http.post(f"/contracts/{contract}/suspension", json={"reason": "x", "suspended_on": day(3)}, timeout=15)
    assert future.status_code == 422 and "suspended_on" in future.json()["fields"]

    terminated = api.post(
        f"/contracts/{contract}/termination",
        {"reason": "false_materials", "details": "申报材料中的荣誉证书系伪造", "recovery_fen": None},
    )
    assert terminated["status"] == "terminated" and terminated["termination"]["recovery_fen"] is None
    bans = public_reader.get("/public/bans", timeout=15).json()["items"]
    assert [(b["organization_id"], b["decided_on"], b["in_force"]) for b in bans] == [(good, T.isoformat(), True)]
    assert bans[0]["banned_until"] == ban_end(T).isoformat()

    assert wait_until(
        lambda: (f := funding()) and f["state"] == "terminated" and f, message="finance learning of the termination"
    )

    scorer = reviewers["civil_affairs"]
    for client, path, body, status in (
        (
            http,
            f"/calls/{call}/applications",
            {"organization_id": good, "proposal": proposal(), "documents": DOCUMENTS, "favourite": "x"},
            400,
        ),
        (
            scorer,
            f"/applications/{applied[good]}/scores",
            {"member_id": members["civil_affairs"], "scores": {"need": "high"}},
            400,
        ),
        (
            http,
            f"/contracts/{contract}/evaluations",
            {"kind": "mid_term", "scores": {"output": "NaN"}, "evaluators": ["x"]},
            400,
        ),
        (http, "/applications/not-a-uuid/withdrawal", {"reason": "x"}, 404),
        (http, f"/calls/{call}/determination", {"application_id": applied[good]}, 409),
    ):
        response = client.post(path, json=jsonable(body), timeout=15)
        assert response.status_code == status, (path, response.text)
        assert set(response.json()) >= {"error", "message", "fields"}
    assert public_reader.get("/public/bans", params={"limit": "0"}, timeout=15).status_code == 400

    spec = Client(public_reader).get("/openapi.json")
    assert {"/calls/{call_id}/determination", "/public/bans", "/contracts/{contract_id}/termination"} <= set(
        spec["paths"]
    )
