"""Envelope signatures: each source signs every envelope it publishes (or hands
out by pull) with its own Ed25519 key; a consumer applies an envelope only if
the key of the source it names verifies it. Whoever can publish on the broker
can no longer make a service apply an event its source never wrote.

Keys come from shared/config.py (EVENT_SIGNING_KEY, EVENT_VERIFY_KEYS). In
development, missing keys are derived from the service's name (known from the
source, so worthless outside a developer's machine); production refuses to start
without them. New keys: `python -m shared.signing generate registry grants ...`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.config import SERVICES, ConfigError, EventKeySettings

SIGNATURE = "signature"
_DEV_LABEL = b"childcare-programme/dev-event-signing-key/"


class ForgedEnvelope(Exception):
    """An envelope without a valid signature of the source it names."""


def canonical(message: Mapping[str, Any]) -> bytes:
    """The bytes signed: the envelope as JSON, keys sorted, without its signature.
    JSON-ready envelopes survive the broker's JSON unchanged, so both ends agree."""
    unsigned = {k: v for k, v in message.items() if k != SIGNATURE}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def dev_private_key(service: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(_DEV_LABEL + service.encode()).digest())


def private_key_text(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.b64encode(raw).decode()


def public_key_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def _raw(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{what} is not base64") from None
    if len(raw) != 32:
        raise ConfigError(f"{what} must be 32 bytes (base64 of an Ed25519 key), not {len(raw)}")
    return raw


class Signer:
    def __init__(self, key: Ed25519PrivateKey):
        self._key = key

    def sign(self, message: Mapping[str, Any]) -> dict[str, Any]:
        signature = self._key.sign(canonical(message))
        return {**message, SIGNATURE: base64.b64encode(signature).decode()}


class Verifier:
    """Checks envelopes claiming to come from one source."""

    def __init__(self, source: str, keys: Sequence[Ed25519PublicKey]):
        self.source = source
        self._keys = tuple(keys)

    def check(self, message: Any) -> None:
        """Raises ForgedEnvelope unless one of the source's keys signed `message`."""
        if not isinstance(message, Mapping):
            raise ForgedEnvelope("not an envelope")
        if message.get("source") != self.source:
            raise ForgedEnvelope(f"names source {message.get('source')!r} on {self.source}'s feed")
        text = message.get(SIGNATURE)
        if not isinstance(text, str) or not text:
            raise ForgedEnvelope("unsigned")
        try:
            signature = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ForgedEnvelope("signature is not base64") from None
        signed = canonical(message)
        for key in self._keys:
            try:
                key.verify(signature, signed)
                return
            except InvalidSignature:
                continue
        raise ForgedEnvelope(f"signature does not verify with {self.source}'s key")


def signer_for(service: str, settings: EventKeySettings) -> Signer:
    if settings.signing_key:
        return Signer(Ed25519PrivateKey.from_private_bytes(_raw(settings.signing_key, "EVENT_SIGNING_KEY")))
    if settings.production:
        raise ConfigError(
            f"APP_ENV=production needs EVENT_SIGNING_KEY: {service}'s Ed25519 private key "
            "(python -m shared.signing generate); see docs/security.md"
        )
    return Signer(dev_private_key(service))


def verifier_for(source: str, settings: EventKeySettings) -> Verifier:
    texts = settings.verify_keys.get(source, ())
    if texts:
        keys = [Ed25519PublicKey.from_public_bytes(_raw(t, f"EVENT_VERIFY_KEYS[{source}]")) for t in texts]
        return Verifier(source, keys)
    if settings.production:
        raise ConfigError(
            f"APP_ENV=production needs {source}'s public key in EVENT_VERIFY_KEYS "
            f"({source}=KEY,...); see docs/security.md"
        )
    return Verifier(source, [dev_private_key(source).public_key()])


def generate(services: Sequence[str]) -> str:
    """Fresh keys as environment lines: each service's private key, and the one
    EVENT_VERIFY_KEYS line every consumer needs."""
    lines, public = [], []
    for service in services:
        key = Ed25519PrivateKey.generate()
        lines.append(f"{service.upper()}_EVENT_SIGNING_KEY={private_key_text(key)}")
        public.append(f"{service}={public_key_text(key.public_key())}")
    lines.append(f"EVENT_VERIFY_KEYS={','.join(public)}")
    return "\n".join(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] != "generate":
        print("usage: python -m shared.signing generate [service ...]", file=sys.stderr)
        sys.exit(2)
    print(generate(args[1:] or SERVICES))
