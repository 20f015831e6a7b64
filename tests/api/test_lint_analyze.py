"""Draft lint with rewordings, stateless analysis, and lint on stored counselor messages."""

from __future__ import annotations

from service_fixtures import CRISIS_TEXT


def test_lint_flags_judgmental_draft_with_span_and_rewordings(client, api):
    c = api.account("counselor")
    draft = "Aku paham. Tapi kenapa sih kamu gak dari dulu ninggalin dia?"
    r = client.post("/v1/lint", headers=c.headers, json={"text": draft})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is False and body["degraded"] is True
    flag = next(f for f in body["flags"] if f["label"] == "judgmental")
    ev = flag["evidence"][0]
    assert draft[ev["start"]:ev["end"]].startswith("kenapa sih kamu gak")
    rw = flag["rewordings"][0]
    assert len(rw["alternatives"]) >= 3
    assert all(x.startswith("Aku paham. ") for x in rw["rewritten"])
    clean = client.post("/v1/lint", headers=c.headers,
                        json={"text": "Apa yang paling berat buatmu minggu ini?"}).json()
    assert clean["ok"] is True and clean["flags"] == []


def test_lint_imposes_beliefs_in_formal_register(client, api):
    c = api.account("counselor")
    r = client.post("/v1/lint", headers=c.headers,
                    json={"text": "Anda harus lebih rajin berdoa supaya masalahnya selesai."})
    flag = next(f for f in r.json()["flags"] if f["label"] == "imposes_beliefs")
    alts = flag["rewordings"][0]["alternatives"]
    assert all("kamu" not in a.lower() for a in alts)


def test_analyze_is_stateless(client, api, db):
    from sqlalchemy import func, select

    from copilot.db.models import Message

    c = api.account("counselor")
    r = client.post("/v1/analyze", headers=c.headers,
                    json={"role": "client", "texts": [CRISIS_TEXT, "cuaca cerah hari ini"]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert results[0]["flags"] == ["suicidal"] and results[1]["flags"] == []
    assert results[0]["flag_origins"]["suicidal"] == ["lexicon"]
    assert db.scalar(select(func.count(Message.id))) == 0


def test_counselor_message_comes_back_with_lint(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    out = api.message(c, sid, "Itu salahmu sendiri sih.", role="counselor")
    assert out["alerts"] == []
    assert [f["label"] for f in out["lint"]["flags"]] == ["judgmental"]
    stored = client.get(f"/v1/sessions/{sid}/messages", headers=c.headers).json()
    assert stored[0]["role"] == "counselor" and stored[0]["analysis"]["degraded"] is True


def test_the_analyzer_dependency_can_be_overridden(client, api, analyzer):
    from copilot.api.deps import get_analyzer
    from copilot.services.analysis_runner import AnalysisRunner

    calls = []

    class Spy:
        degraded = True

        def analyze(self, texts, role):
            calls.append((tuple(texts), role))
            return analyzer.analyze(texts, role)

        def info(self):
            return analyzer.info()

    c = api.account("counselor")
    client.app.dependency_overrides[get_analyzer] = lambda: AnalysisRunner(Spy(), 1)
    try:
        r = client.post("/v1/analyze", headers=c.headers, json={"role": "client", "texts": ["hai"]})
    finally:
        client.app.dependency_overrides.clear()
    assert r.status_code == 200 and calls == [(("hai",), "client")]
