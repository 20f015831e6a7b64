"""Counseling sessions: open, list, read (audited), close."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status

from copilot.api.deps import CurrentUser, DbDep
from copilot.api.schemas.sessions import SessionCreate, SessionPublic
from copilot.api.views import session_public
from copilot.services import sessions

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])
SessionId = Annotated[uuid.UUID, Path(description="session id")]


@router.post("", response_model=SessionPublic, status_code=status.HTTP_201_CREATED)
def create_session(body: SessionCreate, db: DbDep, user: CurrentUser) -> SessionPublic:
    """Open a session between the calling counselor and a client (by the app's client id)."""
    s = sessions.create_session(db, user, body.client_ref)
    return session_public(sessions.SessionView(s, 0, 0))


@router.get("", response_model=list[SessionPublic])
def list_sessions(db: DbDep, user: CurrentUser, status: Literal["open", "closed"] | None = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[SessionPublic]:
    """Sessions the caller may see: their own (counselor) or their counselors' (supervisor)."""
    return [session_public(v) for v in sessions.list_sessions(db, user, status=status, limit=limit,
                                                               offset=offset)]


@router.get("/{session_id}", response_model=SessionPublic)
def read_session(session_id: SessionId, db: DbDep, user: CurrentUser) -> SessionPublic:
    return session_public(sessions.read_session(db, user, session_id))


@router.post("/{session_id}/close", response_model=SessionPublic,
             responses={409: {"description": "a crisis alert still needs an assessment"}})
def close_session(session_id: SessionId, db: DbDep, user: CurrentUser) -> SessionPublic:
    return session_public(sessions.close_session(db, user, session_id))
