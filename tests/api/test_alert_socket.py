"""The alert socket: push, acknowledgement, re-send on reconnect, crisis alerts stay open."""

from __future__ import annotations

import time

import pytest
from service_fixtures import CRISIS_TEXT
from starlette.websockets import WebSocketDisconnect


def _frames_until_pong(ws) -> list[dict]:
    """Every frame the server sends before answering a ping (no blocking receive without end)."""
    ws.send_json({"type": "ping"})
    out = []
    while True:
        f = ws.receive_json()
        if f["type"] == "pong":
            return out
        out.append(f)


def _settle(client) -> None:
    # Two resync intervals: anything the server would (re)send is queued by then.
    time.sleep(2.5 * client.app.state.settings.ws_resync_interval_s)


def test_alert_is_pushed_with_protocol_and_evidence(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
        assert ws.receive_json()["type"] == "hello"
        posted = api.message(c, sid, CRISIS_TEXT)
        frame = ws.receive_json()
    assert frame["type"] == "alert"
    a = frame["alert"]
    assert a["id"] == posted["alerts"][0]["id"]
    assert a["label"] == "suicidal" and a["crisis"] is True
    assert a["degraded"] is True and a["source"] == "lexicon"
    assert a["evidence"] and CRISIS_TEXT[a["evidence"][0]["start"]:a["evidence"][0]["end"]]
    steps = " ".join(a["protocol"]["steps"])
    assert "119" in steps and "psikolog atau psikiater" in steps
    assert a["status"] == "pending" and a["needs_assessment"] is True


def test_unacknowledged_alerts_are_resent_on_reconnect_and_never_after_ack(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    ids = [api.message(c, sid, f"{CRISIS_TEXT} ({i})")["alerts"][0]["id"] for i in range(3)]
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
        ws.receive_json()
        got = [ws.receive_json()["alert"]["id"] for _ in ids]
        assert got == ids  # oldest first
        ws.send_json({"type": "ack", "alert_id": ids[0]})
        assert ws.receive_json() == {"type": "ack_ok", "alert_id": ids[0]}
        _settle(client)
        assert _frames_until_pong(ws) == []  # nothing twice on one connection
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
        ws.receive_json()
        _settle(client)
        again = [f["alert"]["id"] for f in _frames_until_pong(ws)]
    assert again == ids[1:]  # the acknowledged one never comes back


def test_http_ack_settles_live_connections(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
        ws.receive_json()
        aid = api.message(c, sid, CRISIS_TEXT)["alerts"][0]["id"]
        assert ws.receive_json()["alert"]["id"] == aid
        r = client.post(f"/v1/alerts/{aid}/ack", headers=c.headers)
        assert r.status_code == 200 and r.json()["status"] == "acknowledged"
        assert client.post(f"/v1/alerts/{aid}/ack", headers=c.headers).status_code == 200  # idempotent
        _settle(client)
        assert _frames_until_pong(ws) == []


def test_crisis_alert_stays_open_until_assessment(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    aid = api.message(c, sid, CRISIS_TEXT)["alerts"][0]["id"]
    client.post(f"/v1/alerts/{aid}/ack", headers=c.headers)
    # The client takes it back; the alert does not close by itself.
    later = api.message(c, sid, "hehe cuma bercanda kok, lupain aja")
    assert later["alerts"] == []
    alert = client.get(f"/v1/alerts/{aid}", headers=c.headers).json()
    assert alert["status"] == "acknowledged" and alert["needs_assessment"] is True
    assert [a["id"] for a in client.get("/v1/alerts", params={"status": "open"},
                                        headers=c.headers).json()] == [aid]
    r = client.post(f"/v1/sessions/{sid}/close", headers=c.headers)
    assert r.status_code == 409 and r.json()["code"] == "E409_OPEN_CRISIS"
    r = client.post(f"/v1/alerts/{aid}/assessment", headers=c.headers,
                    json={"outcome": "risk_managed", "note": "sudah dicek, klien aman"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    detail = client.get(f"/v1/alerts/{aid}", headers=c.headers).json()
    assert detail["assessments"][0]["outcome"] == "risk_managed"
    assert client.post(f"/v1/sessions/{sid}/close", headers=c.headers).json()["status"] == "closed"
    r = client.post(f"/v1/sessions/{sid}/messages", headers=c.headers,
                    json={"role": "client", "text": "halo"})
    assert r.status_code == 409


def test_socket_rejects_bad_tokens_and_bad_frames(client, api):
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        with client.websocket_connect("/v1/ws/alerts", headers=headers) as ws:
            with pytest.raises(WebSocketDisconnect) as exc:
                ws.receive_json()
            assert exc.value.code == 4401
    c = api.account("counselor")
    with client.websocket_connect(f"/v1/ws/alerts?access_token={c.token}") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_text("not json")
        assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "ack", "alert_id": "not-a-uuid"})
        assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "ack", "alert_id": "00000000-0000-4000-8000-000000000000"})
        assert ws.receive_json()["code"] == "E404"
        ws.send_json(["a", "list"])
        assert ws.receive_json()["type"] == "error"


def test_another_counselors_socket_gets_nothing(client, api):
    a, b = api.account("counselor"), api.account("counselor")
    sid = api.session(a)
    with client.websocket_connect("/v1/ws/alerts", headers=b.headers) as ws:
        ws.receive_json()
        aid = api.message(a, sid, CRISIS_TEXT)["alerts"][0]["id"]
        ws.send_json({"type": "ack", "alert_id": aid})
        assert ws.receive_json()["code"] == "E404"
        _settle(client)
        assert _frames_until_pong(ws) == []
