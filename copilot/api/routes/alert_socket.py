"""The alert socket: one per signed-in counselor (or supervisor, for escalations).

Frames from the server (JSON):
  {"type": "hello", "user_id", "role", "resync_interval_s"}
  {"type": "alert", "alert": {...label, score, evidence, protocol.steps...}}     (counselor)
  {"type": "escalation", "alert": {...}}                                       (supervisor)
  {"type": "ack_ok", "alert_id"} | {"type": "pong"} | {"type": "error", "detail"}
  {"type": "suggestions", "session_id", "message_id", "suggestions": {...}}
      after each client message, to a counselor socket opened with ``?suggestions=true``
      (fire and forget: never re-sent; GET /v1/sessions/{id}/suggestions has the latest)
Frames from the app:
  {"type": "ack", "alert_id": "..."} | {"type": "ping"}

Authenticate with ``Authorization: Bearer <access token>`` or ``?access_token=<token>``.
Every unacknowledged frame is sent on connect and again after any reconnect; a frame is
never sent twice on one connection, and never again once acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from copilot.db.models import User
from copilot.services import accounts, alerts
from copilot.services.alert_hub import CLOSE_BLOCKED, Connection
from copilot.services.errors import ServiceError

log = logging.getLogger(__name__)
router = APIRouter(tags=["alerts"])

CLOSE_UNAUTHORIZED = 4401


def _token(ws: WebSocket) -> str | None:
    auth = ws.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return ws.query_params.get("access_token")


def _authenticate(app, token: str | None) -> tuple[uuid.UUID, str, int] | None:  # noqa: ANN001
    if not token:
        return None
    with app.state.db.session() as db:
        try:
            u = accounts.user_for_access_token(db, app.state.token_policy.secret, token)
        except ServiceError:
            return None
        return u.id, u.role, u.token_version


def _pending(app, user_id: uuid.UUID, token_version: int) -> list[tuple[str, dict]] | None:  # noqa: ANN001
    """Unacknowledged frames, or None when the account was blocked or its tokens revoked."""
    with app.state.db.session() as db:
        u = db.get(User, user_id)
        if u is None or u.blocked or u.token_version != token_version:
            return None
        return alerts.pending_frames(db, u)


def _ack(app, user_id: uuid.UUID, alert_id: uuid.UUID) -> str:  # noqa: ANN001
    with app.state.db.session() as db:
        u = db.get(User, user_id)
        if u is None or u.blocked:
            raise PermissionError("account blocked")
        _, key = alerts.acknowledge(db, u, alert_id, via="socket")
        return key


@router.websocket("/v1/ws/alerts")
async def alert_socket(ws: WebSocket) -> None:
    app = ws.app
    auth = await run_in_threadpool(_authenticate, app, _token(ws))
    await ws.accept()
    if auth is None:
        await ws.close(code=CLOSE_UNAUTHORIZED, reason="invalid or revoked token")
        return
    user_id, role, token_version = auth
    hub, metrics, settings = app.state.hub, app.state.metrics, app.state.settings
    conn = Connection(user_id, role, ws.query_params.get("suggestions", "").lower() in ("1", "true", "yes"))
    hub.register(conn)
    metrics.sockets.inc()
    await ws.send_json({"type": "hello", "user_id": str(user_id), "role": role,
                        "resync_interval_s": settings.ws_resync_interval_s})

    async def sender() -> None:
        while True:
            item = await conn.queue.get()
            if item is None:
                await ws.close(code=conn.close_code or CLOSE_BLOCKED, reason=conn.close_reason)
                return
            key, frame = item
            if key.startswith(("alert:", "escalation:")):
                if not conn.take(key):
                    continue
                metrics.alert_pushes.labels(frame["type"], "live").inc()
            await ws.send_json(frame)

    async def resync() -> None:
        # Storage is the truth: anything not acknowledged is (re)offered; the connection's
        # dedupe set keeps each frame to one send per connection.
        while True:
            frames = await run_in_threadpool(_pending, app, user_id, token_version)
            if frames is None:
                conn.close(CLOSE_BLOCKED, "account blocked or tokens revoked")
                return
            for key, frame in frames:
                conn.offer(key, frame)
            await asyncio.sleep(settings.ws_resync_interval_s)

    async def receiver() -> None:
        while True:
            try:
                msg = await ws.receive_json()
            except WebSocketDisconnect:
                return
            except (ValueError, KeyError):
                conn.queue.put_nowait(("", {"type": "error", "detail": "frames must be JSON objects"}))
                continue
            await _handle(msg)

    async def _handle(msg: object) -> None:
        kind = msg.get("type") if isinstance(msg, dict) else None
        if kind == "ping":
            conn.queue.put_nowait(("", {"type": "pong"}))
            return
        if kind != "ack":
            conn.queue.put_nowait(("", {"type": "error", "detail": "expected type 'ack' or 'ping'"}))
            return
        try:
            alert_id = uuid.UUID(str(msg.get("alert_id")))
        except ValueError:
            conn.queue.put_nowait(("", {"type": "error", "detail": "alert_id must be a UUID"}))
            return
        try:
            key = await run_in_threadpool(_ack, app, user_id, alert_id)
        except PermissionError:
            conn.close(CLOSE_BLOCKED, "account blocked")
            return
        except ServiceError as exc:
            conn.queue.put_nowait(("", {"type": "error", "alert_id": str(alert_id),
                                        "detail": exc.message, "code": exc.code}))
            return
        hub.settle(user_id, key)
        metrics.acks.labels("socket", role).inc()
        conn.queue.put_nowait(("", {"type": "ack_ok", "alert_id": str(alert_id)}))

    tasks = [asyncio.create_task(t()) for t in (sender, resync, receiver)]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for t in done:
            if t.exception() is not None and not isinstance(t.exception(), WebSocketDisconnect):
                log.warning("alert socket ended: %s", type(t.exception()).__name__)
        # A resync that ended (account blocked) still needs the sender to close the socket.
        if tasks[1] in done and not tasks[0].done():
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                await asyncio.wait_for(tasks[0], timeout=2)
    finally:
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(BaseException):
                await t
        hub.unregister(conn)
        metrics.sockets.dec()
