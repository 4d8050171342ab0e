"""Settings, read only from the environment. The only module that reads os.environ."""

from __future__ import annotations

import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SERVICES = ("registry", "grants", "casework", "finance")
DEFAULT_AMQP_URI = "amqp://guest:guest@localhost:5672/"


@dataclass(frozen=True)
class StoreSettings:
    kind: str  # "sqlite" or "postgres"
    data_dir: Path
    postgres_host: str
    postgres_port: int
    postgres_dbname: str
    postgres_user: str
    postgres_password: str
    schema_prefix: str
    cipher_key: str
    pool_size: int
    max_overflow: int
    # Signs every stored event (shared/event_mac.py); held outside the database.
    event_mac_key: str = ""
    # Keys the claim id derived from a resident ID number (registry).
    claim_key: str = ""

    def schema_for(self, service: str) -> str:
        return f"{self.schema_prefix}{service}"

    def sqlite_path_for(self, service: str) -> Path:
        return self.data_dir / f"{service}.sqlite3"


@dataclass(frozen=True)
class Settings:
    amqp_uri: str
    store: StoreSettings
    relay_interval: float
    relay_batch: int
    consumer_catch_up_interval: float
    rpc_timeout: float
    max_body_bytes: int
    gateway_host: str
    gateway_port: int
    anchor_key: bytes
    cors_origins: frozenset[str]


APP_ENVIRONMENTS = ("development", "production")


class ConfigError(ValueError):
    """A setting the process cannot safely run with."""


@dataclass(frozen=True)
class AuthSettings:
    production: bool
    token_secret: str
    token_ttl_seconds: int
    failed_logins_before_lockout: int
    lockout_seconds: int  # doubles with each further failure, up to lockout_max_seconds
    lockout_max_seconds: int


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "")
    return value if value.strip() else default


def load_store_settings() -> StoreSettings:
    kind = _env("EVENT_STORE", "sqlite").lower()
    if kind not in ("sqlite", "postgres"):
        raise ValueError(f"EVENT_STORE must be 'sqlite' or 'postgres', not {kind!r}")
    return StoreSettings(
        kind=kind,
        data_dir=Path(_env("DATA_DIR", "data")).resolve(),
        postgres_host=_env("POSTGRES_HOST", "127.0.0.1"),
        postgres_port=int(_env("POSTGRES_PORT", "5432")),
        postgres_dbname=_env("POSTGRES_DBNAME", "postgres"),
        postgres_user=_env("POSTGRES_USER", "postgres"),
        postgres_password=_env("POSTGRES_PASSWORD", ""),
        schema_prefix=_env("POSTGRES_SCHEMA_PREFIX", ""),
        cipher_key=_env("CIPHER_KEY", ""),
        # Connections kept open per service process, and extra ones under load;
        # together they must cover nameko's max_workers (default 10).
        pool_size=int(_env("POSTGRES_POOL_SIZE", "4")),
        max_overflow=int(_env("POSTGRES_MAX_OVERFLOW", "10")),
        event_mac_key=_env("EVENT_MAC_KEY", "").strip(),
        claim_key=_env("CLAIM_KEY", "").strip(),
    )


MIN_KEY_CHARS = 32


def app_environment() -> str:
    """APP_ENV: development (the default) or production; anything else is refused."""
    environment = _env("APP_ENV", "development").strip().lower()
    if environment not in APP_ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(APP_ENVIRONMENTS)}, not {environment!r}")
    return environment


def require_production_store_keys(store: StoreSettings) -> None:
    """In production a service's store must sign its events (EVENT_MAC_KEY): a
    row written by anyone but the service is otherwise indistinguishable. In
    development without it, events are stored unsigned and the sealer and
    `audit verify` say the signatures were not checked."""
    if app_environment() == "production" and len(store.event_mac_key) < MIN_KEY_CHARS:
        raise ConfigError(
            f"APP_ENV=production needs EVENT_MAC_KEY: a random secret of at least {MIN_KEY_CHARS} characters, "
            "kept outside the database (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        )


def load_settings() -> Settings:
    return Settings(
        amqp_uri=_env("AMQP_URI", DEFAULT_AMQP_URI),
        store=load_store_settings(),
        relay_interval=float(_env("RELAY_INTERVAL", "1.0")),
        relay_batch=int(_env("RELAY_BATCH", "500")),
        consumer_catch_up_interval=float(_env("CONSUMER_CATCHUP_INTERVAL", "5")),
        rpc_timeout=float(_env("RPC_TIMEOUT", "10")),
        max_body_bytes=int(_env("MAX_BODY_BYTES", str(1024 * 1024))),
        gateway_host=_env("GATEWAY_HOST", "127.0.0.1"),
        gateway_port=int(_env("GATEWAY_PORT", "8000")),
        anchor_key=_env("AUDIT_ANCHOR_KEY", "").encode(),
        cors_origins=frozenset(o.strip() for o in _env("CORS_ORIGINS", "").split(",") if o.strip()),
    )


def load_auth_settings() -> AuthSettings:
    """Raises ConfigError for an unknown APP_ENV, and in production without a
    secret of at least 32 characters. A development run without a secret makes
    a random one, so no secret is ever known from the source; its tokens end
    when the gateway restarts."""
    production = app_environment() == "production"
    secret = _env("AUTH_TOKEN_SECRET", "").strip()
    if production and len(secret) < 32:
        raise ConfigError(
            "APP_ENV=production needs AUTH_TOKEN_SECRET: a random secret of at least 32 characters "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        )
    return AuthSettings(
        production=production,
        token_secret=secret or secrets.token_urlsafe(48),
        token_ttl_seconds=int(_env("AUTH_TOKEN_TTL_SECONDS", "1800")),
        failed_logins_before_lockout=int(_env("AUTH_FAILED_LOGINS_BEFORE_LOCKOUT", "5")),
        lockout_seconds=int(_env("AUTH_LOCKOUT_SECONDS", "30")),
        lockout_max_seconds=int(_env("AUTH_LOCKOUT_MAX_SECONDS", "900")),
    )


DEFAULT_PROGRAMME_TIMEZONE = "Asia/Shanghai"


def programme_zone() -> ZoneInfo:
    """The zone whose calendar dates the programme's decisions (PROGRAMME_TIMEZONE)."""
    name = _env("PROGRAMME_TIMEZONE", DEFAULT_PROGRAMME_TIMEZONE).strip()
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"PROGRAMME_TIMEZONE must be an IANA time zone such as Asia/Shanghai, not {name!r}") from None


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
