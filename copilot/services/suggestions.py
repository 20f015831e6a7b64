"""Sidebar suggestions for a stored session: on request, and pushed after each client message."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from copilot.db.models import User
from copilot.protocol_steps import open_at
from copilot.services import access, transcripts

if TYPE_CHECKING:
    from copilot.db import Database
    from copilot.services.alert_hub import AlertHub
    from copilot.suggest import Suggester, SuggestionSet

log = logging.getLogger(__name__)


def for_session(
    db: Session, user: User, suggester: Suggester, session_id: uuid.UUID
) -> SuggestionSet:
    """Suggestions for the counselor's next message; only the session's own counselor asks."""
    s = access.session_for(db, user, session_id, "session.suggestions.read", write=True)
    turns, alerts = transcripts.load(db, s.id)
    db.commit()  # hold no transaction while the model runs
    return suggester.suggest(turns, open_at(alerts, turns))


def push_after_message(
    database: Database,
    suggester: Suggester,
    hub: AlertHub,
    session_id: uuid.UUID,
    message_id: uuid.UUID,
    counselor_id: uuid.UUID,
) -> None:
    """Compute and push a `suggestions` frame (after the response; a failure loses only the push:
    the app can always GET the suggestions)."""
    try:
        with database.session() as db:
            turns, alerts = transcripts.load(db, session_id)
        result = suggester.suggest(turns, open_at(alerts, turns))
        hub.publish_threadsafe(
            counselor_id,
            f"suggestions:{message_id}",
            {
                "type": "suggestions",
                "session_id": str(session_id),
                "message_id": str(message_id),
                "suggestions": result.as_dict(),
            },
        )
    except Exception:  # noqa: BLE001
        log.exception("suggestions push failed for session %s", session_id)
