"""The session summary (guideline 7): pre-filled draft, versioned edits, approval."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Path, status

from copilot.api.deps import CurrentUser, DbDep, SettingsDep, SuggesterDep
from copilot.api.schemas.summaries import (
    SummaryApprove,
    SummaryEdit,
    SummaryPublic,
    SummaryVersionPublic,
)
from copilot.api.views import summary_public
from copilot.services import summaries

router = APIRouter(prefix="/v1/sessions/{session_id}/summary", tags=["summaries"])
SessionId = Annotated[uuid.UUID, Path(description="session id")]


@router.post(
    "",
    response_model=SummaryPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "the session already has a summary"}},
)
def create_summary(
    session_id: SessionId,
    db: DbDep,
    user: CurrentUser,
    suggester: SuggesterDep,
    settings: SettingsDep,
) -> SummaryPublic:
    """Create the pre-filled draft: every field with the messages it came from."""
    encoder = getattr(suggester.analyzer, "encoder", None)
    row = summaries.create_draft(
        db, user, session_id, encoder.embed if encoder is not None else None
    )
    return summary_public(row, settings.summary_mandatory_fields)


@router.get("", response_model=SummaryPublic)
def read_summary(
    session_id: SessionId, db: DbDep, user: CurrentUser, settings: SettingsDep
) -> SummaryPublic:
    return summary_public(summaries.read(db, user, session_id), settings.summary_mandatory_fields)


@router.put(
    "",
    response_model=SummaryPublic,
    responses={409: {"description": "approved (immutable) or a stale version"}},
)
def edit_summary(
    session_id: SessionId, body: SummaryEdit, db: DbDep, user: CurrentUser, settings: SettingsDep
) -> SummaryPublic:
    """Change fields; each change is a new version (who, when, which fields)."""
    row = summaries.edit(db, user, session_id, body.fields, body.version)
    return summary_public(row, settings.summary_mandatory_fields)


@router.post(
    "/approve",
    response_model=SummaryPublic,
    responses={
        409: {"description": "already approved, or a stale version"},
        422: {"description": "a mandatory field is empty"},
    },
)
def approve_summary(
    session_id: SessionId,
    db: DbDep,
    user: CurrentUser,
    settings: SettingsDep,
    body: Annotated[SummaryApprove | None, Body()] = None,
) -> SummaryPublic:
    """Approve: refused while a mandatory field (COPILOT_SUMMARY_MANDATORY_FIELDS) is empty;
    the summary is immutable afterwards."""
    row = summaries.approve(
        db, user, session_id, body.version if body else None, settings.summary_mandatory_fields
    )
    return summary_public(row, settings.summary_mandatory_fields)


@router.get("/versions", response_model=list[SummaryVersionPublic])
def summary_versions(
    session_id: SessionId, db: DbDep, user: CurrentUser
) -> list[SummaryVersionPublic]:
    """Every version: the full values, what changed, who and when."""
    return [
        SummaryVersionPublic.model_validate(v, from_attributes=True)
        for v in summaries.versions(db, user, session_id)
    ]
