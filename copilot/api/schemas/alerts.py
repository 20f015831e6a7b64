from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.api.schemas.analysis import EvidencePublic
from copilot.api.schemas.common import CleanStr, Strict


class ProtocolPublic(BaseModel):
    label: str
    guideline_item: str
    title: str
    steps: list[str]
    referrals: list[str]
    crisis: bool
    version: str


class EscalationPublic(BaseModel):
    supervisor_id: uuid.UUID | None
    at: datetime
    acknowledged_at: datetime | None


class AlertPublic(BaseModel):
    id: uuid.UUID
    session_id: uuid.UUID
    message_id: uuid.UUID
    counselor_id: uuid.UUID
    label: str
    crisis: bool
    score: float | None
    source: str
    degraded: bool
    evidence: list[EvidencePublic]
    status: Literal["pending", "acknowledged", "closed"]
    needs_assessment: bool
    created_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None
    protocol: ProtocolPublic
    escalation: EscalationPublic | None = None


class AssessmentCreate(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"outcome": "referred", "note": "Klien setuju menghubungi 119 dan psikolog besok."}]})

    outcome: Literal["no_current_risk", "risk_managed", "referred", "emergency_services"]
    note: Annotated[CleanStr, Field(max_length=2000)] | None = None


class AssessmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    outcome: str
    note: str | None
    at: datetime


class AlertDetail(AlertPublic):
    assessments: list[AssessmentPublic] = []
