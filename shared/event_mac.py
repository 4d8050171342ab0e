"""Event MACs: each stored event carries an HMAC-SHA256 over its aggregate id,
version, topic and stored bytes, made with EVENT_MAC_KEY, a key the service
holds and the database never sees. A row written into an event table by anyone
else (a database administrator, a stolen connection) has no valid MAC, so the
sealer refuses to seal it and `audit verify` names it.

The MAC travels in front of the stored bytes (which are ciphertext when the
store is encrypted): MARKER, then the 32-byte MAC, then the bytes as before.
Events stored before MACs existed have no marker; they are "unsigned", and are
accepted only before the first signed event of a log (see `LogSignatures`)."""

from __future__ import annotations

import hashlib
import hmac
import struct
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent

# Eight bytes no JSON, zlib stream or (but for 2^-64) AES nonce starts with.
MARKER = b"\x00\xffMAC1\x00\xff"
MAC_BYTES = 32
SIGNED, UNSIGNED, FORGED = "signed", "unsigned", "forged"


_pack_i = struct.Struct(">I").pack
_MARKED = len(MARKER) + MAC_BYTES


def _field(data: bytes) -> bytes:
    return _pack_i(len(data)) + data


def mac(key: bytes, originator_id: str, originator_version: int, topic: str, body: bytes) -> bytes:
    message = b"".join(
        (_field(originator_id.encode()), struct.pack(">q", originator_version), _field(topic.encode()), _field(body))
    )
    return hmac.digest(key, message, hashlib.sha256)


def mac_prefixed(key: bytes, prefix: bytes, body: bytes) -> bytes:
    """`mac` with the id, version and topic already encoded (shared/audit/chain.py `record_prefix`)."""
    return hmac.digest(key, b"".join((prefix, _pack_i(len(body)), body)), hashlib.sha256)


def split(state: bytes) -> tuple[bytes | None, bytes]:
    """(the MAC or None when unsigned, the stored bytes behind it)."""
    if state[: len(MARKER)] == MARKER and len(state) >= len(MARKER) + MAC_BYTES:
        start = len(MARKER) + MAC_BYTES
        return state[len(MARKER) : start], state[start:]
    return None, state


def body(state: bytes) -> bytes:
    """The stored bytes without their MAC: what the cipher, compressor and transcoder read."""
    return split(bytes(state))[1]


def signed(key: bytes, stored: StoredEvent) -> StoredEvent:
    tag = mac(key, str(stored.originator_id), stored.originator_version, stored.topic, stored.state)
    return StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=MARKER + tag + stored.state,
    )


def check(key: bytes, originator_id: str, originator_version: int, topic: str, state: bytes) -> str:
    """SIGNED (a good MAC), UNSIGNED (no MAC at all) or FORGED (a MAC that does not match)."""
    tag, rest = split(state)
    if tag is None:
        return UNSIGNED
    expected = mac(key, originator_id, originator_version, topic, rest)
    return SIGNED if hmac.compare_digest(tag, expected) else FORGED


def check_prefixed(key: bytes, prefix: bytes, state: bytes) -> str:
    """`check` with the id, version and topic already encoded (`record_prefix`)."""
    if not (state.startswith(MARKER) and len(state) >= _MARKED):
        return UNSIGNED
    expected = mac_prefixed(key, prefix, state[_MARKED:])
    return SIGNED if hmac.compare_digest(state[len(MARKER) : _MARKED], expected) else FORGED


class MacMapper(Mapper[Any]):
    """The eventsourcing mapper, signing what it stores when it has a key, and
    reading signed and unsigned events alike (it never refuses to read: the
    sealer and verify judge)."""

    mac_key: bytes = b""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        stored = super().to_stored_event(domain_event)
        return signed(self.mac_key, stored) if self.mac_key else stored

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        tag, rest = split(bytes(stored_event.state))
        if tag is not None:
            stored_event = StoredEvent(
                originator_id=stored_event.originator_id,
                originator_version=stored_event.originator_version,
                topic=stored_event.topic,
                state=rest,
            )
        return super().to_domain_event(stored_event)


@dataclass
class LogSignatures:
    """Judges a log's events in order. With a key, an event must carry a good
    MAC, except unsigned events stored before the service began signing
    (`signing_since`, the first position it signed, recorded beside the seals
    when a store is first opened with a key; unknown → before the first signed
    event). The seals cover those older ones. Without a key nothing is checked,
    and `checked` says so."""

    key: bytes
    signing_since: int | None = None
    signed_seen: bool = False
    unsigned_before_signing: int = 0

    @property
    def checked(self) -> bool:
        return bool(self.key)

    def problem(
        self, position: int, originator_id: str, originator_version: int, topic: str, state: bytes
    ) -> str | None:
        """None when the event is acceptable, else why not."""
        if not self.key:
            return None
        return self._judge(position, check(self.key, originator_id, originator_version, topic, state))

    def problem_prefixed(self, position: int, prefix: bytes, state: bytes) -> str | None:
        """`problem` with the id, version and topic already encoded (shared/audit/chain.py)."""
        if not self.key:
            return None
        return self._judge(position, check_prefixed(self.key, prefix, state))

    def _judge(self, position: int, verdict: str) -> str | None:
        if verdict == SIGNED:
            self.signed_seen = True
            return None
        if verdict == FORGED:
            return "forged: the event's MAC does not match (not written by the service, or altered)"
        began = self.signed_seen if self.signing_since is None else position >= self.signing_since
        if began:
            return "forged: an event without a MAC where the service signs every event (not written by the service)"
        self.unsigned_before_signing += 1
        return None
