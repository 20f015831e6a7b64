"""Alerts: list, read (audited), acknowledge, and record a risk assessment."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from copilot.api.deps import CurrentUser, DbDep, HubDep, MetricsDep
from copilot.api.schemas.alerts import AlertDetail, AlertPublic, AssessmentCreate
from copilot.api.views import alert_detail, alert_public
from copilot.services import alerts

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])
AlertId = Annotated[uuid.UUID, Path(description="alert id")]


@router.get("", response_model=list[AlertPublic])
def list_alerts(db: DbDep, user: CurrentUser,
                status: Literal["pending", "acknowledged", "open", "closed"] | None = None,
                session_id: uuid.UUID | None = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 100,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[AlertPublic]:
    """Alerts of the sessions the caller may see. ``open`` = not closed (crisis alerts stay
    open until assessed); ``pending`` = not yet acknowledged."""
    return [alert_public(a) for a in alerts.list_alerts(db, user, status=status,
                                                        session_id=session_id, limit=limit,
                                                        offset=offset)]


@router.get("/{alert_id}", response_model=AlertDetail)
def read_alert(alert_id: AlertId, db: DbDep, user: CurrentUser) -> AlertDetail:
    return alert_detail(*alerts.read_alert(db, user, alert_id))


@router.post("/{alert_id}/ack", response_model=AlertPublic)
def acknowledge(alert_id: AlertId, db: DbDep, user: CurrentUser, hub: HubDep,
                metrics: MetricsDep) -> AlertPublic:
    """Acknowledge an alert (its counselor) or its escalation (the supervisor). Idempotent.
    The socket's ``{"type": "ack", "alert_id": ...}`` frame does the same."""
    a, key = alerts.acknowledge(db, user, alert_id, via="http")
    hub.settle_threadsafe(user.id, key)
    metrics.acks.labels("http", user.role).inc()
    return alert_public(a)


@router.post("/{alert_id}/assessment", response_model=AlertPublic)
def assess(alert_id: AlertId, body: AssessmentCreate, db: DbDep, user: CurrentUser,
           hub: HubDep, metrics: MetricsDep) -> AlertPublic:
    """Record the counselor's risk assessment; the only way a crisis alert closes."""
    a = alerts.assess(db, user, alert_id, body.outcome, body.note)
    hub.settle_threadsafe(user.id, f"alert:{a.id}")
    metrics.assessments.labels(body.outcome).inc()
    return alert_public(a)
