"""Password hashes: argon2id (memory-hard), computed off the eventlet hub so a
sign-in does not stall every other request for the ~50 ms a hash takes, and
at most two at a time (each takes 64 MiB: a burst of sign-ins must not
exhaust memory)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from eventlet.semaphore import Semaphore

_hasher = PasswordHasher()  # RFC 9106 low-memory profile: 64 MiB, 3 passes
_hashing = Semaphore(2)
MIN_LENGTH = 12

# Verified against when the username is unknown, so a wrong name costs as much
# time as a wrong password and does not reveal which names exist.
_DECOY = _hasher.hash("decoy password that matches nothing")


def hash_password(password: str) -> str:
    with _hashing:
        return tpool.execute(_hasher.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        with _hashing:
            matched = tpool.execute(_hasher.verify, password_hash or _DECOY, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def password_problems(password: str) -> list[str]:
    if len(password) < MIN_LENGTH:
        return [f"must be at least {MIN_LENGTH} characters"]
    if len(password) > 1024:
        return ["must be at most 1024 characters"]
    return []
