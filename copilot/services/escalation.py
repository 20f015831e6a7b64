"""Escalation: an alert left unacknowledged past the timeout goes to the counselor's supervisor.

Driven from storage alone (alerts with no acknowledgement and no escalation, older than the
timeout), so a restart loses nothing; each alert is claimed with a conditional UPDATE, so
several workers scanning the same database escalate it once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from copilot.db.models import Alert, AlertEscalation, User
from copilot.services import audit
from copilot.services.alerts import escalation_frame

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Escalated:
    alert_id: uuid.UUID
    supervisor_id: uuid.UUID | None
    frame: dict


def scan(db: Session, timeout_s: float, now: datetime | None = None, batch: int = 200
         ) -> list[Escalated]:
    """Escalate every alert unacknowledged for ``timeout_s``; return what to push to whom."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(seconds=timeout_s)
    due = list(db.scalars(select(Alert).where(
        Alert.acknowledged_at.is_(None), Alert.escalated_at.is_(None), Alert.created_at <= cutoff)
        .order_by(Alert.created_at).limit(batch)))
    out: list[Escalated] = []
    for a in due:
        claimed = db.execute(update(Alert).where(
            Alert.id == a.id, Alert.escalated_at.is_(None), Alert.acknowledged_at.is_(None))
            .values(escalated_at=now)).rowcount == 1
        if not claimed:
            continue
        counselor = db.get(User, a.counselor_id)
        sup = counselor.supervisor_id if counselor else None
        e = AlertEscalation(alert_id=a.id, supervisor_id=sup, at=now)
        db.add(e)
        audit.record(db, None, "alert.escalate", "alert", a.id)
        a.escalated_at = now
        if sup is None:
            log.warning("alert %s escalated but counselor %s has no supervisor", a.id, a.counselor_id)
        out.append(Escalated(a.id, sup, escalation_frame(a, e)))
    db.commit()
    return out
