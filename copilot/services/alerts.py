"""Alert life cycle: pending (stored, not acknowledged) -> acknowledged -> closed.

An ordinary alert closes when the counselor acknowledges it. A crisis alert (suicidal,
harm_others, kdrt, acute_disorder) stays open after acknowledgement, whatever the client
writes later ("cuma bercanda"), until the counselor records an assessment.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from copilot.db.models import (
    Alert,
    AlertAcknowledgement,
    AlertAssessment,
    AlertEscalation,
    CounselingSession,
    User,
)
from copilot.protocols import protocol_for
from copilot.services import access, audit
from copilot.services.errors import Forbidden


def _now() -> datetime:
    return datetime.now(UTC)


def status_of(a: Alert) -> str:
    if a.closed_at is not None:
        return "closed"
    if a.acknowledged_at is not None:
        return "acknowledged"  # a crisis alert awaiting its assessment
    return "pending"


def alert_dict(a: Alert, escalation: AlertEscalation | None = None) -> dict:
    """The alert as the API and the socket show it, with the guideline's protocol steps."""
    return {
        "id": str(a.id), "session_id": str(a.session_id), "message_id": str(a.message_id),
        "counselor_id": str(a.counselor_id), "label": a.label, "crisis": a.crisis,
        "score": a.score, "source": a.source, "degraded": a.degraded,
        "evidence": a.evidence, "status": status_of(a),
        "needs_assessment": a.crisis and a.closed_at is None,
        "created_at": a.created_at.isoformat(),
        "acknowledged_at": a.acknowledged_at and a.acknowledged_at.isoformat(),
        "escalated_at": a.escalated_at and a.escalated_at.isoformat(),
        "closed_at": a.closed_at and a.closed_at.isoformat(),
        "protocol": protocol_for(a.label).as_dict(),
        "escalation": escalation and {
            "supervisor_id": escalation.supervisor_id and str(escalation.supervisor_id),
            "at": escalation.at.isoformat(),
            "acknowledged_at": escalation.acknowledged_at and escalation.acknowledged_at.isoformat(),
        },
    }


def pending_frames(db: Session, user: User, limit: int = 500) -> list[tuple[str, dict]]:
    """Every socket frame ``user`` has not acknowledged, oldest first, as (dedupe key, frame).

    A counselor gets their unacknowledged alerts; a supervisor the escalations sent to them
    that they have not acknowledged. Read from storage, so it survives any restart.
    """
    frames: list[tuple[str, dict]] = []
    if user.role == "counselor":
        rows = db.scalars(select(Alert).where(
            Alert.counselor_id == user.id, Alert.acknowledged_at.is_(None))
            .order_by(Alert.created_at, Alert.id).limit(limit))
        frames += [(f"alert:{a.id}", {"type": "alert", "alert": alert_dict(a)}) for a in rows]
    elif user.role == "supervisor":
        rows = db.execute(select(AlertEscalation, Alert).join(Alert, Alert.id == AlertEscalation.alert_id)
                          .where(AlertEscalation.supervisor_id == user.id,
                                 AlertEscalation.acknowledged_at.is_(None))
                          .order_by(AlertEscalation.at, Alert.id).limit(limit)).all()
        frames += [(f"escalation:{a.id}", escalation_frame(a, e)) for e, a in rows]
    db.commit()
    return frames


def escalation_frame(a: Alert, e: AlertEscalation) -> dict:
    return {"type": "escalation", "alert": alert_dict(a, e)}


def acknowledge(db: Session, user: User, alert_id: uuid.UUID, via: str) -> tuple[Alert, str]:
    """Acknowledge an alert (counselor) or its escalation (supervisor). Idempotent.

    Returns the alert and the socket key the acknowledgement settles.
    """
    a = access.alert_for(db, user, alert_id, "alert.acknowledge")
    now = _now()
    if user.role == "counselor":
        if a.counselor_id != user.id:
            raise Forbidden("only the session's counselor acknowledges its alerts")
        first = db.execute(update(Alert).where(Alert.id == a.id, Alert.acknowledged_at.is_(None))
                           .values(acknowledged_at=now)).rowcount == 1
        if first:
            if not a.crisis:
                db.execute(update(Alert).where(Alert.id == a.id, Alert.closed_at.is_(None))
                           .values(closed_at=now))
            db.add(AlertAcknowledgement(alert_id=a.id, user_id=user.id, via=via))
            audit.record(db, user.id, "alert.acknowledge", "alert", a.id)
        db.commit()
        db.refresh(a)
        return a, f"alert:{a.id}"
    # A supervisor acknowledges the escalation they received.
    e = db.scalar(select(AlertEscalation).where(AlertEscalation.alert_id == a.id))
    if e is None or e.supervisor_id != user.id:
        raise Forbidden("this alert was not escalated to you")
    if db.execute(update(AlertEscalation).where(AlertEscalation.id == e.id,
                                                AlertEscalation.acknowledged_at.is_(None))
                  .values(acknowledged_at=now)).rowcount == 1:
        db.add(AlertAcknowledgement(alert_id=a.id, user_id=user.id, via=via))
        audit.record(db, user.id, "escalation.acknowledge", "alert", a.id)
    db.commit()
    db.refresh(a)
    return a, f"escalation:{a.id}"


def assess(db: Session, user: User, alert_id: uuid.UUID, outcome: str, note: str | None) -> Alert:
    """Record the counselor's risk assessment; this (and only this) closes a crisis alert.

    The supervisor of an escalated alert may record it too (the counselor may be unreachable).
    """
    a = access.alert_for(db, user, alert_id, "alert.assess")
    allowed = a.counselor_id == user.id or (
        user.role == "supervisor" and a.escalated_at is not None)
    if not allowed:
        raise Forbidden("only the session's counselor (or, once escalated, the supervisor) "
                        "records an assessment")
    now = _now()
    db.add(AlertAssessment(alert_id=a.id, user_id=user.id, outcome=outcome, note=note))
    if a.acknowledged_at is None:
        a.acknowledged_at = now
        db.add(AlertAcknowledgement(alert_id=a.id, user_id=user.id, via="assessment"))
    if a.closed_at is None:
        a.closed_at = now
    audit.record(db, user.id, "alert.assess", "alert", a.id)
    db.commit()
    return a


def read_alert(db: Session, user: User, alert_id: uuid.UUID) -> tuple[Alert, AlertEscalation | None,
                                                                       list[AlertAssessment]]:
    a = access.alert_for(db, user, alert_id, "alert.read")
    audit.record(db, user.id, "alert.read", "alert", a.id)
    e = db.scalar(select(AlertEscalation).where(AlertEscalation.alert_id == a.id))
    assessments = list(db.scalars(select(AlertAssessment).where(AlertAssessment.alert_id == a.id)
                                  .order_by(AlertAssessment.at)))
    db.commit()
    return a, e, assessments


def list_alerts(db: Session, user: User, *, status: str | None = None,
                session_id: uuid.UUID | None = None, limit: int = 100, offset: int = 0
                ) -> list[Alert]:
    """Alerts of the sessions ``user`` may read; ``status``: pending, acknowledged, open, closed."""
    if session_id is not None:
        access.session_for(db, user, session_id, "session.alerts.read")
    q = (select(Alert).join(CounselingSession, CounselingSession.id == Alert.session_id)
         .where(access.visible_sessions_clause(user))
         .order_by(Alert.created_at.desc(), Alert.id).limit(limit).offset(offset))
    if session_id is not None:
        q = q.where(Alert.session_id == session_id)
    if status == "pending":
        q = q.where(Alert.acknowledged_at.is_(None))
    elif status == "acknowledged":
        q = q.where(Alert.acknowledged_at.is_not(None), Alert.closed_at.is_(None))
    elif status == "open":
        q = q.where(Alert.closed_at.is_(None))
    elif status == "closed":
        q = q.where(Alert.closed_at.is_not(None))
    rows = list(db.scalars(q))
    if session_id is None:
        audit.record(db, user.id, "alert.list", "alert", None)
    db.commit()
    return rows

