"""The hash chain: each link commits to the previous link and to one stored
event exactly as stored (ciphertext when encrypted), so it verifies without
the key. Every field is length-prefixed so no two events encode alike."""

from __future__ import annotations

import hashlib
import struct

from eventsourcing.persistence import Notification

GENESIS = bytes(32)


def _field(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def link(
    previous: bytes, notification_id: int, originator_id: str, originator_version: int, topic: str, state: bytes
) -> bytes:
    digest = hashlib.sha256(previous)
    digest.update(struct.pack(">q", notification_id))
    digest.update(_field(str(originator_id).encode()))
    digest.update(struct.pack(">q", originator_version))
    digest.update(_field(topic.encode()))
    digest.update(_field(bytes(state)))
    return digest.digest()


def link_notification(previous: bytes, notification: Notification) -> bytes:
    return link(
        previous,
        notification.id,
        str(notification.originator_id),
        notification.originator_version,
        notification.topic,
        notification.state,
    )
