"""The sessions held, read back (issue 16): child directors' supervision and
cross-learning (GET /supervisions) and the provider's supervision team's
consultations and trainings (GET /project-supervisions), paged and filtered
like the other lists, each contract's apart, and as they stood at a position
of casework's log."""

import json
import uuid

import pytest
from nameko.testing.services import worker_factory

from services.casework.application import CaseworkApplication
from services.casework.service import CaseworkService
from shared.errors import InvalidInput
from tests.support.casework import TODAY

OURS, THEIRS = str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture
def app():
    made = CaseworkApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    made.clock = lambda: TODAY
    return made


@pytest.fixture
def service(app):
    return worker_factory(CaseworkService, store=app)


def director(service, name, village, town="滨河镇"):
    body = {"name": name, "town": town, "village": village, "appointed_on": "2025-01-01"}
    return service.appoint_director(body)["id"]


def supervision(service, kind, directors, contract_id=OURS, **more):
    body = {
        "kind": kind,
        "held_on": "2025-08-20",
        "contract_id": contract_id,
        "topic": "个案发现与报告",
        "supervisor": "督导老师",
        "director_ids": directors,
        "duration_minutes": 120,
        **more,
    }
    return service.hold_supervision(body)["id"]


def team_session(service, contract_id=OURS, **more):
    body = {
        "contract_id": contract_id,
        "format": "training",
        "focus": ["professional_skills"],
        "held_on": "2025-08-21",
        "topic": "个案管理专业技能培训",
        "supervisor": "督导团队 王老师",
        "staff_attending": 6,
        "duration_minutes": 90,
        **more,
    }
    return service.hold_project_supervision(body)["id"]


def test_directors_sessions_are_listed_each_contracts_apart_with_who_attended(service):
    a, b = director(service, "李主任", "新北村"), director(service, "马主任", "沙坡头村", town="迎水桥镇")
    ours = supervision(service, "supervision", [a], notes="讨论了两个个案")
    mixed = supervision(service, "cross_learning", [a, b])
    theirs = supervision(service, "supervision", [b], contract_id=THEIRS)
    page = service.list_supervisions({"contract_id": OURS})
    json.dumps(page)
    assert sorted(row["supervision_id"] for row in page["items"]) == sorted([ours, mixed])
    row = next(r for r in page["items"] if r["supervision_id"] == ours)
    assert row == {
        "supervision_id": ours,
        "kind": "supervision",
        "held_on": "2025-08-20",
        "contract_id": OURS,
        "topic": "个案发现与报告",
        "supervisor": "督导老师",
        "director_ids": [a],
        "duration_minutes": 120,
        "notes": "讨论了两个个案",
    }
    assert [r["supervision_id"] for r in service.list_supervisions({"kind": "cross_learning"})["items"]] == [mixed]
    assert len(service.list_supervisions({})["items"]) == 3  # the bureau reads every contract's
    assert theirs not in [r["supervision_id"] for r in page["items"]]
    first = service.list_supervisions({"limit": "2"})
    rest = service.list_supervisions({"cursor": first["next_cursor"]})
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_the_teams_sessions_are_listed_each_contracts_apart(service):
    training = team_session(service)
    consultation = team_session(service, format="consultation", focus=["resource_development"], staff_attending=2)
    team_session(service, contract_id=THEIRS)
    page = service.list_project_supervisions({"contract_id": OURS})
    assert sorted(r["session_id"] for r in page["items"]) == sorted([training, consultation])
    only = service.list_project_supervisions({"contract_id": OURS, "format": "consultation"})["items"]
    assert [(r["session_id"], r["focus"], r["staff_attending"]) for r in only] == [
        (consultation, ["resource_development"], 2)
    ]


def test_sessions_read_as_they_stood_leave_out_later_ones(service):
    a = director(service, "李主任", "新北村")
    first = supervision(service, "supervision", [a])
    team = team_session(service)
    then = service.list_supervisions({})["as_of_position"]
    supervision(service, "supervision", [a], held_on="2025-08-25")
    team_session(service, held_on="2025-08-26")
    past = service.list_supervisions({"as_of_position": str(then)})
    assert [r["supervision_id"] for r in past["items"]] == [first] and past["as_of_position"] == then
    assert [r["session_id"] for r in service.list_project_supervisions({"as_of_position": str(then)})["items"]] == [
        team
    ]
    assert len(service.list_supervisions({})["items"]) == 2


BAD_QUERIES = [
    ({"limit": "0"}, "limit"),
    ({"contract_id": "ours"}, "contract_id"),
    ({"as_of": "2025-02-30"}, "as_of"),
    ({"as_of_position": "-1"}, "as_of_position"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(
    ("read", "query", "field"),
    [("list_supervisions", q, f) for q, f in [*BAD_QUERIES, ({"kind": "lecture"}, "kind")]]
    + [("list_project_supervisions", q, f) for q, f in [*BAD_QUERIES, ({"format": "lecture"}, "format")]],
)
def test_a_bad_query_is_refused_at_its_field(service, read, query, field):
    with pytest.raises(InvalidInput) as refused:
        getattr(service, read)(query)
    assert set(refused.value.fields) == {field}
