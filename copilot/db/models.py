"""The tables. Message text lives only in `messages` (and evidence spans in `analyses`/`alerts`);
audit events and logs never carry content."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from copilot.db.base import Base, utcnow

ROLES = ("counselor", "supervisor", "admin")
MESSAGE_ROLES = ("client", "counselor")
SESSION_STATUSES = ("open", "closed")
ASSESSMENT_OUTCOMES = ("no_current_risk", "risk_managed", "referred", "emergency_services")


def _in(col: str, values: tuple[str, ...]) -> str:
    return f"{col} IN ({', '.join(repr(v) for v in values)})"


def _uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(primary_key=True, default=uuid.uuid4)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str | None] = mapped_column(String(128))
    # The supervisor who reviews this counselor's sessions and receives their escalations.
    supervisor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    blocked_at: Mapped[datetime | None]
    # Bumped on block and on "revoke all": every access token carrying an older value dies.
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supervisor: Mapped[User | None] = relationship(remote_side=[id])

    @property
    def blocked(self) -> bool:
        return self.blocked_at is not None


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = _uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the opaque token
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Client(Base):
    """A pseudonymous client: the counseling app's opaque reference, never a name or contact."""

    __tablename__ = "clients"

    id: Mapped[uuid.UUID] = _uuid_pk()
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CounselingSession(Base):
    __tablename__ = "sessions"
    __table_args__ = (CheckConstraint(_in("status", SESSION_STATUSES), name="status"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    counselor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    client: Mapped[Client] = relationship(lazy="joined")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(_in("role", MESSAGE_ROLES), name="role"),
        UniqueConstraint("session_id", "seq"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the session
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    analysis: Mapped[MessageAnalysis | None] = relationship(lazy="joined", uselist=False)


class MessageAnalysis(Base):
    """What the analyzer said about a message, with where each flag came from."""

    __tablename__ = "analyses"

    id: Mapped[uuid.UUID] = _uuid_pk()
    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    flags: Mapped[list[str]]
    scores: Mapped[dict[str, Any]]
    evidence: Mapped[dict[str, Any]]
    flag_origins: Mapped[dict[str, Any]]
    source: Mapped[str] = mapped_column(String(16))
    degraded: Mapped[bool] = mapped_column(Boolean)
    skill: Mapped[str | None] = mapped_column(String(32))
    emotion: Mapped[str | None] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(128))
    model_version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alert(Base):
    """A risk flag on a client message that the counselor must see and acknowledge.

    Stored in the message's transaction, before any push. `acknowledged_at` stops re-sending;
    `closed_at` ends it: on acknowledgement for ordinary flags, only on an assessment for crises.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("message_id", "label"),
        Index("ix_alerts_counselor_pending", "counselor_id", "acknowledged_at"),
        Index("ix_alerts_escalation_scan", "acknowledged_at", "escalated_at", "created_at"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    counselor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(32))
    crisis: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    degraded: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[list[Any]]  # list of {start, end, text, origin, rule}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class AlertAcknowledgement(Base):
    __tablename__ = "alert_acknowledgements"

    id: Mapped[uuid.UUID] = _uuid_pk()
    alert_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(String(16))  # "socket" | "http"
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertAssessment(Base):
    """The counselor's risk assessment: the only thing that closes a crisis alert."""

    __tablename__ = "alert_assessments"
    __table_args__ = (CheckConstraint(_in("outcome", ASSESSMENT_OUTCOMES), name="outcome"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    alert_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertEscalation(Base):
    """An alert left unacknowledged past the timeout, handed to the counselor's supervisor."""

    __tablename__ = "alert_escalations"

    id: Mapped[uuid.UUID] = _uuid_pk()
    alert_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), unique=True)
    supervisor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]


class AuditEvent(Base):
    """Who did what to which object, when. Never content."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="ok")  # "ok" | "denied"


SUMMARY_STATUSES = ("draft", "approved")
SUMMARY_ACTIONS = ("draft", "edit", "approve")


class SessionSummary(Base):
    """The guideline-7 summary of a session: pre-filled draft, counselor edits, approval.

    Unlike the rest of storage it holds content by design (the counselor's own summary, with
    extractive quotes); it is read only through the same access checks as the messages.
    Approved summaries never change (the service refuses; every change is a version row).
    """

    __tablename__ = "session_summaries"
    __table_args__ = (CheckConstraint(_in("status", SUMMARY_STATUSES), name="status"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    values: Mapped[dict[str, Any]]  # field -> value (copilot.session_summary.FIELDS)
    sources: Mapped[dict[str, Any]]  # field -> ids of the messages a pre-filled value came from
    methods: Mapped[dict[str, Any]]  # field -> how it was filled ("counselor" once edited)
    degraded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]


class SessionSummaryVersion(Base):
    """Every state of a summary: the full values, which fields changed, who and when."""

    __tablename__ = "session_summary_versions"
    __table_args__ = (
        UniqueConstraint("summary_id", "version"),
        CheckConstraint(_in("action", SUMMARY_ACTIONS), name="action"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    summary_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("session_summaries.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    values: Mapped[dict[str, Any]]
    changed: Mapped[list[str]]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
