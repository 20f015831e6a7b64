from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.api.schemas.common import Strict


class SummaryFieldPublic(BaseModel):
    value: Any
    sources: list[str] = Field(description="ids of the messages the pre-filled value came from")
    method: str = Field(
        description="how it was filled (opening_checklist, centrality+mmr, alerts, "
        "protocol_steps, skill_head, cues, counselor, ...)"
    )


class SummaryPublic(BaseModel):
    id: uuid.UUID
    session_id: uuid.UUID
    status: Literal["draft", "approved"]
    version: int
    fields: dict[str, SummaryFieldPublic]
    mandatory: list[str]
    missing_mandatory: list[str]
    degraded: bool
    created_by: uuid.UUID
    created_at: datetime
    updated_by: uuid.UUID
    updated_at: datetime
    approved_by: uuid.UUID | None
    approved_at: datetime | None


class SummaryEdit(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "fields": {
                        "rencana_tindak_lanjut": "Klien akan menelepon 119 bila dorongan muncul.",
                        "catatan_konselor": "Risiko dinilai sedang.",
                    },
                    "version": 1,
                }
            ]
        },
    )

    fields: dict[str, Any] = Field(description="fields to change (others stay)")
    version: int | None = Field(None, ge=1, description="the version edited; 409 if it is stale")


class SummaryApprove(Strict):
    version: int | None = Field(None, ge=1, description="the version approved; 409 if it is stale")


class SummaryVersionPublic(BaseModel):
    version: int
    action: Literal["draft", "edit", "approve"]
    changed: list[str]
    values: dict[str, Any]
    user_id: uuid.UUID
    at: datetime
