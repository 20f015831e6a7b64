"""Supervisor review through the real app: one session, a counselor over time (JSON, CSV), triage."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

RISKY = [
    ("counselor", "Ada yang bisa dibantu?"),
    ("client", "aku mau bunuh diri malam ini"),
    ("counselor", "Kamu harusnya bersyukur, masih banyak yang lebih susah."),
    ("client", "kakak ga ngerti"),
    ("counselor", "Tolong telepon 119 ya kalau dorongan itu datang."),
]
CLEAN = [
    ("counselor", "Halo, saya Kak Rina, konselor di Aku Pintar. Kita pakai bahasa Indonesia ya?"),
    ("client", "iya kak"),
    ("counselor", "Kamu mau dipanggil siapa?"),
    ("client", "dina"),
    ("counselor", "Dina, apa yang mau kamu ceritakan?"),
    ("client", "aku capek sama kerjaan kak"),
    ("counselor", "Kedengarannya kamu lelah sekali dengan kerjaanmu."),
]


@pytest.fixture
def team(api):
    s1, s2 = api.account("supervisor"), api.account("supervisor")
    a, b = api.account("counselor", s1), api.account("counselor", s2)
    sessions = {}
    for name, script, who in (("risky", RISKY, a), ("clean", CLEAN, a), ("session_b", CLEAN, b)):
        sid = api.session(who)
        ids = [api.message(who, sid, text, role=role)["message"]["id"] for role, text in script]
        sessions[name] = (sid, ids)
    return {"s1": s1, "s2": s2, "a": a, "b": b, **sessions}


def test_session_review_metrics(client, team):
    sid, ids = team["risky"]
    r = client.get(f"/v1/review/sessions/{sid}", headers=team["s1"].headers)
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["session_id"] == sid and v["counselor_messages"] == 3 and v["client_messages"] == 2
    assert v["skill_source"] == "rules" and v["degraded"] is True  # the test analyzer has no model
    assert v["flags"]["judgmental"] == 1 and v["flag_turns"]["judgmental"] == [ids[2]]
    assert v["opening"]["missing"] == ["introduction", "language", "nickname"]
    [p] = v["protocol"]
    assert p["label"] == "suicidal" and p["alert_turns"] == [ids[1]]
    assert p["given"] == {"119": ids[4]} and p["turns_to_first_step"] == 2
    assert p["missing"] == ["ask_directly", "psikolog_psikiater", "daftar_tempat_konseling"]
    assert v["summary"] == {"drafted": False, "approved": False, "missing": v["summary"]["missing"]}
    assert v["response_delays"]["n"] == 2
    assert v["triage_score"] > 0 and any("suicidal" in x for x in v["triage_reasons"])
    clean = client.get(f"/v1/review/sessions/{team['clean'][0]}", headers=team["a"].headers).json()
    assert clean["opening"]["completion"] == 1.0 and clean["protocol"] == []
    # without the model the surface rules count skills ("mau dipanggil siapa?" reads as open)
    assert clean["skills"] == {
        "open_question": 2,
        "closed_question": 1,
        "reflection": 1,
        "other": 0,
    }
    assert clean["open_question_share"] == round(2 / 3, 3) and clean[
        "reflection_to_question"
    ] == round(1 / 3, 3)
    assert clean["miti_rq_level"] == "below"


def test_counselor_review_json_csv_and_period(client, team):
    a, s1 = team["a"], team["s1"]
    url = f"/v1/review/counselors/{a.id}"
    body = client.get(url, headers=s1.headers).json()
    assert body["aggregate"]["sessions"] == 2 and len(body["sessions"]) == 2
    assert body["aggregate"]["flags"]["judgmental"] == 1
    assert {x["session_id"] for x in body["sessions"]} == {team["risky"][0], team["clean"][0]}
    assert client.get(url, headers=a.headers).status_code == 200  # a counselor may review themself
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    empty = client.get(url, headers=s1.headers, params={"to": past}).json()
    assert empty["aggregate"]["sessions"] == 0 and empty["sessions"] == []
    naive = datetime.now().replace(microsecond=0) - timedelta(days=1)  # no zone: read as UTC
    assert (
        client.get(url, headers=s1.headers, params={"from": naive.isoformat()}).json()["aggregate"][
            "sessions"
        ]
        == 2
    )
    r = client.get(url, headers=s1.headers, params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 2 and {row["counselor_id"] for row in rows} == {str(a.id)}
    risky = next(row for row in rows if row["session_id"] == team["risky"][0])
    assert risky["judgmental"] == "1" and "suicidal:ask_directly" in risky["protocol_missing"]


def test_triage_puts_the_missed_crisis_first_and_stays_in_the_team(client, team):
    ranked = client.get("/v1/review/triage", headers=team["s1"].headers).json()
    assert [x["session_id"] for x in ranked][0] == team["risky"][0]
    assert {x["session_id"] for x in ranked} == {team["risky"][0], team["clean"][0]}
    assert ranked[0]["score"] > ranked[1]["score"] and ranked[0]["reasons"]
    other = client.get("/v1/review/triage", headers=team["s2"].headers).json()
    assert [x["session_id"] for x in other] == [team["session_b"][0]]
    assert (
        client.get("/v1/review/triage", headers=team["s1"].headers, params={"limit": 1}).json()[0][
            "session_id"
        ]
        == team["risky"][0]
    )


def test_review_access(client, api, team):
    a, s2, b = team["a"], team["s2"], team["b"]
    admin = api.account("admin")
    for who in (s2, b, admin):
        assert (
            client.get(f"/v1/review/sessions/{team['risky'][0]}", headers=who.headers).status_code
            == 404
        )
        assert client.get(f"/v1/review/counselors/{a.id}", headers=who.headers).status_code == 404
    assert (
        client.get(f"/v1/review/counselors/{team['s1'].id}", headers=team["s1"].headers).status_code
        == 404
    )
    assert client.get("/v1/review/triage", headers=admin.headers).json() == []


def test_an_alert_assessed_as_no_current_risk_leaves_the_triage(client, api, team):
    a, s1 = team["a"], team["s1"]
    sid = team["risky"][0]
    [alert] = client.get("/v1/alerts", headers=a.headers, params={"session_id": sid}).json()
    r = client.post(
        f"/v1/alerts/{alert['id']}/assessment",
        headers=a.headers,
        json={"outcome": "no_current_risk"},
    )
    assert r.status_code == 200, r.text
    v = client.get(f"/v1/review/sessions/{sid}", headers=s1.headers).json()
    assert v["protocol"][0]["ruled_out"] is True
    assert not any("suicidal" in x for x in v["triage_reasons"])
    # and the suggestions stop leading with its protocol
    body = client.get(f"/v1/sessions/{sid}/suggestions", headers=a.headers).json()
    assert body["open_alerts"] == [] and all(it["source"] != "protocol" for it in body["items"])
