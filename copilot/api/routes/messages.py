"""Messages of a session: post (stored, analysed, alerts raised and pushed) and read."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request, status

from copilot.api.deps import (
    AnalyzerDep,
    CurrentUser,
    DbDep,
    HubDep,
    MetricsDep,
    SettingsDep,
    SuggesterDep,
)
from copilot.api.schemas.sessions import MessageCreate, MessagePosted, MessagePublic
from copilot.api.views import alert_public, lint_public, message_public
from copilot.services import messages, suggestions
from copilot.services.alerts import alert_dict

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/sessions/{session_id}/messages", tags=["messages"])
SessionId = Annotated[uuid.UUID, Path(description="session id")]


@router.post("", response_model=MessagePosted, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "session closed"},
                        422: {"description": "invalid body, or text over the length limit"}})
def post_message(session_id: SessionId, body: MessageCreate, db: DbDep, user: CurrentUser,
                 runner: AnalyzerDep, hub: HubDep, metrics: MetricsDep,
                 settings: SettingsDep, suggester: SuggesterDep, request: Request,
                 background: BackgroundTasks) -> MessagePosted:
    """Store and analyse one message. Client risk flags become alerts, stored with the message
    and then pushed to the counselor's socket; counselor messages come back with lint flags.
    After a client message, fresh suggestions follow on the socket (`suggestions` frame)."""
    posted = messages.post_message(db, runner, user, session_id, body.role, body.text,
                                   settings.max_message_chars)
    for a in posted.alerts:
        metrics.alerts_raised.labels(a.label, str(a.crisis).lower()).inc()
        try:
            hub.publish_threadsafe(a.counselor_id, f"alert:{a.id}", {"type": "alert",
                                                                     "alert": alert_dict(a)})
        except Exception:  # the alert is stored; the socket resync delivers it
            log.exception("push failed for alert %s", a.id)
    if body.role == "client":  # after the response: posting never waits for the suggestions
        background.add_task(suggestions.push_after_message, request.app.state.db, suggester, hub,
                            posted.message.session_id, posted.message.id, user.id)
    return MessagePosted(
        message=message_public(posted.message, posted.analysis),
        alerts=[alert_public(a) for a in posted.alerts],
        lint=lint_public(posted.lint) if posted.lint else None,
    )


@router.get("", response_model=list[MessagePublic])
def list_messages(session_id: SessionId, db: DbDep, user: CurrentUser,
                  after_seq: Annotated[int, Query(ge=0, le=2_000_000_000)] = 0,
                  limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[MessagePublic]:
    """The session's messages with their analyses (audit-logged read)."""
    return [message_public(m) for m in messages.list_messages(db, user, session_id,
                                                              after_seq=after_seq, limit=limit)]
