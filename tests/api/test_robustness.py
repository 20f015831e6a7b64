"""Limits, strict schemas, errors that name the field, health, metrics, and clean logs."""

from __future__ import annotations

import logging

from service_fixtures import CRISIS_TEXT


def test_body_over_the_limit_is_413(app_factory, db_url):
    from fastapi.testclient import TestClient

    with TestClient(app_factory(max_body_bytes=2048)) as client:
        big = {"username": "x" * 5000, "password": "y"}
        r = client.post("/v1/auth/token", json=big)
        assert r.status_code == 413 and r.json()["code"] == "E413"

        def chunks():  # no Content-Length: counted while streaming
            for _ in range(10):
                yield b"x" * 1000

        r = client.post("/v1/auth/token", content=chunks(),
                        headers={"content-type": "application/json"})
        assert r.status_code == 413


def test_message_length_limit_names_the_field_and_the_limit(app_factory, db_url):
    from fastapi.testclient import TestClient
    from service_fixtures import ApiHelper

    with TestClient(app_factory(max_message_chars=50)) as client:
        api = ApiHelper(client, db_url)
        c = api.account("counselor")
        sid = api.session(c)
        r = client.post(f"/v1/sessions/{sid}/messages", headers=c.headers,
                        json={"role": "client", "text": "a" * 51})
        assert r.status_code == 422
        err = r.json()["detail"][0]
        assert err["loc"] == ["body", "text"] and "51" in err["msg"] and "50" in err["msg"]
        r = client.post("/v1/lint", headers=c.headers, json={"text": "b" * 60})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "text"]
        r = client.post("/v1/analyze", headers=c.headers,
                        json={"role": "client", "texts": ["ok", "c" * 60]})
        assert r.json()["detail"][0]["loc"] == ["body", "texts[1]"]
        # Nothing was stored for the refused message.
        assert client.get(f"/v1/sessions/{sid}/messages", headers=c.headers).json() == []


def test_strict_schemas_name_the_field(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    url = f"/v1/sessions/{sid}/messages"
    cases = [
        ({"role": "client", "text": "hai", "extra": 1}, ["body", "extra"]),
        ({"role": "robot", "text": "hai"}, ["body", "role"]),
        ({"role": "client"}, ["body", "text"]),
        ({"role": "client", "text": ""}, ["body", "text"]),
        ({"role": "client", "text": "nul\x00byte"}, ["body", "text"]),
        ('{"role": "client", "text": "lone \\ud800 surrogate"}', ["body", "text"]),
        ({"role": "client", "text": 42}, ["body", "text"]),
    ]
    for body, loc in cases:
        if isinstance(body, str):  # raw JSON, as a client in another language may send it
            r = client.post(url, headers={**c.headers, "content-type": "application/json"},
                            content=body.encode())
        else:
            r = client.post(url, headers=c.headers, json=body)
        assert r.status_code == 422, (body, r.text)
        assert loc in [e["loc"] for e in r.json()["detail"]], (body, r.json())
        assert "input" not in r.json()["detail"][0]  # the submitted value is never echoed
    r = client.post(url, headers={**c.headers, "content-type": "application/json"},
                    content=b"{not json")
    assert r.status_code == 422
    assert client.get("/v1/sessions/not-a-uuid", headers=c.headers).status_code == 422
    r = client.post("/v1/sessions", headers=c.headers, json={"client_ref": "budi@gmail.com"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "client_ref"]


def test_health_metrics_and_request_ids(client, api):
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["database"] == "ok" and body["degraded"] is True and body["loaded"] is False
    assert body["error"]  # says why the model is missing
    assert client.get("/v1/model").json()["degraded"] is True
    c = api.account("counselor")
    sid = api.session(c)
    api.message(c, sid, CRISIS_TEXT)
    r = client.post("/v1/lint", headers=c.headers, json={"text": "halo"})
    assert len(r.headers["x-request-id"]) == 16
    m = client.get("/metrics")
    assert m.headers["content-type"].startswith("text/plain")
    text = m.text
    for name in ("copilot_http_request_seconds_bucket", "copilot_analysis_seconds_bucket",
                 'copilot_alerts_raised_total{crisis="true",label="suicidal"} 1.0',
                 'copilot_degraded_analyses_total{role="client"} 1.0', "copilot_model_degraded 1.0",
                 'route="/v1/sessions/{session_id}/messages"'):
        assert name in text, name


def test_no_personal_data_or_content_in_logs(client, api, caplog):
    from copilot.logging_setup import JsonFormatter, RedactingFilter

    caplog.set_level(logging.DEBUG)
    c = api.account("counselor")
    sid = api.session(c)
    text = "nomorku 0812-3456-7890, email budi.santoso@gmail.com, aku mau bunuh diri"
    api.message(c, sid, text)
    client.post("/v1/lint", headers=c.headers, json={"text": "wa aku 081234567890 ya"})
    client.get(f"/v1/sessions/{sid}/messages?x=budi.santoso@gmail.com", headers=c.headers)
    assert caplog.records, "the service logs each request"
    f, fmt = RedactingFilter(), JsonFormatter()
    out = []
    for rec in caplog.records:
        f.filter(rec)
        out.append(fmt.format(rec))
    blob = "\n".join(out)
    for secret in ("0812-3456-7890", "081234567890", "budi.santoso", "bunuh diri"):
        assert secret not in blob
    assert '"route": "/v1/sessions/{session_id}/messages"' in blob
