"""Claim ids derived from ID numbers are keyed (HMAC with CLAIM_KEY): the
unkeyed uuid5 of a number was reversible by trying the order codes once the
birth date was known. Claims stored before the change still count."""

import uuid
from datetime import date

import pytest

from services.registry.application import DEVELOPMENT_CLAIM_KEY, RegistryApplication
from services.registry.domain.id_number_claims import ID_NUMBER_NAMESPACE, IdNumberClaim
from services.registry.exceptions import DuplicateIdNumber
from shared.config import ConfigError
from tests.support.children import MIGRANT_PARENTS

NUMBER = "640502201503040021"
OTHER = "640502201503040048"
CHILD = dict(
    name="李小花",
    gender="female",
    date_of_birth=date(2015, 3, 4),
    id_number=NUMBER,
    town="滨河镇",
    village="新北村",
    categories=["left_behind"],
    household=MIGRANT_PARENTS,
)


def registry_with(key: str | None) -> RegistryApplication:
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if key:
        env["CLAIM_KEY"] = key
    app = RegistryApplication(env=env)
    app.clock = lambda: date(2025, 6, 1)
    return app


def claim_ids(app) -> set[uuid.UUID]:
    return {
        n.originator_id for n in app.recorder.select_notifications(start=1, limit=100) if "IdNumberClaim" in n.topic
    }


def test_the_claim_id_is_not_the_unkeyed_hash_of_the_number_and_depends_on_the_key():
    app = registry_with("k" * 40)
    app.register_child(**CHILD)
    unkeyed = uuid.uuid5(ID_NUMBER_NAMESPACE, NUMBER)
    assert claim_ids(app) == {IdNumberClaim.keyed_id(NUMBER, b"k" * 40)}
    assert unkeyed not in claim_ids(app)
    assert IdNumberClaim.keyed_id(NUMBER, b"a") != IdNumberClaim.keyed_id(NUMBER, b"b")


def registered_before_the_change(app, monkeypatch, **details) -> uuid.UUID:
    """A child registered by the code before claim ids were keyed (uuid5 of the number)."""
    with monkeypatch.context() as before:
        before.setattr(IdNumberClaim, "keyed_id", staticmethod(lambda number, key: IdNumberClaim.legacy_id(number)))
        return app.register_child(**{**CHILD, **details})


def test_a_child_claimed_before_the_change_still_blocks_a_second_file(monkeypatch):
    app = registry_with("k" * 40)
    old_child = registered_before_the_change(app, monkeypatch)
    assert claim_ids(app) == {IdNumberClaim.legacy_id(NUMBER)}
    with pytest.raises(DuplicateIdNumber) as refused:
        app.register_child(**{**CHILD, "name": "李花"})
    assert refused.value.existing_child_id == str(old_child)


def test_correcting_away_from_a_number_claimed_before_the_change_frees_it(monkeypatch):
    app = registry_with("k" * 40)
    first = registered_before_the_change(app, monkeypatch)
    app.correct_child(first, field="id_number", value=OTHER, reason="digit misread")
    assert app.find(IdNumberClaim, IdNumberClaim.legacy_id(NUMBER)).child_id is None
    second = app.register_child(**{**CHILD, "name": "张丽"})  # the old number is free again
    with pytest.raises(DuplicateIdNumber) as refused:
        app.correct_child(second, field="id_number", value=OTHER, reason="x")
    assert refused.value.existing_child_id == str(first)


def test_development_without_a_key_uses_the_published_development_key(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    assert registry_with(None).claim_key == DEVELOPMENT_CLAIM_KEY


def test_production_refuses_a_registry_without_a_claim_key(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="CLAIM_KEY"):
        registry_with(None)
    assert registry_with("k" * 40).claim_key == b"k" * 40
