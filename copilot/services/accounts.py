"""Accounts and tokens: log-in, refresh rotation, log-out, blocking, and the blocked account's
client list."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, select, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from copilot import security
from copilot.db.base import UTCDateTime
from copilot.db.models import AuditEvent, Client, CounselingSession, RefreshToken, User
from copilot.services import audit
from copilot.services.errors import Conflict, InvalidInput, NotFound, TooManyRequests, Unauthorized


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime


@dataclass(frozen=True)
class TokenPolicy:
    secret: str
    access_ttl_s: int
    refresh_ttl_s: int
    max_failed_logins: int = 5        # failed log-ins of one account inside the window ...
    lockout_window_s: int = 900       # ... that lock it until the oldest leaves the window


def _now() -> datetime:
    return datetime.now(UTC)


def create_user(db: Session, *, username: str, password: str, role: str,
                display_name: str | None = None, supervisor_id: uuid.UUID | None = None,
                actor_id: uuid.UUID | None = None) -> User:
    """Create an account (admin action, or the CLI for the first admin)."""
    _check_supervisor(db, role, supervisor_id)
    user = User(username=username, password_hash=security.hash_password(password), role=role,
                display_name=display_name, supervisor_id=supervisor_id)
    db.add(user)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise Conflict(f"username {username!r} is taken", code="E409_USERNAME",
                       field="username") from None
    audit.record(db, actor_id, "user.create", "user", user.id)
    db.commit()
    return user


def _check_supervisor(db: Session, role: str, supervisor_id: uuid.UUID | None) -> None:
    if supervisor_id is None:
        return
    if role != "counselor":
        raise InvalidInput("only a counselor has a supervisor", field="supervisor_id")
    sup = db.get(User, supervisor_id)
    if sup is None or sup.role != "supervisor":
        raise InvalidInput("supervisor_id must name a supervisor account", field="supervisor_id")


def update_user(db: Session, user_id: uuid.UUID, *, actor_id: uuid.UUID,
                display_name: str | None = None, supervisor_id: uuid.UUID | None = None,
                clear_supervisor: bool = False, password: str | None = None) -> User:
    user = get_user(db, user_id)
    if supervisor_id is not None or clear_supervisor:
        _check_supervisor(db, user.role, supervisor_id)
        user.supervisor_id = supervisor_id
    if display_name is not None:
        user.display_name = display_name
    if password is not None:
        user.password_hash = security.hash_password(password)
        _revoke_all(db, user)  # a reset password ends every existing log-in
    audit.record(db, actor_id, "user.update", "user", user.id)
    db.commit()
    return user


def get_user(db: Session, user_id: uuid.UUID) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


def list_users(db: Session, *, role: str | None = None, limit: int = 100, offset: int = 0
               ) -> list[User]:
    q = select(User).order_by(User.created_at, User.id).limit(limit).offset(offset)
    if role:
        q = q.where(User.role == role)
    return list(db.scalars(q))


def _issue(db: Session, user: User, policy: TokenPolicy) -> TokenPair:
    access, access_exp = security.create_access_token(
        policy.secret, user.id, user.role, user.token_version, policy.access_ttl_s)
    refresh, refresh_hash = security.new_refresh_token()
    refresh_exp = _now() + timedelta(seconds=policy.refresh_ttl_s)
    db.add(RefreshToken(user_id=user.id, token_hash=refresh_hash, expires_at=refresh_exp))
    return TokenPair(access, access_exp, refresh, refresh_exp)


def login(db: Session, username: str, password: str, policy: TokenPolicy) -> TokenPair:
    user = db.scalar(select(User).where(User.username == username))
    if user is not None:
        _refuse_if_locked(db, user, policy)
    ok = security.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or user.blocked:
        audit.record_now(db, user.id if user else None, "auth.login", "user",
                         user.id if user else None, outcome="denied")
        raise Unauthorized("wrong username or password, or the account is blocked")
    pair = _issue(db, user, policy)
    audit.record(db, user.id, "auth.login", "user", user.id)
    db.commit()
    return pair


def _refuse_if_locked(db: Session, user: User, policy: TokenPolicy) -> None:
    """Password guessing: after ``max_failed_logins`` failures inside the window the account
    refuses every log-in, the right password included, until the oldest of those failures is
    older than the window. The failures are the audit log's denied log-ins, so the count is
    shared by every worker and survives a restart; refusals are audited but not counted. An
    admin's unblock (``POST /v1/users/{id}/unblock``) starts the count afresh."""
    since = _now() - timedelta(seconds=policy.lockout_window_s)
    unlocked = db.scalar(select(func.max(AuditEvent.at)).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == str(user.id),
        AuditEvent.action == "user.unblock"))
    if unlocked is not None and unlocked > since:
        since = unlocked
    recent = db.scalars(
        select(AuditEvent.at).where(AuditEvent.actor_id == user.id, AuditEvent.action == "auth.login",
                                    AuditEvent.outcome == "denied", AuditEvent.at > since)
        .order_by(AuditEvent.at.desc()).limit(policy.max_failed_logins)).all()
    if len(recent) < policy.max_failed_logins:
        return
    unlock_at = recent[-1] + timedelta(seconds=policy.lockout_window_s)
    wait = max(1, math.ceil((unlock_at - _now()).total_seconds()))
    audit.record_now(db, user.id, "auth.login_locked", "user", user.id, outcome="denied")
    raise TooManyRequests(f"too many failed log-ins for this account; try again in {wait} s",
                          retry_after_s=wait)


def refresh(db: Session, token: str, policy: TokenPolicy) -> TokenPair:
    """Rotate a refresh token. Re-use of a rotated token revokes every token of its user."""
    row = db.scalar(select(RefreshToken).where(
        RefreshToken.token_hash == security.hash_refresh_token(token)))
    if row is None:
        raise Unauthorized("unknown refresh token")
    user = db.get(User, row.user_id)
    if row.revoked_at is not None:
        # Someone replayed a token that was already used: assume it was stolen.
        _revoke_all(db, user)
        audit.record(db, user.id, "auth.refresh_reuse", "user", user.id, outcome="denied")
        db.commit()
        raise Unauthorized("refresh token already used; every session of this account ended")
    if row.expires_at <= _now() or user is None or user.blocked:
        raise Unauthorized("refresh token expired or account blocked")
    claimed = db.execute(update(RefreshToken).where(
        RefreshToken.id == row.id, RefreshToken.revoked_at.is_(None)).values(revoked_at=_now()))
    if claimed.rowcount != 1:  # a concurrent refresh won the race
        db.rollback()
        raise Unauthorized("refresh token already used")
    pair = _issue(db, user, policy)
    db.commit()
    return pair


def logout(db: Session, token: str) -> None:
    db.execute(update(RefreshToken).where(
        RefreshToken.token_hash == security.hash_refresh_token(token),
        RefreshToken.revoked_at.is_(None)).values(revoked_at=_now()))
    db.commit()


def _revoke_all(db: Session, user: User) -> None:
    user.token_version += 1  # every access token already issued stops working
    db.execute(update(RefreshToken).where(
        RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None)).values(revoked_at=_now()))


def user_for_access_token(db: Session, secret: str, token: str) -> User:
    """The live, unblocked account an access token belongs to; Unauthorized otherwise."""
    try:
        claims = security.decode_access_token(secret, token)
    except security.TokenError as exc:
        raise Unauthorized(f"invalid access token: {exc}") from None
    user = db.get(User, claims.user_id)
    if user is None or user.blocked or user.token_version != claims.token_version:
        raise Unauthorized("token revoked or account blocked")
    return user


def block_user(db: Session, user_id: uuid.UUID, actor_id: uuid.UUID) -> User:
    """Block an account: its tokens are revoked now; the caller closes its live sockets."""
    user = get_user(db, user_id)
    if user.id == actor_id:
        raise Conflict("an admin cannot block their own account", code="E409_SELF_BLOCK")
    if user.blocked_at is None:
        user.blocked_at = _now()
    _revoke_all(db, user)
    audit.record(db, actor_id, "user.block", "user", user.id)
    db.commit()
    return user


def unblock_user(db: Session, user_id: uuid.UUID, actor_id: uuid.UUID) -> User:
    user = get_user(db, user_id)
    user.blocked_at = None
    audit.record(db, actor_id, "user.unblock", "user", user.id)
    db.commit()
    return user


@dataclass(frozen=True)
class ClientRow:
    client_ref: str
    pseudonym: str
    sessions: int
    open_sessions: int
    first_session_at: datetime
    last_session_at: datetime


def clients_of(db: Session, user_id: uuid.UUID, actor_id: uuid.UUID) -> list[ClientRow]:
    """The clients an account has sessions with: who must be told when it is blocked."""
    get_user(db, user_id)
    is_open = case((CounselingSession.status == "open", 1), else_=0)
    rows = db.execute(
        select(Client.ref, Client.pseudonym, func.count(CounselingSession.id), func.sum(is_open),
               type_coerce(func.min(CounselingSession.created_at), UTCDateTime()),
               type_coerce(func.max(CounselingSession.created_at), UTCDateTime()))
        .join(CounselingSession, CounselingSession.client_id == Client.id)
        .where(CounselingSession.counselor_id == user_id)
        .group_by(Client.id, Client.ref, Client.pseudonym)
        .order_by(Client.ref)
    ).all()
    audit.record(db, actor_id, "user.clients_export", "user", user_id)
    db.commit()
    return [ClientRow(r[0], r[1], int(r[2]), int(r[3] or 0), r[4], r[5]) for r in rows]
