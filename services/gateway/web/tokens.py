"""Bearer tokens: HS256-signed JWTs that name the user, expire, and carry the
user's credentials version (a password change voids older tokens)."""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

ISSUER = "childcare-gateway"
ALGORITHM = "HS256"


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    username: str
    credentials_version: int


def issue(secret: str, ttl_seconds: int, user_id: str, username: str, credentials_version: int) -> str:
    now = int(time.time())
    return jwt.encode({
        "iss": ISSUER, "sub": user_id, "name": username, "ver": credentials_version,
        "iat": now, "exp": now + ttl_seconds, "jti": uuid.uuid4().hex,
    }, secret, algorithm=ALGORITHM)


def decode(secret: str, token: str) -> TokenClaims:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["iss", "sub", "name", "ver", "iat", "exp"]})
    except jwt.ExpiredSignatureError:
        raise InvalidToken("the token has expired; sign in again") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("the token is not valid") from None
    if not isinstance(claims["ver"], int) or not isinstance(claims["sub"], str):
        raise InvalidToken("the token is not valid")
    return TokenClaims(claims["sub"], claims["name"], claims["ver"])
