"""The audit trail: who touched which object, when, and whether it was allowed. Never content."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from copilot.db.models import AuditEvent


def record(db: Session, actor_id: uuid.UUID | None, action: str, object_type: str,
           object_id: object | None = None, outcome: str = "ok") -> AuditEvent:
    """Add an audit event to the caller's transaction (it commits with the caller's work)."""
    ev = AuditEvent(actor_id=actor_id, action=action, object_type=object_type,
                    object_id=None if object_id is None else str(object_id), outcome=outcome)
    db.add(ev)
    return ev


def record_now(db: Session, actor_id: uuid.UUID | None, action: str, object_type: str,
               object_id: object | None = None, outcome: str = "ok") -> None:
    """Record and commit at once: for reads and for denials, which have no other work."""
    record(db, actor_id, action, object_type, object_id, outcome)
    db.commit()


def events(db: Session, *, object_type: str | None = None, object_id: str | None = None,
           actor_id: uuid.UUID | None = None, limit: int = 100, before_id: int | None = None
           ) -> list[AuditEvent]:
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if object_type:
        q = q.where(AuditEvent.object_type == object_type)
    if object_id:
        q = q.where(AuditEvent.object_id == object_id)
    if actor_id:
        q = q.where(AuditEvent.actor_id == actor_id)
    if before_id:
        q = q.where(AuditEvent.id < before_id)
    return list(db.scalars(q))
