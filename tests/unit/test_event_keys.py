"""Keys for envelope signatures and the broker user, from the environment:
production refuses to start without its keys or as guest; development derives
keys from the service's name; configured keys sign and verify."""

from dataclasses import replace

import pytest

from shared import signing
from shared.config import ConfigError, load_event_key_settings, refuse_default_broker_user
from shared.signing import ForgedEnvelope, signer_for, verifier_for

MESSAGE = {"type": "registry.child_registered.v1", "source": "registry", "notification_id": 1, "payload": {"a": "é"}}


@pytest.fixture
def env(monkeypatch):
    for name in ("APP_ENV", "EVENT_SIGNING_KEY", "EVENT_VERIFY_KEYS"):
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def generated() -> dict[str, str]:
    return dict(line.split("=", 1) for line in signing.generate(["registry", "casework"]).splitlines())


def test_production_refuses_to_sign_or_verify_without_configured_keys(env):
    env(APP_ENV="production")
    settings = load_event_key_settings()
    with pytest.raises(ConfigError, match="EVENT_SIGNING_KEY"):
        signer_for("registry", settings)
    with pytest.raises(ConfigError, match="EVENT_VERIFY_KEYS"):
        verifier_for("registry", settings)


def test_production_signs_and_verifies_with_the_configured_keys_only(env):
    keys = generated()
    env(
        APP_ENV="production",
        EVENT_SIGNING_KEY=keys["REGISTRY_EVENT_SIGNING_KEY"],
        EVENT_VERIFY_KEYS=keys["EVENT_VERIFY_KEYS"],
    )
    settings = load_event_key_settings()
    signed = signer_for("registry", settings).sign(MESSAGE)
    verifier_for("registry", settings).check(signed)
    with pytest.raises(ForgedEnvelope):  # the development key is worth nothing here
        verifier_for("registry", settings).check(signing.Signer(signing.dev_private_key("registry")).sign(MESSAGE))
    with pytest.raises(ForgedEnvelope):  # nor is another service's own key
        verifier_for("casework", settings).check({**signed, "source": "casework"})


def test_a_source_can_have_two_keys_while_its_key_is_replaced(env):
    old, new = generated(), generated()
    old_key, new_key = (k["EVENT_VERIFY_KEYS"].split(",")[0].split("=", 1)[1] for k in (old, new))
    env(EVENT_VERIFY_KEYS=f"registry={old_key}|{new_key}", EVENT_SIGNING_KEY=new["REGISTRY_EVENT_SIGNING_KEY"])
    settings = load_event_key_settings()
    verifier = verifier_for("registry", settings)
    verifier.check(signer_for("registry", settings).sign(MESSAGE))
    old_signer = signer_for("registry", replace(settings, signing_key=old["REGISTRY_EVENT_SIGNING_KEY"]))
    verifier.check(old_signer.sign(MESSAGE))


@pytest.mark.parametrize(
    "variables",
    [
        {"EVENT_SIGNING_KEY": "not base64!"},
        {"EVENT_SIGNING_KEY": "c2hvcnQ="},  # 5 bytes
        {"EVENT_VERIFY_KEYS": "registry"},
        {"EVENT_VERIFY_KEYS": "registry=c2hvcnQ="},
    ],
)
def test_malformed_keys_are_refused_at_start(env, variables):
    env(**variables)
    with pytest.raises(ConfigError):
        settings = load_event_key_settings()
        signer_for("registry", settings)
        verifier_for("registry", settings)


def test_development_derives_keys_so_services_agree_without_configuration(env):
    settings = load_event_key_settings()
    verifier_for("registry", settings).check(signer_for("registry", settings).sign(MESSAGE))


@pytest.mark.parametrize("uri", ["amqp://guest:guest@rabbitmq:5672/", "amqp://rabbitmq:5672/", "amqp://guest@h/"])
def test_production_refuses_the_guest_broker_user(env, uri):
    env(APP_ENV="production")
    with pytest.raises(ConfigError, match="RabbitMQ user"):
        refuse_default_broker_user(uri)
    refuse_default_broker_user("amqp://registry:pw@rabbitmq:5672/")


def test_development_may_use_guest(env):
    refuse_default_broker_user("amqp://guest:guest@localhost:5672/")
