from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class ProtocolAdherencePublic(BaseModel):
    label: str
    crisis: bool
    alert_turns: list[str] = Field(description="ids of the client messages that raised it")
    required: list[str]
    given: dict[str, str] = Field(description="step -> id of the counselor message that gave it")
    missing: list[str]
    turns_to_first_step: int | None = Field(description="counselor messages until the first step")
    complete: bool
    ruled_out: bool = Field(description="every alert of this label was assessed as no current risk")


class SessionReviewPublic(BaseModel):
    session_id: uuid.UUID
    version: str
    counselor_messages: int
    client_messages: int
    skills: dict[str, int]
    skill_source: str | None
    open_question_share: float | None
    reflection_to_question: float | None
    miti_rq_level: Literal["below", "fair", "good"] | None = Field(
        description="MITI 4.2: reflection-to-question >= 1 fair, >= 2 good"
    )
    flags: dict[str, int]
    flag_turns: dict[str, list[str]]
    opening: dict[str, Any]
    protocol: list[ProtocolAdherencePublic]
    abusive: dict[str, Any] | None
    summary: dict[str, Any] | None
    response_delays: dict[str, Any] | None
    degraded: bool
    triage_score: float
    triage_reasons: list[str]


class CounselorSessionRow(BaseModel):
    session_id: uuid.UUID
    created_at: datetime
    status: str
    triage_score: float
    reasons: list[str]
    review: SessionReviewPublic


class CounselorReviewPublic(BaseModel):
    counselor_id: uuid.UUID
    date_from: datetime | None = Field(alias="from")
    date_to: datetime | None = Field(alias="to")
    aggregate: dict[str, Any]
    sessions: list[CounselorSessionRow]

    model_config = {"populate_by_name": True}


class TriageItemPublic(BaseModel):
    session_id: uuid.UUID
    counselor_id: uuid.UUID
    created_at: datetime
    status: str
    score: float
    reasons: list[str]
