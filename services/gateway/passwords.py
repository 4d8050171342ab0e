"""Password hashes: argon2id (memory-hard), computed off the eventlet hub so a
sign-in does not stall every other request for the ~50 ms a hash takes."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool

_hasher = PasswordHasher()  # RFC 9106 low-memory profile: 64 MiB, 3 passes
MIN_LENGTH = 12

# Verified against when the username is unknown, so a wrong name costs as much
# time as a wrong password and does not reveal which names exist.
_DECOY = _hasher.hash("decoy password that matches nothing")


def hash_password(password: str) -> str:
    return tpool.execute(_hasher.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return tpool.execute(_hasher.verify, password_hash or _DECOY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str) -> list[str]:
    if len(password) < MIN_LENGTH:
        return [f"must be at least {MIN_LENGTH} characters"]
    if len(password) > 1024:
        return ["must be at most 1024 characters"]
    return []
