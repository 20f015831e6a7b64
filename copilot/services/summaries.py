"""Session summaries (guideline 7): a pre-filled draft, versioned edits, approval, then immutable.

Every change is a new version row holding the full values, who made it and when; approval
is refused while a configured mandatory field is empty, and nothing changes after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from copilot.db.models import SessionSummary, SessionSummaryVersion, User
from copilot.services import access, audit, transcripts
from copilot.services.errors import Conflict, InvalidInput, NotFound
from copilot.session_summary import (
    FIELDS,
    SummaryError,
    draft_summary,
    missing_mandatory,
    validate_values,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _get(db: Session, session_id: uuid.UUID) -> SessionSummary | None:
    return db.scalar(select(SessionSummary).where(SessionSummary.session_id == session_id))


def _version(db: Session, row: SessionSummary, user: User, action: str, changed: list[str]) -> None:
    db.add(
        SessionSummaryVersion(
            summary_id=row.id,
            version=row.version,
            action=action,
            values=dict(row.values),
            changed=changed,
            user_id=user.id,
        )
    )


def create_draft(
    db: Session, user: User, session_id: uuid.UUID, embed: Callable[[list[str]], np.ndarray] | None
) -> SessionSummary:
    """Pre-fill the summary from the session (the session's counselor); one per session."""
    s = access.session_for(db, user, session_id, "summary.create", write=True, audit_read=False)
    if _get(db, s.id) is not None:
        raise Conflict(
            "this session already has a summary; edit it with PUT", code="E409_SUMMARY_EXISTS"
        )
    turns, alerts = transcripts.load(db, s.id)
    db.commit()
    draft = draft_summary(turns, alerts, embed)
    row = SessionSummary(
        session_id=s.id,
        status="draft",
        version=1,
        values=draft.values(),
        sources={k: [str(x) for x in v] for k, v in draft.sources().items()},
        methods={k: f.method for k, f in draft.fields.items()},
        degraded=draft.degraded,
        created_by=user.id,
        updated_by=user.id,
    )
    db.add(row)
    db.flush()
    _version(db, row, user, "draft", list(FIELDS))
    audit.record(db, user.id, "summary.create", "session", s.id)
    db.commit()
    return row


def read(db: Session, user: User, session_id: uuid.UUID) -> SessionSummary:
    """The summary (counselor or supervisor; audited); 404 before a draft exists."""
    s = access.session_for(db, user, session_id, "summary.read")
    row = _get(db, s.id)
    if row is None:
        raise NotFound("this session has no summary yet; POST creates the draft")
    return row


def edit(
    db: Session, user: User, session_id: uuid.UUID, fields: dict, base_version: int | None
) -> SessionSummary:
    """Change fields (the session's counselor); refused once approved or on a stale version."""
    s = access.session_for(db, user, session_id, "summary.edit", write=True, audit_read=False)
    row = _locked(db, s.id)
    _check_base(row, base_version)
    try:
        clean = validate_values(fields)
    except SummaryError as exc:
        raise InvalidInput(exc.message, code=exc.code, field=exc.field) from None
    changed = [k for k in FIELDS if k in clean and clean[k] != row.values.get(k)]
    if changed:
        row.values = {**row.values, **{k: clean[k] for k in changed}}
        row.methods = {**row.methods, **dict.fromkeys(changed, "counselor")}
        row.version += 1
        row.updated_by, row.updated_at = user.id, _now()
        _version(db, row, user, "edit", changed)
    audit.record(db, user.id, "summary.edit", "session", s.id)
    db.commit()
    return row


def approve(
    db: Session,
    user: User,
    session_id: uuid.UUID,
    base_version: int | None,
    mandatory: Sequence[str],
) -> SessionSummary:
    """Approve (the session's counselor): every mandatory field filled; immutable afterwards."""
    s = access.session_for(db, user, session_id, "summary.approve", write=True, audit_read=False)
    row = _locked(db, s.id)
    _check_base(row, base_version)
    missing = missing_mandatory(row.values, mandatory)
    if missing:
        raise InvalidInput(
            f"mandatory summary fields are empty: {', '.join(missing)}",
            code="E422_SUMMARY_INCOMPLETE",
            field=missing[0],
        )
    row.status, row.approved_by, row.approved_at = "approved", user.id, _now()
    row.version += 1
    _version(db, row, user, "approve", [])
    audit.record(db, user.id, "summary.approve", "session", s.id)
    db.commit()
    return row


def versions(db: Session, user: User, session_id: uuid.UUID) -> list[SessionSummaryVersion]:
    row = read(db, user, session_id)
    return list(
        db.scalars(
            select(SessionSummaryVersion)
            .where(SessionSummaryVersion.summary_id == row.id)
            .order_by(SessionSummaryVersion.version)
        )
    )


def _locked(db: Session, session_id: uuid.UUID) -> SessionSummary:
    row = db.scalar(
        select(SessionSummary).where(SessionSummary.session_id == session_id).with_for_update()
    )
    if row is None:
        raise NotFound("this session has no summary yet; POST creates the draft")
    if row.status == "approved":
        raise Conflict(
            "the summary is approved and can no longer change", code="E409_SUMMARY_APPROVED"
        )
    return row


def _check_base(row: SessionSummary, base_version: int | None) -> None:
    # Optimistic concurrency: a change made on an older version must not silently overwrite.
    if base_version is not None and base_version != row.version:
        raise Conflict(
            f"the summary is at version {row.version}, not {base_version}; reload and retry",
            code="E409_SUMMARY_VERSION",
        )


def state(row: SessionSummary | None, mandatory: Sequence[str]) -> dict:
    """What the review records about the summary."""
    if row is None:
        return {"drafted": False, "approved": False, "missing": list(mandatory)}
    return {
        "drafted": True,
        "approved": row.status == "approved",
        "missing": missing_mandatory(row.values, mandatory),
    }
