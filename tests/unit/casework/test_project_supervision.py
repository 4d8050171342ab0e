"""The provider's own supervision team (卫沙民社函〔2025〕11号 §五.(三).3): its
consultation and training for the provider's staff is recorded under the
contract and reported in that contract's quarterly report."""

import uuid
from datetime import date

import pytest

from shared.errors import RuleViolation
from tests.support.casework import Grants

CONTRACT = uuid.uuid4()


def supervise(app, **overrides):
    args = dict(
        contract_id=CONTRACT,
        format="training",
        focus=["professional_skills", "implementation_concept"],
        held_on=date(2025, 8, 20),
        topic="个案管理专业技能培训",
        supervisor="督导团队 王老师",
        staff_attending=6,
        duration_minutes=90,
        notes="",
    )
    return app.hold_project_supervision(**{**args, **overrides})


def test_the_supervision_teams_sessions_are_reported_under_their_contract(casework):
    supervise(casework)
    supervise(casework, format="consultation", focus=["resource_development"], staff_attending=2, duration_minutes=30)
    supervise(casework, held_on=date(2025, 6, 30))  # another quarter
    supervise(casework, contract_id=uuid.uuid4())  # another contract
    report = casework.quarterly_report(CONTRACT, 2025, 3)
    assert report["project_supervision"] == {
        "sessions": 2,
        "by_format": {"consultation": 1, "training": 1},
        "by_focus": {"implementation_concept": 1, "professional_skills": 1, "resource_development": 1},
        "staff_attendances": 8,
        "minutes": 120,
    }
    # The team supports every line but delivers none of them.
    assert all(row["records"] == 0 for row in report["service_lines"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contract_id": None}, "contract_id"),
        ({"format": "lecture"}, "format"),
        ({"focus": []}, "focus"),
        ({"focus": ["fundraising"]}, "focus"),
        ({"focus": ["professional_skills", "professional_skills"]}, "focus"),
        ({"held_on": date(2025, 10, 1)}, "held_on"),
        ({"staff_attending": 0}, "staff_attending"),
        ({"supervisor": "  "}, "supervisor"),
        ({"duration_minutes": 0}, "duration_minutes"),
    ],
)
def test_supervision_team_refusals(casework, change, field):
    head = casework.recorder.max_notification_id()
    with pytest.raises(RuleViolation) as error:
        supervise(casework, **change)
    assert set(error.value.fields) == {field}
    assert casework.recorder.max_notification_id() == head


def test_a_session_outside_the_signed_contracts_period_is_refused(casework):
    Grants(casework).contract_signed(CONTRACT, ["director_supervision"], start=date(2025, 7, 1))
    with pytest.raises(RuleViolation) as error:
        supervise(casework, held_on=date(2025, 6, 30))
    assert set(error.value.fields) == {"held_on"}
    supervise(casework, held_on=date(2025, 7, 1))
