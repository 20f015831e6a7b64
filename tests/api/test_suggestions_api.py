"""Suggestions through the real app: GET, the socket push after a client message, access."""

from __future__ import annotations

from service_fixtures import CRISIS_TEXT

OPENING = [
    (
        "counselor",
        "Halo, aku Kak Mira, konselor di Aku Pintar. Kita ngobrol pakai bahasa Indonesia ya?",
    ),
    ("client", "iya kak"),
    ("counselor", "Aku panggil kamu siapa ya?"),
    ("client", "dinda aja"),
    ("counselor", "Hai Dinda. Apa yang lagi pengen kamu ceritain?"),
]


def _post_all(api, c, sid, turns):
    for role, text in turns:
        api.message(c, sid, text, role=role)


def test_get_suggestions_ranked_with_reasons(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    r = client.get(f"/v1/sessions/{sid}/suggestions", headers=c.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["phase"] == "opening" and body["opening_missing"] == [
        "introduction",
        "language",
        "nickname",
        "topic",
    ]
    assert 3 <= len(body["items"]) <= 5 and body["items"][0]["source"] == "opening"
    _post_all(
        api, c, sid, OPENING + [("client", "keluarga kak. ayah tiriku sering marah-marah di rumah")]
    )
    body = client.get(f"/v1/sessions/{sid}/suggestions", headers=c.headers).json()
    assert body["phase"] == "exploration" and body["opening_missing"] == []
    assert body["degraded"] is True  # the test analyzer has no model
    for it in body["items"]:
        assert (
            it["text"]
            and it["why"]
            and it["type"]
            in ("open_question", "closed_question", "reflection", "summary", "protocol")
        )
    refl = [it for it in body["items"] if it["source"] == "reflection"]
    assert refl and "Dinda" in refl[0]["text"] and "ayah tirimu" in refl[0]["text"]


def test_open_crisis_alert_puts_its_protocol_first(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    _post_all(api, c, sid, OPENING)
    api.message(c, sid, CRISIS_TEXT)
    body = client.get(f"/v1/sessions/{sid}/suggestions", headers=c.headers).json()
    assert body["phase"] == "risk" and body["open_alerts"] == ["suicidal"]
    first = body["items"][0]
    assert first["type"] == "protocol" and "8.2" in first["why"]


def test_suggestions_are_pushed_after_each_client_message_to_sockets_that_ask(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    with client.websocket_connect("/v1/ws/alerts?suggestions=true", headers=c.headers) as ws:
        assert ws.receive_json()["type"] == "hello"
        posted = api.message(c, sid, "aku capek banget kak sama kerjaan di kantor")
        frame = ws.receive_json()
        assert frame["type"] == "suggestions"
        assert frame["session_id"] == sid and frame["message_id"] == posted["message"]["id"]
        assert 3 <= len(frame["suggestions"]["items"]) <= 5
        api.message(
            c, sid, "Boleh ceritakan lebih lanjut?", role="counselor"
        )  # no push after a counselor message
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
    with client.websocket_connect("/v1/ws/alerts", headers=c.headers) as ws:  # not asked for: none
        ws.receive_json()
        api.message(c, sid, "iya kak")
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}


def test_only_the_sessions_counselor_gets_suggestions(client, api):
    s = api.account("supervisor")
    c = api.account("counselor", s)
    other = api.account("counselor")
    sid = api.session(c)
    assert client.get(f"/v1/sessions/{sid}/suggestions", headers=s.headers).status_code == 403
    assert client.get(f"/v1/sessions/{sid}/suggestions", headers=other.headers).status_code == 404
