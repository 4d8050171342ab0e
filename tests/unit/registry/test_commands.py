"""A registration carries a command id and runs once: a retry after a timeout,
or nameko redelivering the request after the first process died, answers with
the first outcome instead of a second file (or a 409 naming its own file)."""

import pytest
from nameko.testing.services import worker_factory

from services.registry.application import RegistryApplication
from services.registry.exceptions import DuplicateIdNumber
from services.registry.service import RegistryService
from shared import commands
from shared.errors import CommandIdReused
from tests.support.children import new_child


@pytest.fixture
def service(registry):
    return worker_factory(RegistryService, store=registry)


@pytest.fixture
def as_command():
    tokens = []
    yield lambda command_id: tokens.append(commands.carry_command_id(command_id))
    for token in reversed(tokens):
        commands.forget_command_id(token)


def files(registry: RegistryApplication) -> int:
    stats = registry.statistics()
    return stats["active"] + stats["closed"]


def test_a_registration_sent_twice_opens_one_file_and_answers_the_same(service, registry, as_command):
    child = new_child(with_id=True)
    as_command("registration-1")
    first = service.register_child(child)
    again = service.register_child(child)  # before: DuplicateIdNumber naming `first`
    assert again == first
    assert files(registry) == 1


def test_a_registration_without_an_id_number_sent_twice_opens_one_file(service, registry, as_command):
    child = new_child(with_id=False)
    as_command("registration-1")
    assert service.register_child(child) == service.register_child(child)  # before: two files
    assert files(registry) == 1


def test_a_refused_registration_is_refused_the_same_way_again(service, registry, as_command):
    child = new_child(with_id=True)
    as_command("registration-1")
    taken = service.register_child(child)["child_id"]
    as_command("registration-2")
    with pytest.raises(DuplicateIdNumber) as first:
        service.register_child(child)
    with pytest.raises(DuplicateIdNumber) as again:
        service.register_child(child)
    assert first.value.existing_child_id == again.value.existing_child_id == taken
    assert files(registry) == 1


def test_the_same_command_id_for_another_child_is_refused(service, registry, as_command):
    as_command("registration-1")
    service.register_child(new_child(with_id=False))
    with pytest.raises(CommandIdReused):
        service.register_child(new_child(with_id=False))
    assert files(registry) == 1
