"""Blocking an account (guideline 1.3): next request fails, sockets close, tokens revoked,
clients exportable."""

from __future__ import annotations

import csv
import io

import pytest
from service_fixtures import CRISIS_TEXT, PASSWORD
from starlette.websockets import WebSocketDisconnect


def test_block_closes_everything_and_lists_clients(client, api):
    admin = api.account("admin")
    c = api.account("counselor")
    r = client.post("/v1/auth/token", json={"username": c.username, "password": PASSWORD})
    refresh = r.json()["refresh_token"]
    for ref in ("app-klien-1", "app-klien-2", "app-klien-1"):
        sid = api.session(c, ref)
    api.message(c, sid, CRISIS_TEXT)
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
        assert ws.receive_json()["type"] == "hello"
        r = client.post(f"/v1/users/{c.id}/block", headers=admin.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["user"]["blocked"] is True and body["tokens_revoked"] is True
        assert body["sockets_closed"] == 1
        assert {(x["client_ref"], x["sessions"]) for x in body["clients"]} == {
            ("app-klien-1", 2), ("app-klien-2", 1)}
        with pytest.raises(WebSocketDisconnect) as exc:
            while True:  # pending alert frames may arrive before the close
                ws.receive_json()
        assert exc.value.code == 4403
    # Next request fails; refresh fails; log-in fails; a new socket is refused.
    assert client.get("/v1/users/me", headers=c.headers).status_code == 401
    assert client.post("/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401
    r = client.post("/v1/auth/token", json={"username": c.username, "password": PASSWORD})
    assert r.status_code == 401
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
        with pytest.raises(WebSocketDisconnect) as exc:
            ws.receive_json()
        assert exc.value.code == 4401
    # Export for informing the clients: JSON and CSV.
    j = client.get(f"/v1/users/{c.id}/clients", headers=admin.headers).json()
    assert [x["client_ref"] for x in j] == ["app-klien-1", "app-klien-2"]
    r = client.get(f"/v1/users/{c.id}/clients", params={"format": "csv"}, headers=admin.headers)
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["client_ref"] for x in rows] == ["app-klien-1", "app-klien-2"]
    assert rows[0]["sessions"] == "2"
    # Unblocking does not revive old tokens; a fresh log-in works.
    assert client.post(f"/v1/users/{c.id}/unblock", headers=admin.headers).status_code == 200
    assert client.get("/v1/users/me", headers=c.headers).status_code == 401
    r = client.post("/v1/auth/token", json={"username": c.username, "password": PASSWORD})
    assert r.status_code == 200


def test_blocked_socket_closes_even_without_the_hub(client, api, db):
    """Blocked by another worker (no in-process hub call): the socket's resync notices."""
    from copilot.services import accounts

    admin = api.account("admin")
    c = api.account("counselor")
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
        ws.receive_json()
        accounts.block_user(db, c.id, admin.id)
        with pytest.raises(WebSocketDisconnect) as exc:
            ws.receive_json()
        assert exc.value.code == 4403


def test_only_admins_block_and_not_themselves(client, api):
    admin, c, s = api.account("admin"), api.account("counselor"), api.account("supervisor")
    for who in (c, s):
        assert client.post(f"/v1/users/{admin.id}/block", headers=who.headers).status_code == 403
    r = client.post(f"/v1/users/{admin.id}/block", headers=admin.headers)
    assert r.status_code == 409
    assert client.post("/v1/users/00000000-0000-4000-8000-000000000000/block",
                       headers=admin.headers).status_code == 404
