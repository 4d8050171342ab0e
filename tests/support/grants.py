"""Builders for grants tests, unit and end-to-end: the seed's call,
organizations, proposals, and an application driven through selection and
into a contract by an injected clock."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from services.grants.domain.credit_code import check_character, organization_check_character

_serial = itertools.count(1)
FEN = 100
BUDGET = 250_000 * FEN


def credit_code(type_code: str = "52", serial: int | None = None) -> str:
    serial = next(_serial) if serial is None else serial
    body = f"MJ{serial:06d}"
    first17 = f"{type_code}640502{body}{organization_check_character(body)}"
    return first17 + check_character(first17)


def organization(name: str = "沙坡头区阳光社会工作服务中心", type_code: str = "52", **changes) -> dict:
    return {
        "name": name,
        "credit_code": credit_code(type_code),
        "legal_representative": "马丽",
        "project_lead": "王强",
        "accountant": {"name": "李娜", "qualification": "初级会计师"},
        "accounting_regime": "npo_accounting_system",
        "has_financial_rules": True,
        "bank_account": {
            "bank": "宁夏银行中卫分行",
            "account_number": "6230000011112222",
            "independent": True,
            "opening_permit": True,
        },
        **changes,
    }


def inspections(years=(2022, 2023), result="qualified") -> list[dict]:
    return [
        {"kind": "annual_inspection", "year": y, "result": result, "effective_on": date(y + 1, 4, 30)} for y in years
    ]


SEED_CALL = dict(
    title="沙坡头区民社局2025年购买留守儿童和困境儿童关爱服务项目",
    budget_fen=BUDGET,
    service_start=date(2025, 7, 1),
    service_end=date(2026, 6, 30),
    place="沙坡头区",
    target_group="0-18岁留守儿童和困境儿童",
    service_lines=[
        "screening_and_files",
        "spiritual_literacy",
        "life_care",
        "tiered_management",
        "director_supervision",
        "social_participation",
        "safety_education",
        "protection_publicity",
    ],
    inspection_years=[2022, 2023],
    submission_opens=date(2025, 5, 13),
    submission_closes=date(2025, 5, 31),
    review_opens=date(2025, 6, 1),
    review_closes=date(2025, 6, 30),
)


def proposal(total_fen: int = BUDGET, lines=None) -> dict:
    lines = lines or SEED_CALL["service_lines"]
    return {
        "needs_analysis": {
            "summary": "全区留守儿童和困境儿童需求分层排序",
            "data_points": [{"indicator": "困境儿童人数", "value": "412", "source": "2024年摸底台账"}],
        },
        "target_group": "沙坡头区0-18岁留守儿童和困境儿童",
        "objectives": ["一人一档全覆盖", "每月一主题塞上护童活动"],
        "activities": [{"service_line": line, "description": f"{line} 活动"} for line in lines],
        "budget_lines": [
            {"line": "personnel", "amount_fen": total_fen * 6 // 10},
            {"line": "activities", "amount_fen": total_fen - total_fen * 6 // 10},
        ],
        "schedule": [{"milestone": "摸底建档完成", "due": date(2025, 9, 30)}],
        "evaluation_standard": "按季度考核服务人次与满意度",
        "team": [{"name": "王强", "role": "项目负责人", "qualifications": "中级社会工作师"}],
    }


DOCUMENTS = [
    {"kind": "application_form", "reference": "申报书.pdf", "signed_and_sealed": True},
    {"kind": "registration_certificate", "reference": "登记证书副本.pdf", "signed_and_sealed": False},
    {"kind": "bank_account_documents", "reference": "开户许可证.pdf", "signed_and_sealed": False},
    {"kind": "accountant_qualification", "reference": "会计资质.pdf", "signed_and_sealed": False},
]

RUBRIC_SCORES = {
    "need_authenticity": 90,
    "public_benefit": 88,
    "innovation": 80,
    "scientific_planning": 85,
    "professional_capacity": 90,
    "team_capability": 86,
}


class Clock:
    """An injectable clock the test moves by hand."""

    def __init__(self, today: date):
        self.today = today

    def __call__(self) -> date:
        return self.today


SOURCE = "宁夏社会组织年检结果公告; 信用中国 (2025-05-09)"
CREDIT_CHECK = {
    "kind": "credit_check",
    "list_name": "信用中国严重失信主体名单",
    "subject": "organisation",
    "result": "clear",
    "effective_on": date(2025, 5, 9),
}


def eligible_organization(grants, name: str = "沙坡头区阳光社会工作服务中心", **changes):
    """Registered, with two qualified inspections and a clear credit check,
    each verified by the bureau."""
    org = grants.register_organization(**organization(name, **changes))
    for item in [*inspections(), CREDIT_CHECK]:
        grants.record_evidence(org, source=SOURCE, **item)
    return org


def published_call(grants, clock, **changes):
    clock.today = date(2025, 5, 13)
    call = grants.draft_call(**{**SEED_CALL, **changes})
    grants.publish_call(call)
    return call


def submitted(grants, clock, call, org, documents=None, **proposal_changes):
    clock.today = date(2025, 5, 20)
    return grants.submit_application(call, org, {**proposal(), **proposal_changes}, documents or DOCUMENTS)


PANEL = {
    "civil_affairs": "区民社局",
    "finance": "区财政局",
    "social_worker": "社工协会",
    "implementer_representative": "项目实施代表",
}
SCORERS = ("civil_affairs", "finance", "social_worker")


def appoint_panel(grants, call):
    return {
        role: grants.appoint_panel_member(call, name=f"{role}委员", role=role, affiliation=where)
        for role, where in PANEL.items()
    }


def score_by_panel(grants, clock, call, application, members, scores=None):
    clock.today = date(2025, 6, 10)
    for role in SCORERS:
        grants.declare_interest(call, members[role], application, conflicted=False)
        grants.score_application(application, members[role], scores or RUBRIC_SCORES)


def reviewed_call(grants, clock, applicants=1):
    """A published call with `applicants` eligible applications, passed and scored
    (the first highest), shortlisting still to do."""
    call = published_call(grants, clock)
    apps = []
    for n in range(applicants):
        org = eligible_organization(grants, f"社工服务中心{n}")
        apps.append(submitted(grants, clock, call, org))
    clock.today = date(2025, 6, 2)
    for a in apps:
        grants.preliminary_review(a, "pass", reviewer="区民社局")
    members = appoint_panel(grants, call)
    for n, a in enumerate(apps):
        score_by_panel(grants, clock, call, a, members, {k: v - 5 * n for k, v in RUBRIC_SCORES.items()})
    return call, apps, members


def on_notice(grants, clock, applicants=1):
    call, apps, members = reviewed_call(grants, clock, applicants)
    clock.today = date(2025, 6, 15)
    grants.shortlist(call, size=len(apps))
    notice = grants.open_public_notice(call)
    return call, apps, notice


def determined(grants, clock):
    call, apps, notice = on_notice(grants, clock)
    clock.today = date(2025, 6, 21)
    grants.determine(call, apps[0])
    return call, apps[0]


CONTRACT_TERMS = dict(
    period_start=date(2025, 7, 1),
    period_end=date(2026, 6, 30),
    service_requirements=["一人一档全覆盖"],
    breach_terms="按合同追究违约责任",
    service_area=[{"town": "滨河镇", "village": None}, {"town": "迎水桥镇", "village": "沙坡头村"}],
)


def active_contract(grants, clock, **terms):
    call, application = determined(grants, clock)
    clock.today = date(2025, 6, 28)
    contract = grants.sign_contract(application, **{**CONTRACT_TERMS, **terms})
    clock.today = date(2025, 7, 1)
    grants.start_contract(contract)
    return contract


def accept_report(grants, clock, contract, year, quarter):
    clock.today = max(clock.today, date(year, 3 * quarter, 28))
    report = grants.submit_quarterly_report(contract, year, quarter, summary="季度书面报告")
    grants.review_quarterly_report(contract, report, "accepted")
    return report


PASSING = {"budget_execution": 9, "output": 45, "effect": 26, "satisfaction": 9}
# Evaluators by body (卫沙民社函〔2025〕11号 §五.(三).4 mid-term; §五.(四).2 at completion).
BUREAU = [{"body": "civil_affairs_bureau", "name": "区民社局 张科长"}]
FULL_PANEL = [
    *BUREAU,
    {"body": "finance_bureau", "name": "区财政局 李科长"},
    {"body": "implementer_representative", "name": "项目实施代表 马女士"},
]


def mid_term_passed(grants, clock, contract):
    accept_report(grants, clock, contract, 2025, 3)
    accept_report(grants, clock, contract, 2025, 4)
    grants.record_evaluation(contract, "mid_term", PASSING, evaluators=BUREAU)


def refused(grants, error_class, field, call, /, *args, **kwargs):
    """Assert the call is refused with `error_class` (naming `field` unless
    None), and that nothing was stored."""
    head = grants.head_position()
    with pytest.raises(error_class) as error:
        call(*args, **kwargs)
    if field is not None:
        assert field in error.value.fields, error.value.fields
    assert grants.head_position() == head
    return error.value
