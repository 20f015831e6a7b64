"""Messages: store, analyse, and raise alerts in one transaction (nothing lost if a push fails)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from copilot.analysis import Analysis, Evidence
from copilot.db.models import Alert, Message, MessageAnalysis, User
from copilot.labels import CLIENT_RISK, CRISIS
from copilot.services import access, audit
from copilot.services.analysis_runner import AnalysisRunner
from copilot.services.errors import Conflict, InvalidInput
from copilot.services.lint import LintResult, lint_analysis

_SEQ_RETRIES = 5


@dataclass
class PostedMessage:
    message: Message
    analysis: MessageAnalysis
    alerts: list[Alert] = field(default_factory=list)
    lint: LintResult | None = None


def evidence_json(ev: list[Evidence]) -> list[dict]:
    return [{"start": e.start, "end": e.end, "text": e.text, "origin": e.origin, "rule": e.rule}
            for e in ev]


def check_text(text: str, max_chars: int, field_name: str = "text") -> None:
    """The configured message length limit, with an error that says what and how much."""
    if len(text) > max_chars:
        raise InvalidInput(f"{field_name} has {len(text)} characters; the limit is {max_chars}",
                           code="E422_TOO_LONG", field=field_name)
    if not text.strip():
        raise InvalidInput(f"{field_name} is empty", code="E422_EMPTY", field=field_name)


def post_message(db: Session, runner: AnalysisRunner, user: User, session_id: uuid.UUID,
                 role: str, text: str, max_chars: int) -> PostedMessage:
    """Analyse and store one message of a session; client risk flags become alerts.

    The message, its analysis and its alerts commit together, before anyone is notified: a
    socket or a worker that dies afterwards loses nothing (alerts are re-sent from storage).
    """
    check_text(text, max_chars)
    s = access.session_for(db, user, session_id, "message.create", write=True, audit_read=False)
    if s.status != "open":
        raise Conflict("the session is closed", code="E409_SESSION_CLOSED")
    db.commit()  # hold no transaction open while the analyzer runs
    [a] = runner.analyze([text], role)  # type: ignore[arg-type]
    for attempt in range(_SEQ_RETRIES):
        seq = (db.scalar(select(func.max(Message.seq)).where(Message.session_id == s.id)) or 0) + 1
        msg = Message(session_id=s.id, seq=seq, role=role, text=text)
        db.add(msg)
        db.flush()
        row = _analysis_row(msg.id, a)
        db.add(row)
        alerts = _alerts(s.id, msg.id, s.counselor_id, a) if role == "client" else []
        db.add_all(alerts)
        audit.record(db, user.id, "message.create", "session", s.id)
        try:
            db.commit()
        except IntegrityError:  # a concurrent message took this seq
            db.rollback()
            if attempt == _SEQ_RETRIES - 1:
                raise Conflict("too many concurrent messages; retry", code="E409_BUSY") from None
            continue
        lint = lint_analysis(text, a) if role == "counselor" else None
        return PostedMessage(msg, row, alerts, lint)
    raise AssertionError("unreachable")


def _analysis_row(message_id: uuid.UUID, a: Analysis) -> MessageAnalysis:
    return MessageAnalysis(
        message_id=message_id, flags=list(a.flags), scores=dict(a.scores),
        evidence={k: evidence_json(v) for k, v in a.evidence.items()},
        flag_origins={k: list(v) for k, v in a.flag_origins.items()}, source=a.source,
        degraded=a.degraded, skill=a.skill, emotion=a.emotion, model=a.model,
        model_version=a.model_version,
    )


def _alerts(session_id: uuid.UUID, message_id: uuid.UUID, counselor_id: uuid.UUID,
            a: Analysis) -> list[Alert]:
    out = []
    for label in a.flags:
        if label not in CLIENT_RISK:
            continue
        origins = sorted(set(a.flag_origins.get(label, [])), key=["model", "lexicon", "pattern"].index)
        out.append(Alert(
            id=uuid.uuid4(), session_id=session_id, message_id=message_id,
            counselor_id=counselor_id, label=label, crisis=label in CRISIS,
            score=a.scores.get(label), source="+".join(origins) or a.source,
            degraded=a.degraded, evidence=evidence_json(a.evidence.get(label, [])),
        ))
    return out


def list_messages(db: Session, user: User, session_id: uuid.UUID, *, after_seq: int = 0,
                  limit: int = 100) -> list[Message]:
    s = access.session_for(db, user, session_id, "session.messages.read")
    return list(db.scalars(select(Message).where(Message.session_id == s.id, Message.seq > after_seq)
                           .order_by(Message.seq).limit(limit)))
