"""Session summaries through the real app: draft with sources, versioned edits, approval,
immutability, configurable mandatory fields, access, audit."""

from __future__ import annotations

import pytest

from copilot.db import Database
from copilot.services import audit

SESSION = [
    (
        "counselor",
        "Halo, aku Kak Mira, konselor di Aku Pintar. Kita ngobrol pakai bahasa Indonesia ya?",
    ),
    ("client", "iya kak"),
    ("counselor", "Aku panggil kamu siapa ya?"),
    ("client", "dinda aja"),
    ("counselor", "Hai Dinda. Apa yang lagi pengen kamu ceritain?"),
    ("client", "keluarga kak. ayah tiriku sering marah dan aku takut di rumah"),
    ("counselor", "Kedengarannya kamu takut sekali di rumah."),
    ("client", "aku mau bunuh diri malam ini"),
    (
        "counselor",
        "Dinda, tolong telepon layanan 119 sekarang ya, dan temui psikolog secara tatap muka.",
    ),
    ("client", "iya kak, besok aku coba cerita ke bude"),
    ("counselor", "Bagus. Besok kabari aku ya setelah ngobrol sama bude."),
]


@pytest.fixture
def summarised(client, api):
    s = api.account("supervisor")
    c = api.account("counselor", s)
    sid = api.session(c)
    ids = [api.message(c, sid, text, role=role)["message"]["id"] for role, text in SESSION]
    r = client.post(f"/v1/sessions/{sid}/summary", headers=c.headers)
    assert r.status_code == 201, r.text
    return {"s": s, "c": c, "sid": sid, "ids": ids, "draft": r.json()}


def test_draft_prefills_every_field_with_source_messages(summarised):
    d, ids = summarised["draft"], summarised["ids"]
    f = d["fields"]
    assert d["status"] == "draft" and d["version"] == 1 and d["degraded"] is True
    assert f["nama_panggilan"]["value"] == "Dinda" and f["nama_panggilan"]["sources"] == ids[2:5]
    assert f["bahasa"]["value"] == "Indonesia"
    assert f["topik"]["value"].startswith("Keluarga")
    assert f["tindakan_rujukan"]["value"] == ["119", "psikolog_psikiater"]
    assert f["tindakan_rujukan"]["sources"] == [ids[8], ids[8]]
    [risk] = f["risiko"]["value"]
    assert risk["label"] == "suicidal" and risk["messages"] == [ids[7]]
    assert f["teknik"]["value"]["reflection"] == 1 and f["teknik"]["method"] == "rules"
    assert f["catatan_konselor"] == {"value": None, "sources": [], "method": "counselor"}
    for name in ("keluhan_utama", "rencana_tindak_lanjut"):
        assert f[name]["value"] and set(f[name]["sources"]) <= set(ids)
    assert "catatan_konselor" not in d["missing_mandatory"]  # not mandatory by default


def test_edit_versions_approval_and_immutability(client, summarised):
    c, sid = summarised["c"], summarised["sid"]
    url = f"/v1/sessions/{sid}/summary"
    assert client.post(url, headers=c.headers).json()["code"] == "E409_SUMMARY_EXISTS"
    r = client.put(
        url, headers=c.headers, json={"fields": {"rencana_tindak_lanjut": " "}, "version": 1}
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    assert r.json()["fields"]["rencana_tindak_lanjut"]["method"] == "counselor"
    assert r.json()["missing_mandatory"] == ["rencana_tindak_lanjut"]
    r = client.post(f"{url}/approve", headers=c.headers)
    assert r.status_code == 422 and r.json()["code"] == "E422_SUMMARY_INCOMPLETE"
    assert "rencana_tindak_lanjut" in r.text
    stale = client.put(url, headers=c.headers, json={"fields": {"topik": "Keluarga"}, "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "E409_SUMMARY_VERSION"
    bad = client.put(url, headers=c.headers, json={"fields": {"nama": "x"}})
    assert bad.status_code == 422 and bad.json()["code"] == "E422_SUMMARY_FIELD"
    bad = client.put(url, headers=c.headers, json={"fields": {"tindakan_rujukan": ["ojek"]}})
    assert bad.status_code == 422
    r = client.put(
        url,
        headers=c.headers,
        json={
            "fields": {
                "rencana_tindak_lanjut": "Klien bercerita ke bude besok dan memberi kabar.",
                "catatan_konselor": "Risiko dinilai sedang; 119 sudah diberikan.",
            },
            "version": 2,
        },
    )
    assert r.status_code == 200 and r.json()["version"] == 3
    r = client.post(f"{url}/approve", headers=c.headers, json={"version": 3})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["status"] == "approved" and a["approved_by"] == str(c.id) and a["version"] == 4
    for call in (
        lambda: client.put(url, headers=c.headers, json={"fields": {"topik": "x"}}),
        lambda: client.post(f"{url}/approve", headers=c.headers),
    ):
        r = call()
        assert r.status_code == 409 and r.json()["code"] == "E409_SUMMARY_APPROVED"
    assert client.get(url, headers=c.headers).json()["fields"]["topik"] == a["fields"]["topik"]
    versions = client.get(f"{url}/versions", headers=c.headers).json()
    assert [v["action"] for v in versions] == ["draft", "edit", "edit", "approve"]
    assert [v["version"] for v in versions] == [1, 2, 3, 4]
    assert versions[1]["changed"] == ["rencana_tindak_lanjut"]
    assert sorted(versions[2]["changed"]) == ["catatan_konselor", "rencana_tindak_lanjut"]
    assert all(v["user_id"] == str(c.id) and v["at"] for v in versions)
    assert versions[1]["values"]["rencana_tindak_lanjut"] == ""  # every state is kept


def test_supervisor_reads_counselor_writes_others_see_nothing(client, api, summarised):
    s, sid = summarised["s"], summarised["sid"]
    url = f"/v1/sessions/{sid}/summary"
    assert client.get(url, headers=s.headers).status_code == 200
    assert client.get(f"{url}/versions", headers=s.headers).status_code == 200
    assert client.put(url, headers=s.headers, json={"fields": {"topik": "x"}}).status_code == 403
    assert client.post(f"{url}/approve", headers=s.headers).status_code == 403
    other = api.account("counselor")
    for r in (
        client.get(url, headers=other.headers),
        client.put(url, headers=other.headers, json={"fields": {}}),
        client.post(url, headers=other.headers),
    ):
        assert r.status_code == 404 and "Dinda" not in r.text


def test_reads_and_changes_are_audited(client, summarised, db_url):
    c, s, sid = summarised["c"], summarised["s"], summarised["sid"]
    client.get(f"/v1/sessions/{sid}/summary", headers=s.headers)
    client.put(
        f"/v1/sessions/{sid}/summary",
        headers=c.headers,
        json={"fields": {"catatan_konselor": "ok"}},
    )
    database = Database.from_url(db_url)
    with database.session() as db:
        actions = {
            (e.action, e.actor_id)
            for e in audit.events(db, object_type="session", object_id=sid, limit=500)
        }
    database.dispose()
    assert {("summary.create", c.id), ("summary.read", s.id), ("summary.edit", c.id)} <= actions


def test_no_summary_yet_is_404(client, api):
    c = api.account("counselor")
    sid = api.session(c)
    r = client.get(f"/v1/sessions/{sid}/summary", headers=c.headers)
    assert r.status_code == 404 and "POST" in r.json()["detail"]


def test_mandatory_fields_are_configurable(app_factory, api, db_url):
    from fastapi.testclient import TestClient
    from service_fixtures import ApiHelper

    with TestClient(app_factory(summary_mandatory_fields=["nama_panggilan"])) as cl:
        h = ApiHelper(cl, db_url)
        c = h.account("counselor")
        sid = h.session(c)
        h.message(c, sid, "Halo, silakan, mau cerita soal apa?", role="counselor")
        h.message(c, sid, "soal kerjaan kak")
        url = f"/v1/sessions/{sid}/summary"
        d = cl.post(url, headers=c.headers).json()
        assert d["mandatory"] == ["nama_panggilan"] and d["missing_mandatory"] == ["nama_panggilan"]
        assert cl.post(f"{url}/approve", headers=c.headers).status_code == 422
        cl.put(url, headers=c.headers, json={"fields": {"nama_panggilan": "Tidak ditanyakan"}})
        assert cl.post(f"{url}/approve", headers=c.headers).status_code == 200
    with pytest.raises(ValueError, match="toppik"):
        app_factory(summary_mandatory_fields=["toppik"])
