from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from copilot.api.schemas.common import CleanStr, Strict


class LoginRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"username": "konselor.ani", "password": "kata-sandi-yang-panjang"}]})

    username: Annotated[CleanStr, Field(min_length=1, max_length=64)]
    password: Annotated[CleanStr, Field(min_length=1, max_length=256)]


class RefreshRequest(Strict):
    refresh_token: Annotated[CleanStr, Field(min_length=1, max_length=256)]


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
