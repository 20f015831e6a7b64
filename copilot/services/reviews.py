"""Supervisor review: one session, one counselor over a period (JSON or CSV), and the triage list.

A supervisor reviews the counselors they supervise; a counselor may review their own sessions;
an admin sees no session content, so none of this. Every read is audited (never content).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from copilot import review
from copilot.db.models import CounselingSession, SessionSummary, User
from copilot.services import access, audit, transcripts
from copilot.services.errors import NotFound
from copilot.services.summaries import state as summary_state

MAX_SESSIONS = 500  # one request never reviews more sessions than this


def _review(db: Session, s: CounselingSession, mandatory: Sequence[str]) -> dict:
    turns, alerts = transcripts.load(db, s.id)
    row = db.scalar(select(SessionSummary).where(SessionSummary.session_id == s.id))
    return review.review_session(turns, alerts, summary_state(row, mandatory))


def session_review(
    db: Session, user: User, session_id: uuid.UUID, mandatory: Sequence[str]
) -> dict:
    s = access.session_for(db, user, session_id, "review.session")
    out = _review(db, s, mandatory)
    db.commit()
    return out


def _counselor_visible(db: Session, user: User, counselor_id: uuid.UUID) -> User:
    c = db.get(User, counselor_id)
    ok = (
        c is not None
        and c.role == "counselor"
        and (c.id == user.id or (user.role == "supervisor" and c.supervisor_id == user.id))
    )
    if not ok:
        audit.record_now(db, user.id, "review.counselor", "user", counselor_id, outcome="denied")
        raise NotFound("no such counselor")
    return c


def _utc(d: datetime) -> datetime:
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d  # a time without a zone is UTC


def _sessions(
    db: Session, where, frm: datetime | None, to: datetime | None
) -> list[CounselingSession]:
    q = (
        select(CounselingSession)
        .where(where)
        .order_by(CounselingSession.created_at.desc(), CounselingSession.id)
        .limit(MAX_SESSIONS)
    )
    if frm is not None:
        q = q.where(CounselingSession.created_at >= _utc(frm))
    if to is not None:
        q = q.where(CounselingSession.created_at < _utc(to))
    return list(db.scalars(q))


def counselor_review(
    db: Session,
    user: User,
    counselor_id: uuid.UUID,
    frm: datetime | None,
    to: datetime | None,
    mandatory: Sequence[str],
) -> tuple[User, dict, list[dict]]:
    """The counselor's sessions in [from, to): pooled metrics and one row per session."""
    c = _counselor_visible(db, user, counselor_id)
    rows = []
    for s in _sessions(db, CounselingSession.counselor_id == c.id, frm, to):
        r = _review(db, s, mandatory)
        score, why = review.triage_score(r)
        rows.append(
            {
                "session_id": s.id,
                "created_at": s.created_at,
                "status": s.status,
                "review": r,
                "triage_score": score,
                "reasons": why,
            }
        )
    audit.record(db, user.id, "review.counselor", "user", c.id)
    db.commit()
    return c, review.aggregate([x["review"] for x in rows]), rows


def counselor_csv(
    db: Session,
    user: User,
    counselor_id: uuid.UUID,
    frm: datetime | None,
    to: datetime | None,
    mandatory: Sequence[str],
) -> str:
    c, _, rows = counselor_review(db, user, counselor_id, frm, to, mandatory)
    return review.to_csv(
        review.csv_row(str(x["session_id"]), str(c.id), x["created_at"].isoformat(), x["review"])
        for x in rows
    )


def triage(
    db: Session,
    user: User,
    frm: datetime | None,
    to: datetime | None,
    limit: int,
    mandatory: Sequence[str],
) -> list[dict]:
    """The visible sessions most in need of a supervisor's eyes, highest score first."""
    sessions = _sessions(db, access.visible_sessions_clause(user), frm, to)
    by_id = {s.id: s for s in sessions}
    ranked = review.triage(((s.id, _review(db, s, mandatory)) for s in sessions), limit=limit)
    audit.record(db, user.id, "review.triage", "session", None)
    db.commit()
    return [
        {
            **x,
            "counselor_id": by_id[x["session_id"]].counselor_id,
            "created_at": by_id[x["session_id"]].created_at,
            "status": by_id[x["session_id"]].status,
        }
        for x in ranked
    ]
