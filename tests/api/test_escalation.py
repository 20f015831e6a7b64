"""Escalation to the supervisor's socket: on time, never for acknowledged alerts, and from
stored state (it survives a restart)."""

from __future__ import annotations

import time
from datetime import datetime

from fastapi.testclient import TestClient
from service_fixtures import CRISIS_TEXT, ApiHelper

TIMEOUT = 0.4


def _next_of_type(ws, kind: str) -> dict:
    while True:
        f = ws.receive_json()
        if f["type"] == kind:
            return f


def test_unacknowledged_alert_reaches_the_supervisor_after_the_timeout(app_factory, db_url):
    with TestClient(app_factory(escalation_timeout_s=TIMEOUT)) as client:
        api = ApiHelper(client, db_url)
        sup = api.account("supervisor")
        c = api.account("counselor", sup)
        sid = api.session(c)
        with client.websocket_connect("/v1/ws/alerts", headers=sup.headers) as ws:
            ws.receive_json()
            t0 = time.monotonic()
            posted = api.message(c, sid, CRISIS_TEXT)
            frame = _next_of_type(ws, "escalation")
            waited = time.monotonic() - t0
            aid = posted["alerts"][0]["id"]
            assert frame["alert"]["id"] == aid
            assert frame["alert"]["escalation"]["supervisor_id"] == str(sup.id)
            assert "119" in " ".join(frame["alert"]["protocol"]["steps"])
            created = datetime.fromisoformat(posted["alerts"][0]["created_at"])
            escalated = datetime.fromisoformat(frame["alert"]["escalated_at"])
            assert (escalated - created).total_seconds() >= TIMEOUT  # never early
            assert waited < TIMEOUT + 3  # and not much later than the scan interval
            # The supervisor acknowledges the escalation on the socket.
            ws.send_json({"type": "ack", "alert_id": aid})
            assert _next_of_type(ws, "ack_ok")["alert_id"] == aid
        # Once escalated, the supervisor may record the assessment.
        r = client.post(f"/v1/alerts/{aid}/assessment", headers=sup.headers,
                        json={"outcome": "emergency_services"})
        assert r.status_code == 200 and r.json()["status"] == "closed"
        # And the escalation is not sent again.
        with client.websocket_connect("/v1/ws/alerts", headers=sup.headers) as ws:
            ws.receive_json()
            time.sleep(0.5)
            ws.send_json({"type": "ping"})
            assert ws.receive_json()["type"] == "pong"
        metrics = client.get("/metrics").text
        assert 'copilot_escalations_total{has_supervisor="true"} 1.0' in metrics


def test_acknowledged_alert_is_never_escalated(app_factory, db_url):
    with TestClient(app_factory(escalation_timeout_s=TIMEOUT)) as client:
        api = ApiHelper(client, db_url)
        sup = api.account("supervisor")
        c = api.account("counselor", sup)
        sid = api.session(c)
        aid = api.message(c, sid, CRISIS_TEXT)["alerts"][0]["id"]
        assert client.post(f"/v1/alerts/{aid}/ack", headers=c.headers).status_code == 200
        time.sleep(TIMEOUT + 0.4)
        assert client.get(f"/v1/alerts/{aid}", headers=c.headers).json()["escalated_at"] is None
        with client.websocket_connect("/v1/ws/alerts", headers=sup.headers) as ws:
            ws.receive_json()
            ws.send_json({"type": "ping"})
            assert ws.receive_json()["type"] == "pong"


def test_escalation_survives_a_restart(app_factory, db_url):
    # First process: the alert is stored, nobody acknowledges, the process stops long
    # before the timeout.
    with TestClient(app_factory(escalation_timeout_s=3600)) as client:
        api = ApiHelper(client, db_url)
        sup = api.account("supervisor")
        c = api.account("counselor", sup)
        aid = api.message(c, api.session(c), CRISIS_TEXT)["alerts"][0]["id"]
    time.sleep(TIMEOUT)
    # Second process, same storage: the scan finds it from stored state alone.
    with TestClient(app_factory(escalation_timeout_s=TIMEOUT)) as client:
        with client.websocket_connect("/v1/ws/alerts", headers=sup.headers) as ws:
            ws.receive_json()
            frame = _next_of_type(ws, "escalation")
        assert frame["alert"]["id"] == aid
        # The counselor, reconnecting, still gets the original alert too.
        with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:
            ws.receive_json()
            assert _next_of_type(ws, "alert")["alert"]["id"] == aid


def test_counselor_without_supervisor_is_escalated_and_recorded(app_factory, db_url):
    with TestClient(app_factory(escalation_timeout_s=0.1)) as client:
        api = ApiHelper(client, db_url)
        c = api.account("counselor")
        aid = api.message(c, api.session(c), CRISIS_TEXT)["alerts"][0]["id"]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            a = client.get(f"/v1/alerts/{aid}", headers=c.headers).json()
            if a["escalated_at"]:
                break
            time.sleep(0.05)
        assert a["escalated_at"] and a["escalation"]["supervisor_id"] is None
