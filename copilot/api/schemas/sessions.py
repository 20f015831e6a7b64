from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.api.schemas.alerts import AlertPublic
from copilot.api.schemas.analysis import AnalysisPublic, LintPublic
from copilot.api.schemas.common import MessageText, Strict

ClientRef = Annotated[str, Field(
    pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$",
    description="the counseling app's opaque client id (never a name, phone or e-mail)")]


class SessionCreate(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"client_ref": "app-client-81f3"}]})

    client_ref: ClientRef


class SessionPublic(BaseModel):
    id: uuid.UUID
    counselor_id: uuid.UUID
    client_ref: str
    client_pseudonym: str
    status: Literal["open", "closed"]
    created_at: datetime
    closed_at: datetime | None
    message_count: int
    open_alerts: int


class MessageCreate(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"role": "client", "text": "aku mau bunuh diri malam ini"},
        {"role": "counselor", "text": "Terima kasih sudah cerita. Apa yang paling berat buatmu?"}]})

    role: Literal["client", "counselor"]
    text: MessageText


class MessagePublic(BaseModel):
    id: uuid.UUID
    session_id: uuid.UUID
    seq: int
    role: str
    text: str
    created_at: datetime
    analysis: AnalysisPublic | None = None


class MessagePosted(BaseModel):
    message: MessagePublic
    alerts: list[AlertPublic] = Field(description="alerts raised (client messages), already stored")
    lint: LintPublic | None = Field(None, description="draft lint (counselor messages)")
