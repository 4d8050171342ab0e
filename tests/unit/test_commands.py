"""Commands run once per command id (shared/commands.py): the outcome is
recorded with the command's events, so a second run with the id answers the
same without new events; the same id with another payload is refused."""

import uuid

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from nameko.exceptions import IncorrectSignature

from shared import commands, service_base
from shared.commands import Command, CommandOutcome, run_once
from shared.errors import CommandIdReused, ConcurrentChange, InvalidInput, NotFound, RuleViolation, refuse
from shared.eventstore import ServiceApplication
from tests.support.apps import make_app, store_kind  # noqa: F401 - fixtures


class Tally(Aggregate):
    @staticmethod
    def create_id(name: str) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, name)

    @event("Opened")
    def __init__(self, name: str):
        self.name = name
        self.count = 0

    @event("Counted")
    def count_one(self) -> None:
        self.count += 1


class TallyApp(ServiceApplication):
    name = "tallies"

    def open(self, name: str) -> uuid.UUID:
        tally = Tally(name)
        self.save_or_conflict(tally)
        return tally.id

    def count(self, tally_id: uuid.UUID) -> int:
        def attempt():
            tally = self.load(Tally, tally_id, NotFoundTally)
            tally.count_one()
            return tally.count, [tally]

        return self.retrying(tally_id, attempt)


class NotFoundTally(NotFound):
    what = "tally"


class TallyService:
    """What a nameko service is to the decorator: `self.store` is its application."""

    def __init__(self, app):
        self.store = app
        self.runs = 0

    @service_base.command
    def open_and_count(self, data):
        self.runs += 1
        tally_id = self.store.open(data["name"])
        return {"id": str(tally_id), "count": self.store.count(tally_id)}

    @service_base.command
    def count(self, tally_id):
        self.runs += 1
        return {"count": self.store.count(uuid.UUID(tally_id))}

    @service_base.command
    def open_named(self, data):
        self.runs += 1
        if not isinstance(data.get("name"), str):
            raise InvalidInput({"name": ["must be text"]})
        return {"id": str(self.store.open(data["name"]))}

    @service_base.command
    def open_then_refuse(self, data):
        self.runs += 1
        self.store.open(data["name"])
        refuse("name", "refused after saving")


@pytest.fixture
def app(make_app):  # noqa: F811
    return make_app(TallyApp)


@pytest.fixture
def service(app):
    return TallyService(app)


@pytest.fixture
def as_command():
    tokens = []

    def carry(command_id):
        tokens.append(commands.carry_command_id(command_id))

    yield carry
    for token in reversed(tokens):
        commands.forget_command_id(token)


def test_the_same_command_twice_has_one_effect_and_one_answer(app, service, as_command):
    as_command("cmd-1")
    first = service.count(str(app.open("a")))
    head = app.head_position()
    again = service.count(str(Tally.create_id("a")))
    assert first == again == {"count": 1}
    assert service.runs == 1
    assert app.head_position() == head  # nothing new recorded
    assert app.load(Tally, Tally.create_id("a"), NotFoundTally).count == 1


def test_without_a_command_id_each_call_runs(app, service):
    tally_id = str(app.open("a"))
    service.count(tally_id)
    assert service.count(tally_id) == {"count": 2}


def test_the_same_id_with_another_payload_is_refused_and_does_nothing(app, service, as_command):
    as_command("cmd-1")
    service.open_and_count({"name": "a"})
    head = app.head_position()
    with pytest.raises(CommandIdReused) as refused:
        service.open_and_count({"name": "b"})
    assert refused.value.code == "COMMAND_ID_REUSED"
    assert refused.value.details() == {"command": "open_and_count", "command_id": "cmd-1"}
    assert app.find(Tally, Tally.create_id("b")) is None
    assert app.head_position() == head


def test_one_id_may_cover_several_commands_of_one_request(app, service, as_command):
    as_command("request-1")
    opened = service.open_and_count({"name": "a"})
    assert service.count(opened["id"]) == {"count": 2}


def test_a_refusal_is_replayed_and_what_the_refused_command_saved_is_dropped(app, service, as_command):
    as_command("cmd-1")
    with pytest.raises(RuleViolation) as first:
        service.open_then_refuse({"name": "a"})
    assert app.find(Tally, Tally.create_id("a")) is None  # no partial write
    with pytest.raises(RuleViolation) as again:
        service.open_then_refuse({"name": "a"})
    assert again.value.fields == first.value.fields == {"name": ["refused after saving"]}
    assert service.runs == 1


def test_a_request_of_the_wrong_shape_writes_nothing_and_is_decided_again(app, service, as_command):
    as_command("cmd-1")
    for _ in range(2):
        with pytest.raises(InvalidInput):
            service.open_named({"name": 7})
    assert app.head_position() == 0
    assert service.runs == 2


def test_a_command_that_found_nothing_to_act_on_looks_again(app, service, as_command):
    as_command("cmd-1")
    tally_id = str(Tally.create_id("a"))
    with pytest.raises(NotFoundTally):
        service.count(tally_id)
    assert app.head_position() == 0  # nothing recorded for an unknown record
    app.open("a")
    assert service.count(tally_id) == {"count": 1}


def test_a_command_reads_what_it_saved_before_the_commit(app, service, as_command):
    as_command("cmd-1")
    answer = service.open_and_count({"name": "a"})  # opens, then loads the opened tally
    assert answer["count"] == 1
    assert app.load(Tally, uuid.UUID(answer["id"]), NotFoundTally).count == 1


def test_a_save_that_another_request_made_first_is_refused_where_it_saves(app):
    app.open("a")
    with app.staged(), pytest.raises(ConcurrentChange):
        app.open("a")


def test_a_second_run_that_commits_first_wins_and_the_first_answers_with_its_outcome(app):
    # nameko redelivered the command to another process, which commits first:
    # this run's new record is dropped and it answers with the winner's.
    command = Command.of("register", "cmd-1", (), {})
    runs = []

    def register():  # each run makes a new record, as registering a child does
        name = f"record-{len(runs)}"
        runs.append(name)
        if len(runs) == 1:
            run_once(app, command, register)  # the other process, meanwhile
        return app.open(name)

    answer = run_once(app, command, register)
    assert answer == str(Tally.create_id("record-1"))
    assert app.find(Tally, Tally.create_id("record-0")) is None
    outcome = app.find(CommandOutcome, CommandOutcome.create_id("register", "cmd-1"))
    assert outcome is not None and outcome.answer == answer


def test_a_lost_race_between_two_commands_is_run_again_on_the_new_state(app):
    tally_id = app.open("a")
    command = Command.of("count", "cmd-1", (str(tally_id),), {})
    raced = []

    def count_with_a_rival():
        counted = app.count(tally_id)
        if not raced:
            raced.append(True)
            with app.staged() as rival:  # another request counts and commits first
                app.count(tally_id)
            app.commit(rival)
        return counted

    assert run_once(app, command, count_with_a_rival) == 2
    assert app.load(Tally, tally_id, NotFoundTally).count == 2


def test_staged_saves_are_recorded_only_by_commit(app):
    with app.staged() as staged:
        app.open("a")
    assert app.find(Tally, Tally.create_id("a")) is None
    app.commit(staged)
    assert app.find(Tally, Tally.create_id("a")) is not None
    with pytest.raises(IntegrityError):
        app.commit(staged)


def test_a_call_with_the_wrong_arguments_is_an_incorrect_signature(service, as_command):
    as_command("cmd-1")
    with pytest.raises(IncorrectSignature):
        service.count()


# RPCs that change nothing (or, for run_daily, apply the day's rules, which are
# idempotent by themselves); every other RPC is a command and must run once.
READS = {
    "check_roster_rows",
    "notifications",
    "health",
    "statistics",
    "duplicates",
    "overdue_contacts",
    "campaign_coverage",
    "child_history",
    "ranking",
    "eligibility",
    "case_alerts",
    "child_reach",
    "unreached",
    "contracts_covering",
    "quarterly_report",
    "check_report_reference",
    "trial_balance",
    "journal",
    "reconciliation",
    "run_daily",
    "contacts_due",
    "case_dues",
    "contract_dues",
    "open_objections",
    "payable_tranches",
    "tranches_awaiting_evaluation",
}


def rpc_names(service_class) -> list[str]:
    from nameko.rpc import Rpc

    return [
        name
        for name in dir(service_class)
        if any(isinstance(e, Rpc) for e in getattr(getattr(service_class, name), "nameko_entrypoints", ()))
    ]


@pytest.mark.parametrize("service", ["registry", "grants", "casework", "finance"])
def test_every_rpc_that_changes_state_runs_once_per_command_id(service):
    import importlib

    module = importlib.import_module(f"services.{service}.service")
    [service_class] = [
        c for c in vars(module).values() if isinstance(c, type) and issubclass(c, service_base.EventSourcedService)
    ]
    names = rpc_names(service_class)
    commands_found = [n for n in names if service_base.is_command(getattr(service_class, n))]
    reads = [n for n in names if n.startswith(("get_", "list_", "audit_")) or n in READS]
    assert sorted(set(names) - set(reads)) == sorted(commands_found)
    assert commands_found  # the service has commands at all
