"""The audit trail (admin only): who read or changed which object, when. Never content."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from copilot.api.deps import AdminUser, DbDep
from copilot.api.schemas.audit import AuditEventPublic
from copilot.services import audit

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=list[AuditEventPublic])
def list_events(db: DbDep, admin: AdminUser,
                object_type: Literal["session", "alert", "user"] | None = None,
                object_id: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9a-fA-F-]+$")] = None,
                actor_id: uuid.UUID | None = None,
                before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[AuditEventPublic]:
    return [AuditEventPublic.model_validate(e) for e in audit.events(
        db, object_type=object_type, object_id=object_id, actor_id=actor_id, limit=limit,
        before_id=before_id)]
