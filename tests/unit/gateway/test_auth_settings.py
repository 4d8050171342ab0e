"""Sign-in settings from the environment (production refuses a missing, known
or short token secret) and the bearer tokens signed with that secret."""

import time

import jwt
import pytest

from services.gateway.web import tokens
from services.gateway.web.tokens import ALGORITHM, ISSUER, InvalidToken
from shared.config import ConfigError, load_auth_settings

AUTH_VARIABLES = (
    "APP_ENV",
    "AUTH_TOKEN_SECRET",
    "AUTH_TOKEN_TTL_SECONDS",
    "AUTH_FAILED_LOGINS_BEFORE_LOCKOUT",
    "AUTH_LOCKOUT_SECONDS",
    "AUTH_LOCKOUT_MAX_SECONDS",
)
SECRET = "s" * 48
USER_ID = "0d6c1c4e-7b1a-4f0e-8d55-2a4f1c9e7b30"


@pytest.fixture
def env(monkeypatch):
    for name in AUTH_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


# -- settings ------------------------------------------------------------------------------


def test_development_without_a_secret_makes_a_random_one_each_time_and_uses_defaults(env):
    settings = load_auth_settings()
    assert settings.production is False and len(settings.token_secret) >= 32
    assert load_auth_settings().token_secret != settings.token_secret  # nothing to learn from the source
    assert (
        settings.token_ttl_seconds,
        settings.failed_logins_before_lockout,
        settings.lockout_seconds,
        settings.lockout_max_seconds,
    ) == (1800, 5, 30, 900)


def test_development_takes_a_given_secret_and_limits(env):
    env(
        AUTH_TOKEN_SECRET=SECRET,
        AUTH_TOKEN_TTL_SECONDS="60",
        AUTH_FAILED_LOGINS_BEFORE_LOCKOUT="3",
        AUTH_LOCKOUT_SECONDS="10",
        AUTH_LOCKOUT_MAX_SECONDS="100",
    )
    settings = load_auth_settings()
    assert (
        settings.token_secret,
        settings.token_ttl_seconds,
        settings.failed_logins_before_lockout,
        settings.lockout_seconds,
        settings.lockout_max_seconds,
    ) == (SECRET, 60, 3, 10, 100)


@pytest.mark.parametrize(
    "secret",
    [
        None,  # not set
        "",  # set but empty: the same as not set
        "   ",
        "x" * 31,  # too short
        "short",
    ],
)
@pytest.mark.parametrize("app_env", ["production", "PRODUCTION"])
def test_production_refuses_to_run_without_a_real_secret(env, app_env, secret):
    env(APP_ENV=app_env)
    if secret is not None:
        env(AUTH_TOKEN_SECRET=secret)
    with pytest.raises(ConfigError, match="AUTH_TOKEN_SECRET"):
        load_auth_settings()


@pytest.mark.parametrize("app_env", ["prod", "production ", "staging", "dev"])
def test_an_unknown_environment_is_refused_rather_than_taken_for_development(env, app_env):
    env(APP_ENV=app_env, AUTH_TOKEN_SECRET=SECRET) if app_env.strip() != "production" else env(APP_ENV=app_env)
    if app_env.strip() == "production":
        with pytest.raises(ConfigError, match="AUTH_TOKEN_SECRET"):  # spaces around it are forgiven
            load_auth_settings()
    else:
        with pytest.raises(ConfigError, match="APP_ENV"):
            load_auth_settings()


@pytest.mark.parametrize("secret", [SECRET, "y" * 32])
def test_production_runs_with_a_long_secret(env, secret):
    env(APP_ENV="production", AUTH_TOKEN_SECRET=secret)
    settings = load_auth_settings()
    assert settings.production is True and settings.token_secret == secret


# -- tokens --------------------------------------------------------------------------------


def test_a_token_names_the_user_and_their_credentials_version():
    token = tokens.issue(SECRET, 600, USER_ID, "zhang", 3)
    assert tokens.decode(SECRET, token) == tokens.TokenClaims(USER_ID, "zhang", 3)
    claims = jwt.decode(token, SECRET, algorithms=[ALGORITHM], issuer=ISSUER)
    assert claims["exp"] - claims["iat"] == 600 and claims["iss"] == ISSUER and claims["jti"]
    assert tokens.issue(SECRET, 600, USER_ID, "zhang", 3) != token  # each token is unique (jti)


def test_an_expired_token_is_refused_saying_so():
    token = tokens.issue(SECRET, -5, USER_ID, "zhang", 1)
    with pytest.raises(InvalidToken, match="expired"):
        tokens.decode(SECRET, token)


def test_a_token_signed_with_another_secret_is_refused():
    token = tokens.issue("another secret, just as long as the real one.....", 600, USER_ID, "zhang", 1)
    with pytest.raises(InvalidToken) as refused:
        tokens.decode(SECRET, token)
    assert "expired" not in str(refused.value)


def claims(**overrides) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "sub": USER_ID, "name": "zhang", "ver": 1, "iat": now, "exp": now + 600, **overrides}


def test_an_unsigned_token_is_refused():
    unsigned = jwt.encode(claims(), None, algorithm="none")
    with pytest.raises(InvalidToken):
        tokens.decode(SECRET, unsigned)
    # The same claims, signed, are accepted: the refusal is the algorithm's fault.
    assert tokens.decode(SECRET, jwt.encode(claims(), SECRET, algorithm=ALGORITHM)).user_id == USER_ID


@pytest.mark.parametrize(
    "change",
    [
        {"iss": "someone-else"},
        {"ver": "1"},
        {"ver": None},
        {"sub": 12},
    ],
)
def test_tokens_with_wrong_or_missing_claims_are_refused(change):
    with pytest.raises(InvalidToken):
        tokens.decode(SECRET, jwt.encode(claims(**change), SECRET, algorithm=ALGORITHM))


@pytest.mark.parametrize("missing", ["iss", "sub", "name", "ver", "iat", "exp"])
def test_tokens_missing_a_required_claim_are_refused(missing):
    incomplete = {k: v for k, v in claims().items() if k != missing}
    with pytest.raises(InvalidToken):
        tokens.decode(SECRET, jwt.encode(incomplete, SECRET, algorithm=ALGORITHM))


def test_a_tampered_token_is_refused():
    header, payload, signature = tokens.issue(SECRET, 600, USER_ID, "zhang", 1).split(".")
    other = jwt.encode(claims(name="mallory"), SECRET, algorithm=ALGORITHM).split(".")[1]
    with pytest.raises(InvalidToken):
        tokens.decode(SECRET, ".".join((header, other, signature)))
