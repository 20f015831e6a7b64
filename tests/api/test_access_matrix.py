"""Every route x every role x someone else's object: no leaks (guideline 1.1).

The matrix is built from the OpenAPI spec itself, so a new route without an entry fails here.
"""

from __future__ import annotations

import pytest
from service_fixtures import CRISIS_TEXT

PUBLIC = {("GET", "/health/live"), ("GET", "/health/ready"), ("GET", "/v1/model"),
          ("GET", "/metrics"), ("POST", "/v1/auth/token"), ("POST", "/v1/auth/refresh"),
          ("POST", "/v1/auth/logout")}
SECRET_TEXT = CRISIS_TEXT + " rahasia-klien-A"


@pytest.fixture
def world(api):
    """Two teams: supervisor S1 -> counselor A, supervisor S2 -> counselor B; one admin."""
    s1, s2 = api.account("supervisor"), api.account("supervisor")
    a, b = api.account("counselor", s1), api.account("counselor", s2)
    admin = api.account("admin")
    sa = api.session(a, "client-of-a")
    posted = api.message(a, sa, SECRET_TEXT)
    alert_a = posted["alerts"][0]["id"]
    sb = api.session(b, "client-of-b")
    return {"A": a, "B": b, "S1": s1, "S2": s2, "admin": admin, "session_a": sa,
            "alert_a": alert_a, "session_b": sb}


def _routes(client) -> set[tuple[str, str]]:
    spec = client.app.openapi()
    return {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}


# (method, path, body): requests against A's objects (and A's account, for admin routes).
def _requests(w) -> dict[tuple[str, str], tuple[str, dict | None]]:
    sa, al, a = w["session_a"], w["alert_a"], w["A"].id
    return {
        ("GET", "/v1/users/me"): ("/v1/users/me", None),
        ("POST", "/v1/users"): ("/v1/users", {"username": "mallory-x", "password": "p" * 16,
                                              "role": "admin"}),
        ("GET", "/v1/users"): ("/v1/users", None),
        ("GET", "/v1/users/{user_id}"): (f"/v1/users/{a}", None),
        ("PATCH", "/v1/users/{user_id}"): (f"/v1/users/{a}", {"supervisor_id": None}),
        ("POST", "/v1/users/{user_id}/block"): (f"/v1/users/{a}/block", None),
        ("POST", "/v1/users/{user_id}/unblock"): (f"/v1/users/{a}/unblock", None),
        ("GET", "/v1/users/{user_id}/clients"): (f"/v1/users/{a}/clients", None),
        ("POST", "/v1/sessions"): ("/v1/sessions", {"client_ref": "client-of-a"}),
        ("GET", "/v1/sessions"): ("/v1/sessions", None),
        ("GET", "/v1/sessions/{session_id}"): (f"/v1/sessions/{sa}", None),
        ("POST", "/v1/sessions/{session_id}/close"): (f"/v1/sessions/{sa}/close", None),
        ("POST", "/v1/sessions/{session_id}/messages"): (
            f"/v1/sessions/{sa}/messages", {"role": "client", "text": "halo"}),
        ("GET", "/v1/sessions/{session_id}/messages"): (f"/v1/sessions/{sa}/messages", None),
        ("GET", "/v1/alerts"): ("/v1/alerts", None),
        ("GET", "/v1/alerts/{alert_id}"): (f"/v1/alerts/{al}", None),
        ("POST", "/v1/alerts/{alert_id}/ack"): (f"/v1/alerts/{al}/ack", None),
        ("POST", "/v1/alerts/{alert_id}/assessment"): (
            f"/v1/alerts/{al}/assessment", {"outcome": "no_current_risk"}),
        ("POST", "/v1/lint"): ("/v1/lint", {"text": "halo"}),
        ("POST", "/v1/analyze"): ("/v1/analyze", {"role": "client", "texts": ["halo"]}),
        ("GET", "/v1/audit"): ("/v1/audit", None),
        # issue 7: suggestions, summary, review
        ("GET", "/v1/sessions/{session_id}/suggestions"): (f"/v1/sessions/{sa}/suggestions", None),
        ("POST", "/v1/sessions/{session_id}/summary"): (f"/v1/sessions/{sa}/summary", None),
        ("GET", "/v1/sessions/{session_id}/summary"): (f"/v1/sessions/{sa}/summary", None),
        ("PUT", "/v1/sessions/{session_id}/summary"): (
            f"/v1/sessions/{sa}/summary", {"fields": {"catatan_konselor": "catatan"}}),
        ("POST", "/v1/sessions/{session_id}/summary/approve"): (f"/v1/sessions/{sa}/summary/approve", None),
        ("GET", "/v1/sessions/{session_id}/summary/versions"): (f"/v1/sessions/{sa}/summary/versions", None),
        ("GET", "/v1/review/sessions/{session_id}"): (f"/v1/review/sessions/{sa}", None),
        ("GET", "/v1/review/counselors/{counselor_id}"): (f"/v1/review/counselors/{a}", None),
        ("GET", "/v1/review/triage"): ("/v1/review/triage", None),
    }


ADMIN_ONLY = {("POST", "/v1/users"), ("GET", "/v1/users"), ("GET", "/v1/users/{user_id}"),
              ("PATCH", "/v1/users/{user_id}"), ("POST", "/v1/users/{user_id}/block"),
              ("POST", "/v1/users/{user_id}/unblock"), ("GET", "/v1/users/{user_id}/clients"),
              ("GET", "/v1/audit")}
# Routes on A's session/alert: only A (all) and S1 (reads) may touch them.
SESSION_OBJECT = {("GET", "/v1/sessions/{session_id}"), ("POST", "/v1/sessions/{session_id}/close"),
                  ("POST", "/v1/sessions/{session_id}/messages"),
                  ("GET", "/v1/sessions/{session_id}/messages"), ("GET", "/v1/alerts/{alert_id}"),
                  ("POST", "/v1/alerts/{alert_id}/ack"), ("POST", "/v1/alerts/{alert_id}/assessment"),
                  ("GET", "/v1/sessions/{session_id}/suggestions"), ("POST", "/v1/sessions/{session_id}/summary"),
                  ("GET", "/v1/sessions/{session_id}/summary"), ("PUT", "/v1/sessions/{session_id}/summary"),
                  ("POST", "/v1/sessions/{session_id}/summary/approve"),
                  ("GET", "/v1/sessions/{session_id}/summary/versions"),
                  ("GET", "/v1/review/sessions/{session_id}"), ("GET", "/v1/review/counselors/{counselor_id}")}
ANY_USER = {("GET", "/v1/users/me"), ("POST", "/v1/lint"), ("POST", "/v1/analyze"),
            ("GET", "/v1/sessions"), ("GET", "/v1/alerts"), ("GET", "/v1/review/triage")}


def _call(client, method, path, body, headers):
    return client.request(method, path, json=body, headers=headers)


def test_matrix_covers_every_route(client, world):
    http_routes = _routes(client)
    covered = set(_requests(world)) | PUBLIC
    assert http_routes - covered == set(), "routes missing from the access matrix"
    assert ADMIN_ONLY | SESSION_OBJECT | ANY_USER | {("POST", "/v1/sessions")} == set(_requests(world))


def test_no_token_no_access(client, world):
    for (method, _), (path, body) in _requests(world).items():
        r = _call(client, method, path, body, {})
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers.get("www-authenticate") == "Bearer"
        assert "rahasia" not in r.text


@pytest.mark.parametrize("role", ["B", "S2", "admin"])
def test_others_cannot_touch_counselor_a_objects(client, world, role):
    """B (another counselor), S2 (another team's supervisor) and the admin never see A's
    session, messages or alerts; nobody but the admin manages accounts."""
    who = world[role]
    for key, (path, body) in _requests(world).items():
        method = key[0]
        r = _call(client, method, path, body, who.headers)
        if key in SESSION_OBJECT:
            assert r.status_code in (403, 404), (role, key, r.status_code)
        elif key in ADMIN_ONLY and role != "admin":
            assert r.status_code == 403, (role, key, r.status_code)
        elif key == ("POST", "/v1/sessions") and role != "B":
            assert r.status_code == 403, (role, key, r.status_code)
        else:
            assert r.status_code < 400 or key in ADMIN_ONLY, (role, key, r.status_code, r.text)
        # Whatever the status: A's client text, evidence and session id never appear.
        assert "rahasia-klien-A" not in r.text, (role, key)
        assert "bunuh diri" not in r.text, (role, key)
        if key not in ADMIN_ONLY:
            assert world["session_a"] not in r.text, (role, key)
        assert world["alert_a"] not in r.text or key == ("GET", "/v1/audit"), (role, key)


def test_own_counselor_and_supervisor(client, world):
    a, s1 = world["A"], world["S1"]
    sa, al = world["session_a"], world["alert_a"]
    reads = [f"/v1/sessions/{sa}", f"/v1/sessions/{sa}/messages", f"/v1/alerts/{al}",
             "/v1/sessions", "/v1/alerts"]
    for who in (a, s1):
        for path in reads:
            r = client.get(path, headers=who.headers)
            assert r.status_code == 200, (who.role, path, r.text)
        assert sa in client.get("/v1/sessions", headers=who.headers).text
    # The supervisor reads, never writes, in a counselor's session.
    r = client.post(f"/v1/sessions/{sa}/messages", headers=s1.headers,
                    json={"role": "client", "text": "halo"})
    assert r.status_code == 403
    assert client.post(f"/v1/alerts/{al}/ack", headers=s1.headers).status_code == 403
    r = client.post(f"/v1/alerts/{al}/assessment", headers=s1.headers,
                    json={"outcome": "risk_managed"})
    assert r.status_code == 403  # not escalated yet
    assert client.post(f"/v1/sessions/{sa}/close", headers=s1.headers).status_code == 403
    # Admin manages accounts but sees no session content.
    admin = world["admin"]
    assert client.get("/v1/sessions", headers=admin.headers).json() == []
    assert client.get("/v1/alerts", headers=admin.headers).json() == []


def test_lists_hold_only_visible_objects(client, world):
    b_sessions = client.get("/v1/sessions", headers=world["B"].headers).json()
    assert [s["id"] for s in b_sessions] == [world["session_b"]]
    s2_sessions = client.get("/v1/sessions", headers=world["S2"].headers).json()
    assert [s["id"] for s in s2_sessions] == [world["session_b"]]
    for who in ("B", "S2"):
        assert client.get("/v1/alerts", headers=world[who].headers).json() == []
        r = client.get("/v1/alerts", params={"session_id": world["session_a"]},
                       headers=world[who].headers)
        assert r.status_code == 404


def test_every_session_read_is_audited_without_content(client, world, db):
    from sqlalchemy import select

    from copilot.db.models import AuditEvent

    a, b, s1 = world["A"], world["B"], world["S1"]
    sa = world["session_a"]
    client.get(f"/v1/sessions/{sa}", headers=s1.headers)
    client.get(f"/v1/sessions/{sa}/messages", headers=a.headers)
    client.get(f"/v1/sessions/{sa}", headers=b.headers)  # denied, still audited
    events = db.scalars(select(AuditEvent).where(AuditEvent.object_id == sa)).all()
    seen = {(e.actor_id, e.action, e.outcome) for e in events}
    assert (s1.id, "session.read", "ok") in seen
    assert (a.id, "session.messages.read", "ok") in seen
    assert (b.id, "session.read", "denied") in seen
    assert all(e.at is not None for e in events)
    # Nothing in the audit table carries message content.
    for e in db.scalars(select(AuditEvent)).all():
        blob = " ".join(str(v) for v in (e.action, e.object_type, e.object_id, e.outcome))
        assert "bunuh" not in blob and "rahasia" not in blob
    # The admin reads the trail through the API.
    r = client.get("/v1/audit", params={"object_type": "session", "object_id": sa},
                   headers=world["admin"].headers)
    assert r.status_code == 200
    assert {ev["action"] for ev in r.json()} >= {"session.read", "session.messages.read"}
