"""Sidebar suggestions for the counselor's next message (also pushed on the socket after each
client message, as a `suggestions` frame)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path

from copilot.api.deps import CurrentUser, DbDep, SuggesterDep
from copilot.api.schemas.suggestions import SuggestionsPublic
from copilot.services import suggestions

router = APIRouter(prefix="/v1/sessions/{session_id}/suggestions", tags=["suggestions"])
SessionId = Annotated[uuid.UUID, Path(description="session id")]


@router.get("", response_model=SuggestionsPublic)
def get_suggestions(
    session_id: SessionId, db: DbDep, user: CurrentUser, suggester: SuggesterDep
) -> SuggestionsPublic:
    """3-5 ranked suggestions (the session's counselor): an open crisis alert's protocol step
    first, then missing opening steps, a reflection of the client's words, and bank lines
    retrieved by similarity. Every one passed the counselor lint and the skill check."""
    return SuggestionsPublic.model_validate(
        suggestions.for_session(db, user, suggester, session_id).as_dict()
    )
