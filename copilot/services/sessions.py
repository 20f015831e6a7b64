"""Counseling sessions: open one for a pseudonymous client, list, read (audited), close."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from copilot.db.models import Alert, Client, CounselingSession, Message, User
from copilot.services import access, audit
from copilot.services.errors import Conflict, Forbidden


@dataclass(frozen=True)
class SessionView:
    session: CounselingSession
    message_count: int
    open_alerts: int


def create_session(db: Session, user: User, client_ref: str) -> CounselingSession:
    """Open a session with the client the app knows as ``client_ref`` (created on first sight)."""
    if user.role != "counselor":
        audit.record_now(db, user.id, "session.create", "session", None, outcome="denied")
        raise Forbidden("only counselors open sessions")
    for attempt in range(2):
        client = db.scalar(select(Client).where(Client.ref == client_ref))
        if client is None:
            client = Client(ref=client_ref, pseudonym=f"klien-{secrets.token_hex(4)}")
            db.add(client)
        s = CounselingSession(counselor_id=user.id, client=client)
        db.add(s)
        try:
            db.flush()
        except IntegrityError:  # a concurrent request created the same client first
            db.rollback()
            if attempt:
                raise
            continue
        audit.record(db, user.id, "session.create", "session", s.id)
        db.commit()
        return s
    raise AssertionError("unreachable")


def _view(db: Session, s: CounselingSession) -> SessionView:
    n = db.scalar(select(func.count(Message.id)).where(Message.session_id == s.id)) or 0
    k = db.scalar(select(func.count(Alert.id)).where(
        Alert.session_id == s.id, Alert.closed_at.is_(None))) or 0
    return SessionView(s, n, k)


def list_sessions(db: Session, user: User, *, status: str | None = None, limit: int = 50,
                  offset: int = 0) -> list[SessionView]:
    q = (select(CounselingSession).where(access.visible_sessions_clause(user))
         .order_by(CounselingSession.created_at.desc(), CounselingSession.id)
         .limit(limit).offset(offset))
    if status:
        q = q.where(CounselingSession.status == status)
    rows = list(db.scalars(q))
    audit.record(db, user.id, "session.list", "session", None)
    db.commit()
    return [_view(db, s) for s in rows]


def read_session(db: Session, user: User, session_id: uuid.UUID) -> SessionView:
    return _view(db, access.session_for(db, user, session_id, "session.read"))


def close_session(db: Session, user: User, session_id: uuid.UUID) -> SessionView:
    """Close a session; refused while a crisis alert in it has no assessment."""
    s = access.session_for(db, user, session_id, "session.close", write=True, audit_read=False)
    open_crisis = db.scalar(select(func.count(Alert.id)).where(
        Alert.session_id == s.id, Alert.crisis.is_(True), Alert.closed_at.is_(None))) or 0
    if open_crisis:
        raise Conflict(f"{open_crisis} crisis alert(s) in this session still need an assessment",
                       code="E409_OPEN_CRISIS")
    if s.status != "closed":
        s.status, s.closed_at = "closed", datetime.now(UTC)
    audit.record(db, user.id, "session.close", "session", s.id)
    db.commit()
    return _view(db, s)
