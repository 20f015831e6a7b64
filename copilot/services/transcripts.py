"""A stored session as the suggestion, summary and review library sees it (`copilot.transcript`)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from copilot.analysis import Analysis, Evidence
from copilot.db.models import Alert, AlertAssessment, Message, MessageAnalysis
from copilot.transcript import RaisedAlert, Turn


def analysis_of(role: str, a: MessageAnalysis | None) -> Analysis | None:
    """The stored analysis row back as the analyzer's result (evidence spans included)."""
    if a is None:
        return None
    evidence = {
        k: [
            Evidence(int(e["start"]), int(e["end"]), e["text"], e["origin"], e.get("rule"))
            for e in v
        ]
        for k, v in (a.evidence or {}).items()
    }
    return Analysis(
        role=role,
        flags=list(a.flags or []),
        scores=dict(a.scores or {}),
        evidence=evidence,
        flag_origins={k: list(v) for k, v in (a.flag_origins or {}).items()},
        source=a.source,
        degraded=a.degraded,
        skill=a.skill,
        emotion=a.emotion,
        model=a.model,
        model_version=a.model_version,
    )


def load(db: Session, session_id: uuid.UUID) -> tuple[list[Turn], list[RaisedAlert]]:
    """Turns in order (ref = message id) and the session's alerts (open = not closed)."""
    msgs = list(
        db.scalars(select(Message).where(Message.session_id == session_id).order_by(Message.seq))
    )
    turns = [
        Turn(i, m.role, m.text, analysis_of(m.role, m.analysis), id=str(m.id), at=m.created_at)
        for i, m in enumerate(msgs)
    ]
    index = {m.id: i for i, m in enumerate(msgs)}
    rows = [
        a
        for a in db.scalars(
            select(Alert).where(Alert.session_id == session_id).order_by(Alert.created_at, Alert.id)
        )
        if a.message_id in index
    ]
    outcome: dict[uuid.UUID, str] = {}  # the latest assessment of each alert
    if rows:
        q = select(AlertAssessment).where(AlertAssessment.alert_id.in_([a.id for a in rows]))
        for x in db.scalars(q.order_by(AlertAssessment.at)):
            outcome[x.alert_id] = x.outcome
    alerts = [
        RaisedAlert(a.label, index[a.message_id], a.crisis, a.closed_at is None, outcome.get(a.id))
        for a in rows
    ]
    return turns, alerts
