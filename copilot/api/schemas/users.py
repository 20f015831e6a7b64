from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.api.schemas.common import CleanStr, Strict

Username = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$",
                                description="lowercase letters, digits, '.', '_' or '-'")]
Password = Annotated[CleanStr, Field(min_length=12, max_length=256)]
DisplayName = Annotated[CleanStr, Field(min_length=1, max_length=128)]


class UserCreate(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"username": "konselor.ani", "password": "kata-sandi-yang-panjang", "role": "counselor",
         "display_name": "Ani", "supervisor_id": "6f1c0d1e-8a55-4a7c-9a8e-0c7a4f1f2b10"}]})

    username: Username
    password: Password
    role: Literal["counselor", "supervisor", "admin"]
    display_name: DisplayName | None = None
    supervisor_id: uuid.UUID | None = None


class UserUpdate(Strict):
    """Fields left out stay as they are; ``supervisor_id: null`` removes the supervisor."""

    display_name: DisplayName | None = None
    supervisor_id: uuid.UUID | None = None
    password: Password | None = None


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    role: str
    display_name: str | None
    supervisor_id: uuid.UUID | None
    blocked: bool
    blocked_at: datetime | None
    created_at: datetime


class ClientExportRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    client_ref: str
    pseudonym: str
    sessions: int
    open_sessions: int
    first_session_at: datetime
    last_session_at: datetime


class BlockPublic(BaseModel):
    user: UserPublic
    tokens_revoked: bool
    sockets_closed: int
    clients: list[ClientExportRow]
