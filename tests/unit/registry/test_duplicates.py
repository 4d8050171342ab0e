"""Near-duplicate candidates, merging two files as an event (the merged-away
id leads to the survivor), and dismissing a pair as not the same child until the
dismissal is withdrawn."""

import uuid
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError

from services.registry.domain.child import Child
from services.registry.domain.dismissals import DuplicateDismissal
from services.registry.exceptions import (
    ChildNotFound,
    DismissalNotFound,
    InvalidChild,
    InvalidDismissal,
    PairAlreadyDismissed,
)
from services.registry.use_cases import history
from shared.context import CallMeta, acting_as
from tests.support.children import MIGRANT_PARENTS

TODAY = date(2025, 6, 1)
BASE = dict(
    gender="female",
    date_of_birth=date(2015, 3, 4),
    town="滨河镇",
    village="新北村",
    categories=["left_behind"],
    household=MIGRANT_PARENTS,
)


def test_similar_names_born_the_same_day_in_the_same_village_are_candidates(registry):
    a = registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    b = registry.register_child(name="李晓花", id_number=None, **BASE)
    registry.register_child(name="张伟", id_number=None, **BASE)  # different name
    registry.register_child(name="李小花", id_number=None, **{**BASE, "village": "黄湾村"})  # other village
    registry.register_child(name="李小花", id_number=None, **{**BASE, "date_of_birth": date(2015, 3, 5)})
    (pair,) = registry.duplicates(min_score=0.6, limit=10)["items"]
    assert {pair["first"]["child_id"], pair["second"]["child_id"]} == {str(a), str(b)}
    assert 0.6 <= pair["score"] < 1
    assert "id_number" not in pair["first"] and "mental_health" not in pair["first"]


def test_two_files_with_id_numbers_are_never_candidates(registry):
    registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    registry.register_child(name="李小花", id_number="640502201503040048", **BASE)
    assert registry.duplicates(min_score=0.1, limit=10)["items"] == []


def test_merge_is_an_event_and_the_merged_id_leads_to_the_survivor(registry):
    survivor = registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    merged = registry.register_child(name="李晓花", id_number=None, **BASE)
    registry.record_visit(merged, visited_on=date(2025, 5, 30), visitor="马主任", findings="ok")
    registry.merge_files(survivor_id=survivor, merged_id=merged, reason="same child, name misspelt")

    assert registry.get_child(merged)["child_id"] == survivor
    assert registry.get_child(survivor)["merged_from"] == [merged]
    assert registry.duplicates(min_score=0.1, limit=10)["items"] == []
    listed = registry.list_children(limit=10)["items"]
    assert [c["child_id"] for c in listed] == [str(survivor)]
    assert listed[0]["last_contact_on"] == date(2025, 5, 30)
    assert registry.child_history(merged)[-1]["event"] == "merged_into"
    assert registry.child_history(merged)[-1]["reason"] == "same child, name misspelt"
    with pytest.raises(InvalidChild) as refused:
        registry.record_visit(merged, visited_on=TODAY, visitor="x", findings="y")
    assert str(survivor) in refused.value.fields["child_id"][0]


MERGE_REFUSALS = {
    "into itself": lambda reg, a, b: (a, a, "merged_id"),
    "different ID numbers": lambda reg, a, b: (
        a,
        reg.register_child(name="李花", id_number="640502201503040048", **BASE),
        "merged_id",
    ),
    "already merged": lambda reg, a, b: (
        a,
        (reg.merge_files(survivor_id=a, merged_id=b, reason="dup"), b)[1],
        "merged_id",
    ),
    "closed survivor": lambda reg, a, b: (
        (reg.transfer_out(a, destination="银川", reason="moved"), a)[1],
        b,
        "survivor_id",
    ),
}


@pytest.mark.parametrize("case", MERGE_REFUSALS, ids=list(MERGE_REFUSALS))
def test_merges_are_refused_with_a_reason_and_store_nothing(registry, case):
    a = registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    b = registry.register_child(name="李晓花", id_number=None, **BASE)
    survivor, merged, field = MERGE_REFUSALS[case](registry, a, b)
    head = registry.head_position()
    with pytest.raises(InvalidChild) as refused:
        registry.merge_files(survivor_id=survivor, merged_id=merged, reason="dup")
    assert field in refused.value.fields
    assert registry.head_position() == head


def test_merging_an_unknown_file_is_not_found(registry):
    a = registry.register_child(name="李小花", id_number=None, **BASE)
    with pytest.raises(ChildNotFound):
        registry.merge_files(survivor_id=a, merged_id=uuid.uuid4(), reason="dup")


# -- dismissing a candidate pair: not the same child ------------------------------------------


@pytest.fixture
def pair(registry):
    a = registry.register_child(name="李小花", id_number="640502201503040021", **BASE)
    b = registry.register_child(name="李晓花", id_number=None, **BASE)
    return a, b


def candidate_pairs(registry) -> list[set]:
    return [
        {p["first"]["child_id"], p["second"]["child_id"]} for p in registry.duplicates(min_score=0.6, limit=10)["items"]
    ]


def test_a_dismissed_pair_leaves_the_list_until_the_dismissal_is_withdrawn(registry, pair):
    a, b = pair
    c = registry.register_child(name="李小华", id_number=None, **BASE)  # a candidate with a only: stays listed
    assert {frozenset(p) for p in candidate_pairs(registry)} == {
        frozenset((str(a), str(b))),
        frozenset((str(a), str(c))),
    }

    with acting_as(CallMeta("reviewer-7", "bureau_admin", correlation_id="req-9")):
        dismissed = registry.dismiss_duplicate(first_id=b, second_id=a, reason="different mothers, checked at home")
    assert dismissed["dismissal_id"] == DuplicateDismissal.create_id(a, b) == DuplicateDismissal.create_id(b, a)
    assert dismissed["standing"] and dismissed["dismissed_on"] == TODAY
    assert candidate_pairs(registry) == [{str(a), str(c)}]
    (row,) = registry.list_dismissals(limit=10)["items"]
    assert row["dismissal_id"] == str(dismissed["dismissal_id"]) and row["reason"].startswith("different mothers")
    assert {row["first"]["child_id"], row["second"]["child_id"]} == {str(a), str(b)}
    assert "id_number" not in row["first"]

    registry.withdraw_dismissal(dismissed["dismissal_id"], reason="mother's name was misread")
    assert {str(a), str(b)} in candidate_pairs(registry) and len(candidate_pairs(registry)) == 2
    assert registry.list_dismissals(limit=10)["items"] == []

    again = registry.dismiss_duplicate(first_id=a, second_id=b, reason="checked again: birth certificates differ")
    assert again["dismissal_id"] == dismissed["dismissal_id"] and again["version"] == 3
    assert candidate_pairs(registry) == [{str(a), str(c)}]

    # Who and when are the metadata the store stamps; the reason is the event's.
    changes = history.changes(registry, dismissed["dismissal_id"])
    assert [change["event"] for change in changes] == ["dismissed", "withdrawn", "redismissed"]
    assert changes[0]["actor"] == {"id": "reviewer-7", "role": "bureau_admin"}
    assert changes[0]["correlation_id"] == "req-9" and changes[0]["at"]
    assert changes[1]["reason"] == "mother's name was misread"


def test_a_dismissal_survives_a_rebuild_of_the_read_model(registry, pair):
    a, b = pair
    registry.dismiss_duplicate(first_id=a, second_id=b, reason="not the same child")
    registry.children.rebuild()
    assert candidate_pairs(registry) == []
    assert len(registry.list_dismissals(limit=10)["items"]) == 1


DISMISSAL_REFUSALS = {
    "the same file twice": (lambda reg, a, b: (a, a, "no"), InvalidDismissal, "second_id"),
    "an unknown file": (lambda reg, a, b: (a, uuid.uuid4(), "no"), ChildNotFound, None),
    "a blank reason": (lambda reg, a, b: (a, b, "  "), InvalidDismissal, "reason"),
    "a merged file": (
        lambda reg, a, b: (a, (reg.merge_files(survivor_id=a, merged_id=b, reason="dup"), b)[1], "no"),
        InvalidDismissal,
        "second_id",
    ),
    "a closed file": (
        lambda reg, a, b: ((reg.transfer_out(a, destination="银川", reason="moved"), a)[1], b, "no"),
        InvalidDismissal,
        "first_id",
    ),
    "a pair already dismissed": (
        lambda reg, a, b: (b, (reg.dismiss_duplicate(first_id=a, second_id=b, reason="no"), a)[1], "again"),
        PairAlreadyDismissed,
        None,
    ),
}


@pytest.mark.parametrize("case", DISMISSAL_REFUSALS, ids=list(DISMISSAL_REFUSALS))
def test_dismissals_are_refused_with_a_reason_and_store_nothing(registry, pair, case):
    arrange, error, field = DISMISSAL_REFUSALS[case]
    first, second, reason = arrange(registry, *pair)
    head = registry.head_position()
    with pytest.raises(error) as refused:
        registry.dismiss_duplicate(first_id=first, second_id=second, reason=reason)
    if field is not None:
        assert list(refused.value.fields) == [field]
    assert registry.head_position() == head


def test_a_second_dismissal_names_the_standing_one(registry, pair):
    a, b = pair
    first = registry.dismiss_duplicate(first_id=a, second_id=b, reason="no")
    with pytest.raises(PairAlreadyDismissed) as refused:
        registry.dismiss_duplicate(first_id=b, second_id=a, reason="no")
    assert refused.value.details() == {"dismissal_id": str(first["dismissal_id"])}


def test_two_concurrent_dismissals_of_one_pair_cannot_both_be_stored(registry, pair):
    a, b = (registry.load(Child, c, ChildNotFound) for c in pair)
    one = DuplicateDismissal.dismiss(first=a, second=b, reason="no", today=TODAY)
    other = DuplicateDismissal.dismiss(first=b, second=a, reason="also no", today=TODAY)
    registry.save(one)
    with pytest.raises(IntegrityError):
        registry.save(other)
    (row,) = registry.list_dismissals(limit=10)["items"]
    assert row["reason"] == "no"


def test_losing_a_race_to_dismiss_the_same_pair_is_a_conflict(registry, pair, monkeypatch):
    a, b = pair
    find = registry.find

    def another_request_dismisses_it_meanwhile(kind, record_id, version=None):
        if kind is not DuplicateDismissal:
            return find(kind, record_id, version)
        monkeypatch.setattr(registry, "find", find)
        registry.save(
            DuplicateDismissal.dismiss(
                first=registry.load(Child, a, ChildNotFound),
                second=registry.load(Child, b, ChildNotFound),
                reason="the other reviewer",
                today=TODAY,
            )
        )
        return None  # not dismissed yet, as this request saw it

    monkeypatch.setattr(registry, "find", another_request_dismisses_it_meanwhile)
    with pytest.raises(PairAlreadyDismissed):
        registry.dismiss_duplicate(first_id=a, second_id=b, reason="mine")
    (row,) = registry.list_dismissals(limit=10)["items"]
    assert row["reason"] == "the other reviewer"


def test_withdrawing_needs_a_standing_dismissal_and_a_reason(registry, pair):
    a, b = pair
    with pytest.raises(DismissalNotFound):
        registry.withdraw_dismissal(DuplicateDismissal.create_id(a, b), reason="never dismissed")
    with pytest.raises(DismissalNotFound):
        registry.withdraw_dismissal(a, reason="a child file is not a dismissal")
    dismissal_id = registry.dismiss_duplicate(first_id=a, second_id=b, reason="no")["dismissal_id"]
    head = registry.head_position()
    with pytest.raises(InvalidDismissal) as refused:
        registry.withdraw_dismissal(dismissal_id, reason=" ")
    assert list(refused.value.fields) == ["reason"] and registry.head_position() == head
    registry.withdraw_dismissal(dismissal_id, reason="reopened")
    with pytest.raises(DismissalNotFound):
        registry.withdraw_dismissal(dismissal_id, reason="twice")
