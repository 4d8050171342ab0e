"""Production refuses to open a store that would keep children's files
readable (no CIPHER_KEY) or hand out unsigned audit anchors (no
AUDIT_ANCHOR_KEY), naming the missing setting; development does not ask."""

import base64
import os
from dataclasses import replace

import pytest

from shared.config import ConfigError, cipher_key_problem, require_production_store_keys

MAC_KEY = "m" * 40
ANCHOR_KEY = "a" * 40


def aes_key(size: int = 32) -> str:
    return base64.b64encode(os.urandom(size)).decode()


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("AUDIT_ANCHOR_KEY", ANCHOR_KEY)


@pytest.fixture
def keyed_store(sqlite_store):
    return replace(sqlite_store, event_mac_key=MAC_KEY, cipher_key=aes_key())


def test_production_with_every_key_opens(production, keyed_store):
    require_production_store_keys(keyed_store)


@pytest.mark.parametrize(
    ("cipher_key", "reason"),
    [
        ("", "not set"),
        ("   ", "not set"),
        ("not base64!", "not base64"),
        (base64.b64encode(b"x" * 20).decode(), "20 bytes"),  # a wrong AES key size
        ("k" * 40, "30 bytes"),  # a long password is not an AES key
    ],
)
def test_production_refuses_a_store_without_a_usable_cipher_key(production, keyed_store, cipher_key, reason):
    with pytest.raises(ConfigError, match="CIPHER_KEY") as refused:
        require_production_store_keys(replace(keyed_store, cipher_key=cipher_key))
    assert reason in str(refused.value)


@pytest.mark.parametrize("anchor_key", ["", "short-anchor-key", " " * 40])
def test_production_refuses_a_store_without_an_anchor_key(production, keyed_store, monkeypatch, anchor_key):
    monkeypatch.setenv("AUDIT_ANCHOR_KEY", anchor_key)
    with pytest.raises(ConfigError, match="AUDIT_ANCHOR_KEY"):
        require_production_store_keys(keyed_store)


def test_the_event_mac_key_is_still_asked_first(production, keyed_store):
    with pytest.raises(ConfigError, match="EVENT_MAC_KEY"):
        require_production_store_keys(replace(keyed_store, event_mac_key=""))


def test_development_asks_for_none_of_them(monkeypatch, sqlite_store):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("AUDIT_ANCHOR_KEY", raising=False)
    require_production_store_keys(replace(sqlite_store, cipher_key="", event_mac_key=""))


@pytest.mark.parametrize("size", [16, 24, 32])
def test_every_aes_key_size_is_usable(size):
    assert cipher_key_problem(aes_key(size)) is None
