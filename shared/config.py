"""Settings, read only from the environment. The only module that reads os.environ."""

from __future__ import annotations

import base64
import binascii
import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.vocabulary import DEFAULT_CONTACT_CADENCE, parse_cadence

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
    # The gateway's HTTP: a request must arrive in full (line, headers, body)
    # within request_receive_seconds of its first byte; a connection may wait
    # idle for its next request for http_idle_seconds.
    request_receive_seconds: float
    http_idle_seconds: float
    # An uploaded file (a roster .xlsx, POST /children/imports): its own, larger limit.
    upload_max_bytes: int = 8 * 1024 * 1024
    # The gateway's GET routes run in a pool of their own, beside nameko's
    # max_workers for everything else, so reads never queue behind commands.
    read_workers: int = 10
    # An audit log download (GET /audit/{service}/export.jsonl) is asked of the
    # service this many events at a time (at most 1000, the audit RPCs' page).
    audit_export_piece: int = 1000


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
    # Failed sign-ins from one client address: this many at once, refilled at this rate.
    failed_sign_ins_per_address_burst: int
    failed_sign_ins_per_address_per_minute: float


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "")
    return value if value.strip() else default


def positive_int(name: str, default: str) -> int:
    """A whole-number setting of at least 1 (ConfigError otherwise)."""
    raw = _env(name, default)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}")
    return value


# The contact cadence by risk tier is one programme-wide setting: the registry
# dates each child's next contact by it and casework's quarterly report counts
# overdue contacts by it, so a per-service setting that could split them is refused.
CONTACT_CADENCE_SETTING = "CONTACT_CADENCE_DAYS"
SPLIT_CADENCE_SETTINGS = ("REGISTRY_CONTACT_CADENCE_DAYS", "CASEWORK_CONTACT_CADENCE_DAYS")


def contact_cadence() -> dict[int, int]:
    """Days between contacts by risk tier (分级管理), from CONTACT_CADENCE_DAYS."""
    split = [name for name in SPLIT_CADENCE_SETTINGS if name in os.environ]
    if split:
        raise ConfigError(f"set {CONTACT_CADENCE_SETTING} once for every service, not {', '.join(split)}")
    return parse_cadence(_env(CONTACT_CADENCE_SETTING, DEFAULT_CONTACT_CADENCE))


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


@dataclass(frozen=True)
class AttachmentSettings:
    """Where attached files (consent forms, visit photos) are kept, outside the
    event log (shared/attachments.py), and how large one may be."""

    directory: Path  # ATTACHMENT_DIR, default DATA_DIR/attachments
    max_bytes: int  # ATTACHMENT_MAX_BYTES, default 5 MiB
    cipher_key: str  # CIPHER_KEY: files are encrypted at rest with the events' key when set


DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


def load_attachment_settings() -> AttachmentSettings:
    data_dir = Path(_env("DATA_DIR", "data")).resolve()
    raw = _env("ATTACHMENT_MAX_BYTES", str(DEFAULT_ATTACHMENT_MAX_BYTES))
    try:
        max_bytes = int(raw)
    except ValueError:
        raise ConfigError(f"ATTACHMENT_MAX_BYTES must be a whole number of bytes, not {raw!r}") from None
    if max_bytes < 1:
        raise ConfigError(f"ATTACHMENT_MAX_BYTES must be at least 1, not {max_bytes}")
    return AttachmentSettings(
        directory=Path(_env("ATTACHMENT_DIR", str(data_dir / "attachments"))).resolve(),
        max_bytes=max_bytes,
        cipher_key=_env("CIPHER_KEY", "").strip(),
    )


MIN_KEY_CHARS = 32


def report_due_days() -> int:
    """REPORT_DUE_DAYS: days after a quarter's end its written report is due
    (卫沙民社函〔2025〕11号 §五.(三).4 reports quarterly; the notice names no day): 1–90, default 10."""
    raw = _env("REPORT_DUE_DAYS", "10")
    try:
        days = int(raw)
    except ValueError:
        raise ConfigError(f"REPORT_DUE_DAYS must be a whole number of days, not {raw!r}") from None
    if not 1 <= days <= 90:
        raise ConfigError(f"REPORT_DUE_DAYS must be 1 to 90, not {days}")
    return days


def app_environment() -> str:
    """APP_ENV: development (the default) or production; anything else is refused."""
    environment = _env("APP_ENV", "development").strip().lower()
    if environment not in APP_ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(APP_ENVIRONMENTS)}, not {environment!r}")
    return environment


AES_KEY_BYTES = (16, 24, 32)
NEW_KEY_HINT = "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
NEW_CIPHER_KEY_HINT = "`python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'`"


def cipher_key_problem(key: str) -> str | None:
    """Why CIPHER_KEY cannot encrypt the store (AES-GCM: base64 of 16, 24 or 32 bytes), or None."""
    if not key.strip():
        return "it is not set"
    try:
        raw = base64.b64decode(key.strip(), validate=True)
    except (binascii.Error, ValueError):
        return "it is not base64"
    if len(raw) not in AES_KEY_BYTES:
        return f"it decodes to {len(raw)} bytes, not 16, 24 or 32"
    return None


def require_production_store_keys(store: StoreSettings) -> None:
    """In production a service's store must sign its events (EVENT_MAC_KEY): a
    row written by anyone but the service is otherwise indistinguishable. In
    development without it, events are stored unsigned and the sealer and
    `audit verify` say the signatures were not checked.

    It must also encrypt them (CIPHER_KEY: the "一人一档" files on each child
    and family of 卫沙民社函〔2025〕11号 §三.(四).1 are never stored readable)
    and sign the anchors its audit routes hand out (AUDIT_ANCHOR_KEY: an
    unsigned anchor proves nothing about a rewound log)."""
    if app_environment() != "production":
        return
    if len(store.event_mac_key) < MIN_KEY_CHARS:
        raise ConfigError(
            f"APP_ENV=production needs EVENT_MAC_KEY: a random secret of at least {MIN_KEY_CHARS} characters, "
            f"kept outside the database (e.g. {NEW_KEY_HINT})"
        )
    problem = cipher_key_problem(store.cipher_key)
    if problem:
        raise ConfigError(
            f"APP_ENV=production needs CIPHER_KEY to encrypt stored events ({problem}): base64 of a random "
            f"16-, 24- or 32-byte AES key, kept outside the database (e.g. {NEW_CIPHER_KEY_HINT})"
        )
    if len(_env("AUDIT_ANCHOR_KEY", "").strip()) < MIN_KEY_CHARS:
        raise ConfigError(
            f"APP_ENV=production needs AUDIT_ANCHOR_KEY: a random secret of at least {MIN_KEY_CHARS} characters "
            f"that signs audit anchors, held by the services and the auditors only (e.g. {NEW_KEY_HINT})"
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
        request_receive_seconds=float(_env("REQUEST_RECEIVE_SECONDS", "10")),
        http_idle_seconds=float(_env("HTTP_IDLE_SECONDS", "60")),
        upload_max_bytes=int(_env("UPLOAD_MAX_BYTES", str(8 * 1024 * 1024))),
        read_workers=positive_int("READ_WORKERS", "10"),
        audit_export_piece=min(positive_int("AUDIT_EXPORT_PIECE", "1000"), 1000),
    )


def is_production() -> bool:
    """APP_ENV, refusing an unknown value rather than taking it for development."""
    environment = _env("APP_ENV", "development").strip().lower()
    if environment not in APP_ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(APP_ENVIRONMENTS)}, not {environment!r}")
    return environment == "production"


def load_auth_settings() -> AuthSettings:
    """Raises ConfigError for an unknown APP_ENV, and in production without a
    secret of at least 32 characters. A development run without a secret makes
    a random one, so no secret is ever known from the source; its tokens end
    when the gateway restarts."""
    production = is_production()
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
        failed_sign_ins_per_address_burst=int(_env("AUTH_FAILED_SIGNINS_PER_ADDRESS_BURST", "10")),
        failed_sign_ins_per_address_per_minute=float(_env("AUTH_FAILED_SIGNINS_PER_ADDRESS_PER_MINUTE", "6")),
    )


@dataclass(frozen=True)
class EventKeySettings:
    """Keys that sign and check the integration-event envelopes (shared/signing.py).
    Raw text as configured; empty in development means "derive the dev keys"."""

    production: bool
    signing_key: str  # EVENT_SIGNING_KEY: this service's Ed25519 private key, base64 of its 32-byte seed
    verify_keys: dict[str, tuple[str, ...]]  # EVENT_VERIFY_KEYS: source -> its public keys (base64)


def load_event_key_settings() -> EventKeySettings:
    """EVENT_VERIFY_KEYS reads `registry=KEY,grants=KEY1|KEY2` (several keys for
    one source while its key is being replaced)."""
    verify: dict[str, tuple[str, ...]] = {}
    for item in _env("EVENT_VERIFY_KEYS", "").split(","):
        if not item.strip():
            continue
        source, sep, keys = item.partition("=")
        if not sep or not source.strip() or not keys.strip():
            raise ConfigError(f"EVENT_VERIFY_KEYS: {item.strip()!r} is not source=KEY")
        verify[source.strip()] = tuple(k.strip() for k in keys.split("|") if k.strip())
    return EventKeySettings(
        production=is_production(), signing_key=_env("EVENT_SIGNING_KEY", "").strip(), verify_keys=verify
    )


def refuse_default_broker_user(amqp_uri: str) -> None:
    """In production every process connects as its own RabbitMQ user
    (deploy/rabbitmq/): never as guest, never without a user."""
    if not is_production():
        return
    user = urlsplit(amqp_uri).username or ""
    if user in ("", "guest"):
        raise ConfigError(
            "APP_ENV=production refuses AMQP_URI without its own RabbitMQ user (guest or none given); "
            "see deploy/rabbitmq/ and docs/security.md"
        )


LOG_FORMATS = ("plain", "json")


def log_format() -> str:
    """LOG_FORMAT: plain text (development, the default) or json (one object per line)."""
    value = _env("LOG_FORMAT", "plain").strip().lower()
    if value not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be plain or json, not {value!r}")
    return value


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def quorum_queues() -> bool:
    """RABBITMQ_QUORUM_QUEUES: the services' durable queues as RabbitMQ quorum
    queues (shared/entrypoints.py). Off by default; an unclear value is refused."""
    value = _env("RABBITMQ_QUORUM_QUEUES", "false").strip().lower()
    if value not in TRUE_WORDS + FALSE_WORDS:
        raise ConfigError(f"RABBITMQ_QUORUM_QUEUES must be true or false, not {value!r}")
    return value in TRUE_WORDS


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


def report_font_dir() -> Path | None:
    """REPORT_FONT_DIR: where the PDF report's static Noto Sans SC instances are
    kept (services/gateway/report_fonts.py); unset: a cache folder in the user's home."""
    raw = _env("REPORT_FONT_DIR", "")
    return Path(raw) if raw else None


def metrics_address() -> tuple[str, int] | None:
    """METRICS_PORT (and METRICS_HOST, default 0.0.0.0): where this process
    serves its Prometheus metrics at /metrics; unset, it serves none (the
    default). Each process needs its own port on one machine."""
    port = _env("METRICS_PORT", "").strip()
    if not port:
        return None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"METRICS_PORT must be a port number (1-65535), not {port!r}")
    return _env("METRICS_HOST", "0.0.0.0"), int(port)  # noqa: S104 - inside the service's own network
