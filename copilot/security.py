"""Passwords (argon2id), signed short-lived access tokens (JWT, HS256), opaque refresh tokens,
and the service's secret key."""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from copilot.settings import Settings

ALGORITHM = "HS256"
ISSUER = "konselor-copilot"
_hasher = PasswordHasher()
# Verified when the username is unknown, so a login takes as long whether or not it exists.
_DUMMY_HASH = _hasher.hash("no such user: keep the timing equal")


class TokenError(Exception):
    """The token is missing, malformed, expired, or signed with another key."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def load_or_create_secret(settings: Settings) -> str:
    """The configured secret key, or one generated once and kept in ``data_dir/secret_key``."""
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value()
        if len(key) < 32:
            raise ValueError("E602 COPILOT_SECRET_KEY must be at least 32 characters")
        return key
    path = Path(settings.data_dir) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if len(key) < 32:
            raise ValueError(f"E603 secret key file {path} is shorter than 32 characters") from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    role: str
    token_version: int
    expires_at: datetime


def create_access_token(secret: str, user_id: uuid.UUID, role: str, token_version: int,
                        ttl_s: int, now: datetime | None = None) -> tuple[str, datetime]:
    now = now or datetime.now(UTC)
    exp = now + timedelta(seconds=ttl_s)
    claims = {"sub": str(user_id), "role": role, "tv": token_version, "iss": ISSUER,
              "iat": int(now.timestamp()), "exp": exp, "jti": secrets.token_hex(8), "typ": "access"}
    return jwt.encode(claims, secret, algorithm=ALGORITHM), exp


def decode_access_token(secret: str, token: str) -> AccessClaims:
    try:
        c = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                       options={"require": ["sub", "exp", "iat", "tv"]})
        if c.get("typ") != "access":
            raise TokenError("not an access token")
        return AccessClaims(uuid.UUID(c["sub"]), str(c.get("role")), int(c["tv"]),
                            datetime.fromtimestamp(c["exp"], UTC))
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        raise TokenError(str(exc)) from None


def new_refresh_token() -> tuple[str, str]:
    """An opaque refresh token and the sha256 under which it is stored (never the token)."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
