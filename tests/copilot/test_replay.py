"""`copilot replay`: record format, error records, the degraded path, the CLI, and (slow) the shipped model."""

import io
import json
import re

import pytest
from suggest_fakes import FakeAnalyzer

from copilot.replay import parse_record, replay_stream
from copilot.replay_scoring import risk_hits
from copilot.session_summary import FIELDS
from copilot.suggest import Suggester, SuggestionBank

# Explicit: the turn names death, suicide or a method ("nyudahin semuanya", "biar cepat menyusul"
# are implicit and left to the model).
EXPLICIT_SUICIDAL = re.compile(
    r"\bmati\b|bunuh\s+diri|mengakhiri\s+hidup|akhiri\s+hidup|(?:ga|gak|nggak|tidak)\s+mau\s+hidup|"
    r"\b(?:nyilet|silet|menyayat|nyayat|cutter)\b|\b(?:lompat|loncat|melompat)\b|racun|overdosis",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def fake_suggester():
    a = FakeAnalyzer()
    return Suggester(a, SuggestionBank.load().prepare(a))


def replay(lines, analyzer, suggester):
    out = io.StringIO()
    errors = replay_stream(lines, out, analyzer, suggester)
    return errors, [json.loads(x) for x in out.getvalue().splitlines()]


def test_output_record_has_every_part(fake_suggester, sessions):
    s = next(x for x in sessions if x["id"] == "s-a-003")
    line = json.dumps(
        {"id": s["id"], "turns": [{"role": t["role"], "text": t["text"]} for t in s["turns"]]}
    )
    errors, [rec] = replay([line], fake_suggester.analyzer, fake_suggester)
    assert errors == 0
    assert {"id", "alerts", "suggestions", "summary", "review"} <= set(rec)
    assert rec["id"] == "s-a-003"
    assert set(rec["summary"]) == set(FIELDS)
    assert [a["label"] for a in rec["alerts"]] == ["kdrt"] and rec["alerts"][0]["turn"] == 5
    assert rec["alerts"][0]["evidence"][0]["text"]
    client_turns = [i for i, t in enumerate(s["turns"]) if t["role"] == "client"]
    assert [x["turn"] for x in rec["suggestions"]] == client_turns
    for x in rec["suggestions"]:
        assert 3 <= len(x["items"]) <= 5
        assert {"type", "text", "why"} <= set(x["items"][0])
    # while the kdrt alert is open, its protocol step leads
    assert rec["suggestions"][2]["items"][0]["type"] == "protocol"
    assert rec["review"]["protocol"][0]["label"] == "kdrt"
    assert rec["review"]["summary"] == {"drafted": True, "approved": False, "missing": []}


@pytest.mark.parametrize(
    "line, code",
    [
        ("{not json", "E400_JSON"),
        ("[1, 2]", "E400_RECORD"),
        ('{"turns": [{"role": "client", "text": "halo"}]}', "E400_ID"),
        ('{"id": "x", "turns": []}', "E400_TURNS"),
        ('{"id": "x", "turns": [{"role": "bot", "text": "halo"}]}', "E400_TURN"),
        ('{"id": "x", "turns": [{"role": "client", "text": "  "}]}', "E400_TURN"),
        (
            '{"id": "x", "turns": [{"role": "client", "text": "hi", "at": "yesterday"}]}',
            "E400_TURN",
        ),
    ],
)
def test_bad_lines_give_error_records(line, code):
    with pytest.raises(Exception) as e:
        parse_record(line)
    assert e.value.code == code


def test_stream_goes_on_after_bad_lines_and_failures(fake_suggester, monkeypatch):
    good = json.dumps({"id": 7, "turns": [{"role": "client", "text": "aku sedih kak"}]})
    boom = json.dumps({"id": "boom", "turns": [{"role": "client", "text": "halo"}]})
    real = fake_suggester.suggest

    def suggest(turns, alerts=()):
        if turns[-1].text == "halo":
            raise RuntimeError("model exploded")
        return real(turns, alerts)

    monkeypatch.setattr(fake_suggester, "suggest", suggest)
    errors, recs = replay(
        ["{bad", "", '{"id": "x", "turns": 3}', boom, good], fake_suggester.analyzer, fake_suggester
    )
    assert errors == 3
    assert [r.get("error", {}).get("code") for r in recs] == [
        "E400_JSON",
        "E400_TURNS",
        "E500_REPLAY",
        None,
    ]
    assert recs[1]["id"] == "x" and recs[1]["line"] == 3
    assert recs[2]["id"] == "boom" and "model exploded" in recs[2]["error"]["message"]
    assert recs[3]["id"] == 7 and recs[3]["suggestions"]


def test_response_delays_from_message_times(fake_suggester):
    line = json.dumps(
        {
            "id": "t",
            "turns": [
                {"role": "client", "text": "halo kak", "at": "2026-11-26T20:00:00+07:00"},
                {
                    "role": "counselor",
                    "text": "Halo, saya Kak Ana, konselor di Aku Pintar.",
                    "at": "2026-11-26T20:00:42+07:00",
                },
            ],
        }
    )
    _, [rec] = replay([line], fake_suggester.analyzer, fake_suggester)
    assert rec["review"]["response_delays"] == {
        "n": 1,
        "median_s": 42.0,
        "p90_s": 42.0,
        "max_s": 42.0,
    }


@pytest.fixture(scope="module")
def degraded_analyzer(tmp_path_factory):
    from copilot.analyzer import Analyzer
    from copilot.settings import Settings

    a = Analyzer.from_settings(Settings(model_dir=tmp_path_factory.mktemp("no-model")))
    assert a.degraded
    return a


def test_degraded_lexicon_raises_explicit_suicidal_turns(degraded_analyzer, sessions):
    """Without the model, every explicitly suicidal client turn still raises `suicidal` at that turn."""
    lines = [
        json.dumps(
            {"id": s["id"], "turns": [{"role": t["role"], "text": t["text"]} for t in s["turns"]]}
        )
        for s in sessions
    ]
    errors, recs = replay(lines, degraded_analyzer, None)
    assert errors == 0 and all(r["degraded"] and r["model"] is None for r in recs)
    explicit, missed = 0, []
    for s, r in zip(sessions, recs):
        raised = {a["turn"] for a in r["alerts"] if a["label"] == "suicidal"}
        for i, t in enumerate(s["turns"]):
            if "suicidal" in t.get("labels", []) and EXPLICIT_SUICIDAL.search(t["text"]):
                explicit += 1
                if i not in raised:
                    missed.append((s["id"], i))
    assert explicit >= 5 and not missed, missed


def test_cli_replay_reads_stdin(monkeypatch, capsys, tmp_path):
    import copilot.analyzer
    from copilot import cli

    monkeypatch.setattr(
        copilot.analyzer.Analyzer, "from_settings", classmethod(lambda cls, s: FakeAnalyzer())
    )
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO('{"id": "a", "turns": [{"role": "client", "text": "aku capek"}]}\n{oops\n'),
    )
    rc = cli.main(["replay"])
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rc == 2 and out[0]["id"] == "a" and out[1]["error"]["code"] == "E400_JSON"


@pytest.mark.slow
def test_replay_through_the_onnx_runtime_with_a_tiny_classifier(tiny_classifier_dir, sessions):
    """The real path: OnnxEncoder embeddings for the bank and the context, the skill head as the gate."""
    from copilot.analyzer import Analyzer
    from copilot.settings import Settings

    a = Analyzer.from_settings(Settings(model_dir=tiny_classifier_dir, threads=1))
    assert not a.degraded
    bank = SuggestionBank.load().prepare(a)
    assert bank.embeddings.shape[0] == len(bank.entries) and bank.report()["skill_checked"] > 0
    sg = Suggester(a, bank)
    lines = [
        json.dumps(
            {"id": s["id"], "turns": [{"role": t["role"], "text": t["text"]} for t in s["turns"]]}
        )
        for s in sessions[:3]
    ]
    errors, recs = replay(lines, a, sg)
    assert errors == 0 and not recs[0]["degraded"] and recs[0]["model"] == "tiny 0.0.1"
    for r in recs:
        for x in r["suggestions"]:
            for it in x["items"]:
                if it["source"] in ("bank", "reflection") and it["type"] != "protocol":
                    assert it["skill_checked"] and it["skill"] == {"summary": "reflection"}.get(
                        it["type"], it["type"]
                    )


# -- the shipped model (slow): the figures of bench/REPORT_issue7.md ------------------------------


@pytest.mark.slow
def test_shipped_model_raises_every_expected_risk_at_or_near_its_turn(shipped_analyzer, sessions):
    lines = [
        json.dumps(
            {"id": s["id"], "turns": [{"role": t["role"], "text": t["text"]} for t in s["turns"]]}
        )
        for s in sessions
    ]
    errors, recs = replay(lines, shipped_analyzer, None)
    assert errors == 0
    hits = [h for s, r in zip(sessions, recs) for h in risk_hits(s, r["alerts"])]
    missed = [
        (s["id"], lab)
        for s, r in zip(sessions, recs)
        for lab, near, _ in risk_hits(s, r["alerts"])
        if not near
    ]
    crisis_missed = [
        m for m in missed if m[1] in ("suicidal", "harm_others", "kdrt", "acute_disorder")
    ]
    assert not crisis_missed, crisis_missed
    assert sum(near for _, near, _ in hits) / len(hits) >= 0.9, missed


@pytest.mark.slow
def test_shipped_model_suggestions_are_lint_clean_and_typed(shipped_suggester, sessions):
    lines = [
        json.dumps(
            {"id": s["id"], "turns": [{"role": t["role"], "text": t["text"]} for t in s["turns"]]}
        )
        for s in sessions
    ]
    errors, recs = replay(lines, shipped_suggester.analyzer, shipped_suggester)
    assert errors == 0
    texts = [it for r in recs for x in r["suggestions"] for it in x["items"]]
    # linted as the service lints a draft: one text at a time
    an = shipped_suggester.analyzer
    analyses = [an.analyze([it["text"]], "counselor")[0] for it in texts]
    from copilot.suggest.lint import counselor_lint

    dirty = [it["text"] for it, a in zip(texts, analyses) if counselor_lint(it["text"], a)]
    assert not dirty  # lint-clean rate must be 100%
    for it in texts:
        if it["source"] in ("bank", "reflection") and it["type"] != "protocol":
            assert it["skill"] == {"summary": "reflection"}.get(it["type"], it["type"])
