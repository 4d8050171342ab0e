"""Group commit: callers that arrive while a write is under way are written
together by the next write, and each returns only once its own item is
committed (or raises the error of the write that carried it)."""

import threading

import pytest

from shared.group_commit import GroupCommit


class Writes:
    """Records each group written; the first write waits for `gate` so that
    later callers pile up behind it."""

    def __init__(self, fail_group: int | None = None):
        self.groups: list[list[str]] = []
        self.committed: set[str] = set()
        self.gate = threading.Event()
        self.first_entered = threading.Event()
        self.fail_group = fail_group

    def __call__(self, items):
        if not self.groups:
            self.first_entered.set()
            self.gate.wait()
        self.groups.append(list(items))
        if self.fail_group == len(self.groups) - 1:
            raise RuntimeError("the database refused the group")
        self.committed.update(items)


def submit_in_thread(group: GroupCommit, item: str, outcomes: dict):
    def run():
        try:
            group.submit(item)
            outcomes[item] = ("ok", item in writes_of(group).committed)
        except RuntimeError as error:
            outcomes[item] = ("error", str(error))
        except Interrupted:
            outcomes[item] = ("interrupted",)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def writes_of(group: GroupCommit) -> Writes:
    return group._write  # type: ignore[return-value]


def wait_until_waiting(group: GroupCommit, count: int) -> None:
    while group.waiting() < count:
        threading.Event().wait(0.001)


def test_a_lone_caller_writes_its_own_item_at_once():
    writes = Writes()
    writes.gate.set()
    group = GroupCommit(writes)
    group.submit("a")
    group.submit("b")
    assert writes.groups == [["a"], ["b"]]


def test_callers_arriving_during_a_write_are_written_together_each_after_its_commit():
    writes = Writes()
    group = GroupCommit(writes)
    outcomes: dict = {}
    first = submit_in_thread(group, "a", outcomes)
    writes.first_entered.wait()
    later = [submit_in_thread(group, item, outcomes) for item in ("b", "c", "d")]
    wait_until_waiting(group, 3)
    assert outcomes == {}  # nobody has returned before the first write commits
    writes.gate.set()
    for thread in [first, *later]:
        thread.join()
    assert writes.groups[0] == ["a"]
    assert sorted(writes.groups[1]) == ["b", "c", "d"]
    assert len(writes.groups) == 2
    # each caller returned only once its own item was committed
    assert outcomes == {item: ("ok", True) for item in "abcd"}


def test_a_failed_write_fails_every_caller_of_its_group_and_no_other():
    writes = Writes(fail_group=1)
    group = GroupCommit(writes)
    outcomes: dict = {}
    first = submit_in_thread(group, "a", outcomes)
    writes.first_entered.wait()
    later = [submit_in_thread(group, item, outcomes) for item in ("b", "c")]
    wait_until_waiting(group, 2)
    writes.gate.set()
    for thread in [first, *later]:
        thread.join()
    assert outcomes["a"] == ("ok", True)
    assert outcomes["b"] == outcomes["c"] == ("error", "the database refused the group")
    group.submit("d")  # the next write is its own
    assert writes.groups[-1] == ["d"] and "d" in writes.committed


def test_a_group_is_never_larger_than_the_limit():
    writes = Writes()
    group = GroupCommit(writes, limit=2)
    outcomes: dict = {}
    first = submit_in_thread(group, "a", outcomes)
    writes.first_entered.wait()
    later = [submit_in_thread(group, item, outcomes) for item in ("b", "c", "d", "e", "f")]
    wait_until_waiting(group, 5)
    writes.gate.set()
    for thread in [first, *later]:
        thread.join()
    assert [len(g) for g in writes.groups] == [1, 2, 2, 1]
    assert sorted(i for g in writes.groups for i in g) == list("abcdef")


@pytest.mark.parametrize("limit", [1, 200])
def test_every_item_is_written_exactly_once(limit):
    writes = Writes()
    writes.gate.set()
    group = GroupCommit(writes, limit=limit)
    outcomes: dict = {}
    threads = [submit_in_thread(group, str(n), outcomes) for n in range(50)]
    for thread in threads:
        thread.join()
    written = [i for g in writes.groups for i in g]
    assert sorted(written) == sorted(str(n) for n in range(50))
    assert all(outcome == ("ok", True) for outcome in outcomes.values())


class Interrupted(BaseException):
    """What a deadline or a kill raises in the writing caller."""


class InterruptedWrites(Writes):
    def __call__(self, items):
        if self.groups:  # the first group is written; the next one is cut off
            self.groups.append(list(items))
            raise Interrupted()
        return super().__call__(items)


def test_a_writer_interrupted_mid_write_fails_the_others_of_its_group_and_is_itself_interrupted():
    writes = InterruptedWrites()
    group = GroupCommit(writes)
    outcomes: dict = {}
    first = submit_in_thread(group, "a", outcomes)
    writes.first_entered.wait()
    later = [submit_in_thread(group, item, outcomes) for item in ("b", "c")]
    wait_until_waiting(group, 2)
    writes.gate.set()
    for thread in [first, *later]:
        thread.join()
    assert sorted(writes.groups[1]) == ["b", "c"]
    assert outcomes["a"] == ("ok", True)
    # the one that led the cut-off write was interrupted itself; the other was
    # told its write was cut off, not that it was committed
    assert sorted([outcomes["b"], outcomes["c"]]) == [
        ("error", "the write that carried this item was interrupted"),
        ("interrupted",),
    ]
