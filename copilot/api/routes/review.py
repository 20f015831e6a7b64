"""Supervisor review: a session, a counselor over a period (JSON or CSV), the triage list."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from copilot import review
from copilot.api.deps import CurrentUser, DbDep, SettingsDep
from copilot.api.schemas.review import CounselorReviewPublic, SessionReviewPublic, TriageItemPublic
from copilot.services import reviews

router = APIRouter(prefix="/v1/review", tags=["review"])
From = Annotated[
    datetime | None, Query(alias="from", description="sessions created at or after (ISO 8601)")
]
To = Annotated[datetime | None, Query(alias="to", description="sessions created before (ISO 8601)")]


def _public(session_id: uuid.UUID, r: dict) -> SessionReviewPublic:
    score, why = review.triage_score(r)
    return SessionReviewPublic.model_validate(
        {**r, "session_id": session_id, "triage_score": score, "triage_reasons": why}
    )


@router.get("/sessions/{session_id}", response_model=SessionReviewPublic)
def session_review(
    session_id: Annotated[uuid.UUID, Path()], db: DbDep, user: CurrentUser, settings: SettingsDep
) -> SessionReviewPublic:
    """Skills (open-question share, MITI reflection-to-question), flags, opening checklist,
    protocol adherence per alert, abusive-client handling, summary state, response delays."""
    return _public(
        session_id, reviews.session_review(db, user, session_id, settings.summary_mandatory_fields)
    )


@router.get(
    "/counselors/{counselor_id}",
    response_model=CounselorReviewPublic,
    responses={200: {"content": {"text/csv": {}}}},
)
def counselor_review(
    counselor_id: Annotated[uuid.UUID, Path()],
    db: DbDep,
    user: CurrentUser,
    settings: SettingsDep,
    date_from: From = None,
    date_to: To = None,
    format: Literal["json", "csv"] = "json",
):  # noqa: A002
    """A counselor's sessions in [from, to): pooled metrics and one review per session
    (their supervisor, or the counselor themself); ``format=csv`` for one row per session."""
    mandatory = settings.summary_mandatory_fields
    if format == "csv":
        text = reviews.counselor_csv(db, user, counselor_id, date_from, date_to, mandatory)
        return Response(
            text,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="review-{counselor_id}.csv"'},
        )
    c, agg, rows = reviews.counselor_review(db, user, counselor_id, date_from, date_to, mandatory)
    return CounselorReviewPublic(
        counselor_id=c.id,
        date_from=date_from,
        date_to=date_to,
        aggregate=agg,
        sessions=[{**x, "review": _public(x["session_id"], x["review"])} for x in rows],
    )


@router.get("/triage", response_model=list[TriageItemPublic])
def triage(
    db: DbDep,
    user: CurrentUser,
    settings: SettingsDep,
    date_from: From = None,
    date_to: To = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[TriageItemPublic]:
    """The sessions that most need a supervisor's eyes, with the reasons: missed crisis steps
    first, then flagged counselor messages, incomplete openings, low reflection ratio, ..."""
    return [
        TriageItemPublic.model_validate(x)
        for x in reviews.triage(
            db, user, date_from, date_to, limit, settings.summary_mandatory_fields
        )
    ]
