"""Who may see which session (guideline 1.1: least privilege).

- a counselor: their own sessions;
- a supervisor: the sessions of the counselors they supervise (read only);
- an admin: accounts, never session content.

An object someone may not see is reported as not found, so ids leak nothing; the attempt
is audit-logged as denied.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from copilot.db.models import Alert, CounselingSession, User
from copilot.services import audit
from copilot.services.errors import Forbidden, NotFound


def visible_sessions_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting the sessions ``user`` may read."""
    if user.role == "counselor":
        return CounselingSession.counselor_id == user.id
    if user.role == "supervisor":
        supervised = select(User.id).where(User.supervisor_id == user.id)
        return CounselingSession.counselor_id.in_(supervised)
    return false()


def can_read(db: Session, user: User, session: CounselingSession) -> bool:
    if user.role == "counselor":
        return session.counselor_id == user.id
    if user.role == "supervisor":
        counselor = db.get(User, session.counselor_id)
        return counselor is not None and counselor.supervisor_id == user.id
    return False


def session_for(db: Session, user: User, session_id: uuid.UUID, action: str, *,
                write: bool = False, audit_read: bool = True) -> CounselingSession:
    """Load a session ``user`` may act on, or raise (and audit the denial).

    ``write`` actions (posting messages, closing) belong to the session's own counselor.
    """
    s = db.get(CounselingSession, session_id)
    if s is None or not can_read(db, user, s):
        audit.record_now(db, user.id, action, "session", session_id, outcome="denied")
        raise NotFound("no such session")
    if write and s.counselor_id != user.id:
        audit.record_now(db, user.id, action, "session", session_id, outcome="denied")
        raise Forbidden("only the session's own counselor may do this")
    if audit_read:
        audit.record_now(db, user.id, action, "session", session_id)
    return s


def alert_for(db: Session, user: User, alert_id: uuid.UUID, action: str) -> Alert:
    """Load an alert whose session ``user`` may read, or raise (and audit the denial)."""
    a = db.get(Alert, alert_id)
    s = db.get(CounselingSession, a.session_id) if a is not None else None
    if a is None or s is None or not can_read(db, user, s):
        audit.record_now(db, user.id, action, "alert", alert_id, outcome="denied")
        raise NotFound("no such alert")
    return a
