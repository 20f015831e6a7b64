"""Suggestions: ranking order, the lint and skill gates, the bank, degraded mode."""

import json

import pytest
from suggest_fakes import FakeAnalyzer

from copilot import protocol_steps, rewording
from copilot.protocol_steps import open_at
from copilot.replay import analyse_turns, raised_alerts
from copilot.suggest import BankError, Suggester, SuggestionBank
from copilot.suggest.bank import TYPES
from copilot.transcript import RaisedAlert

OPENED = [
    {
        "role": "counselor",
        "text": "Halo, aku Kak Mira, konselor di Aku Pintar. Kita ngobrol pakai bahasa Indonesia ya?",
    },
    {"role": "client", "text": "iya kak"},
    {"role": "counselor", "text": "Aku panggil kamu siapa ya?"},
    {"role": "client", "text": "dinda aja"},
    {"role": "counselor", "text": "Hai Dinda. Apa yang lagi pengen kamu ceritain?"},
]


@pytest.fixture(scope="module")
def bank():
    return SuggestionBank.load()


def suggester(bank, analyzer=None):
    a = analyzer or FakeAnalyzer()
    return Suggester(a, SuggestionBank(bank.entries, bank.source, bank.sha256).prepare(a))


def run(sg, raw):
    turns = analyse_turns(sg.analyzer, raw)
    return sg.suggest(turns, open_at(raised_alerts(turns), turns)), turns


def test_three_to_five_typed_items_with_reasons(bank):
    s, _ = run(
        suggester(bank),
        OPENED + [{"role": "client", "text": "keluarga kak. aku sering dimarahin ayah tiriku"}],
    )
    assert 3 <= len(s.items) <= 5
    for it in s.items:
        assert it.type in TYPES and it.text.strip() and it.why.strip() and "{nama}" not in it.text
    assert s.phase == "exploration" and not s.degraded
    assert len({it.text for it in s.items}) == len(s.items)


def test_opening_steps_come_first_in_guideline_order(bank):
    raw = [{"role": "counselor", "text": "Halo, silakan."}, {"role": "client", "text": "halo kak"}]
    s, _ = run(suggester(bank), raw)
    assert s.phase == "opening"
    assert s.opening_missing == ["introduction", "language", "nickname", "topic"]
    assert [it.source for it in s.items[:2]] == ["opening", "opening"]
    assert "3.2" in s.items[0].why and "perkenalan" in s.items[0].why


def test_a_crisis_puts_the_opening_on_hold(bank):
    raw = [
        {"role": "counselor", "text": "Ada yang bisa dibantu?"},
        {"role": "client", "text": "aku pengen mati aja kak"},
    ]
    s, _ = run(suggester(bank), raw)
    assert s.phase == "risk" and s.items[0].type == "protocol"
    assert "opening" not in {it.source for it in s.items} and s.opening_missing  # still reported


def test_crisis_protocol_comes_first_and_moves_to_the_next_step(bank):
    sg = suggester(bank)
    raw = OPENED + [{"role": "client", "text": "aku capek kak, pengen mati aja rasanya"}]
    s, _ = run(sg, raw)
    first = s.items[0]
    assert s.phase == "risk" and first.type == "protocol" and first.source == "protocol"
    assert next(e for e in bank.entries if e.id == first.bank_id).label == "suicidal"
    assert "8.2" in first.why
    # once the counselor asked directly and gave 119, the next suggestion serves a step still pending
    raw += [
        {
            "role": "counselor",
            "text": "Aku mau tanya langsung: apa kamu berpikir untuk bunuh diri?",
        },
        {"role": "client", "text": "iya kak"},
        {"role": "counselor", "text": "Tolong telepon 119 kalau dorongan itu datang ya."},
        {"role": "client", "text": "iya"},
    ]
    s, turns = run(sg, raw)
    assert s.items[0].type == "protocol"
    pending = {"psikolog_psikiater", "daftar_tempat_konseling"}
    steps = {h.step for h in protocol_steps.detect(s.items[0].text)}
    assert steps & pending, s.items[0].text
    # all steps given: the alert is handled, no protocol line leads any more
    raw += [
        {
            "role": "counselor",
            "text": "Kamu perlu ketemu psikolog atau psikiater tatap muka; ada di daftar tempat konseling aplikasi.",
        },
        {"role": "client", "text": "oke kak makasih"},
    ]
    s, _ = run(sg, raw)
    assert s.items[0].type != "protocol" and s.open_alerts == []


def test_service_is_ended_only_after_repeated_abuse(bank):
    sg = suggester(bank)
    ends = {e.id for e, c in zip(sg.bank.entries, sg.bank.checks) if "akhiri_layanan" in c.steps}
    assert ends, "the bank should hold ending lines for abusive clients"
    raw = OPENED + [{"role": "client", "text": "lu goblok ya"}]
    s, _ = run(sg, raw)
    assert s.items[0].bank_id not in ends and all(it.bank_id not in ends for it in s.items)
    raw += [
        {
            "role": "counselor",
            "text": "Saya minta kita saling menghargai ya, supaya saya bisa membantu.",
        },
        {"role": "client", "text": "otak lu di mana"},
        {"role": "counselor", "text": "Saya sampaikan dengan tenang: kata-kata itu merendahkan."},
        {"role": "client", "text": "dasar tolol"},
    ]
    turns = analyse_turns(sg.analyzer, raw)
    alerts = raised_alerts(turns)
    assert sum(a.label == "abusive" for a in alerts) == 3
    s = sg.suggest(turns, [RaisedAlert(a.label, a.turn, a.crisis, True) for a in alerts])
    assert s.items[0].bank_id in ends


def test_judgmental_lines_are_filtered_not_hoped_away(bank):
    target = next(e for e in bank.entries if e.type == "open_question" and e.phase == "exploration")
    sg = suggester(bank, FakeAnalyzer(judged=[target.text]))
    i = [e.id for e in sg.bank.entries].index(target.id)
    assert sg.bank.checks[i].lint == ["judgmental"] and not sg.bank.checks[i].eligible
    for n in range(1, 6):
        s, _ = run(sg, OPENED + [{"role": "client", "text": target.text}] * n)
        assert target.id not in {it.bank_id for it in s.items}
    # a reflection that would label the client ("kamu bodoh") is dropped by the rewording rules
    s, _ = run(
        sg,
        OPENED
        + [{"role": "client", "text": "aku itu terlalu sensitif orangnya sama omongan orang"}],
    )
    assert all(not rewording.find_phrases(it.text) for it in s.items)
    assert s.dropped.get("reflection_lint")


def test_skill_head_must_confirm_the_type(bank):
    raw = OPENED + [
        {"role": "client", "text": "suamiku sering pulang malam dan aku sendirian di rumah"}
    ]
    sg = suggester(bank)
    s, _ = run(sg, raw)
    refl = next(it for it in s.items if it.source == "reflection")
    # the head now says this reflection is a closed question: it must not be offered
    sg2 = suggester(bank, FakeAnalyzer(skills={refl.text: "closed_question"}))
    s2, _ = run(sg2, raw)
    assert refl.text not in {it.text for it in s2.items}
    assert s2.dropped.get("reflection_skill")
    for it in s2.items:
        if it.source == "bank" and it.type != "protocol":
            e = next(x for x in bank.entries if x.id == it.bank_id)
            assert it.skill == {"summary": "reflection"}.get(e.type, e.type)


def test_nickname_fills_name_slots_and_lines_needing_it_wait(bank):
    sg = suggester(bank)
    named = [e.id for e in bank.entries if e.needs_name]
    s, _ = run(sg, OPENED + [{"role": "client", "text": "aku lagi bingung soal kuliah"}])
    for it in s.items:
        assert "{nama}" not in it.text
        if it.bank_id in named:
            assert "Dinda" in it.text
    s, _ = run(sg, [{"role": "client", "text": "halo"}])
    assert not {it.bank_id for it in s.items} & set(named)


def test_degraded_mode_still_suggests_and_says_so(bank):
    sg = suggester(bank, FakeAnalyzer(encoder=False))
    s, _ = run(
        sg, OPENED + [{"role": "client", "text": "aku sering berantem sama pacarku soal waktu"}]
    )
    assert s.degraded and 3 <= len(s.items) <= 5
    assert all(not it.skill_checked for it in s.items)


def test_context_embeddings_are_cached(bank):
    sg = suggester(bank)
    raw = OPENED + [
        {"role": "client", "text": "aku sedih"},
        {"role": "counselor", "text": "Boleh cerita?"},
        {"role": "client", "text": "ayahku sakit"},
    ]
    turns = analyse_turns(sg.analyzer, raw)
    calls = sg.analyzer.encoder.calls
    sg.suggest(turns[:6])
    sg.suggest(turns)
    assert sg.analyzer.encoder.calls == calls + 2  # one new client message embedded per call


def test_lint_clean_on_every_authored_session(bank, sessions):
    """Every suggestion over the 62 synthetic sessions passes the lint gate (must be 100%)."""
    sg = suggester(bank)
    n = 0
    for sess in sessions:
        turns = analyse_turns(sg.analyzer, sess["turns"])
        alerts = raised_alerts(turns)
        for t in turns:
            if t.role != "client":
                continue
            s = sg.suggest(
                turns[: t.index + 1],
                open_at([a for a in alerts if a.turn <= t.index], turns[: t.index + 1]),
            )
            assert 3 <= len(s.items) <= 5
            texts = [it.text for it in s.items]
            lint = sg.analyzer.analyze(texts, "counselor")
            for text, a in zip(texts, lint):
                assert not a.flags and not rewording.find_phrases(text), text
                n += 1
    assert n > 1000


def test_bank_file_is_valid_and_report_counts(bank):
    assert len(bank.entries) >= 300
    assert {e.type for e in bank.entries} == set(TYPES)
    sg = suggester(bank)
    r = sg.bank.report()
    assert r["entries"] == len(bank.entries)
    assert r["skill_checked"] == sum(1 for e in bank.entries if e.type != "protocol")
    assert 0 <= r["skill_agreement"] <= 1 and r["per_type"]["protocol"]["agreement"] is None
    assert r["eligible"] == sum(c.eligible for c in sg.bank.checks)


@pytest.mark.parametrize(
    "line, code",
    [
        ("not json", "E502"),
        (
            '{"id": "x", "text": "Halo", "type": "advice", "phase": "opening", "register": "santai"}',
            "E506",
        ),
        (
            '{"id": "x", "text": "Halo", "type": "protocol", "phase": "risk", "register": "santai", "label": null}',
            "E507",
        ),
        (
            '{"id": "x", "text": "Halo {name}", "type": "reflection", "phase": "closing", "register": "santai"}',
            "E508",
        ),
        (
            '{"id": "x", "text": "", "type": "reflection", "phase": "closing", "register": "santai"}',
            "E505",
        ),
    ],
)
def test_bad_bank_lines_fail_loudly(tmp_path, line, code):
    p = tmp_path / "bank.jsonl"
    p.write_text(line + "\n")
    with pytest.raises(BankError) as e:
        SuggestionBank.load(p)
    assert e.value.code == code and "bank.jsonl:1" in str(e.value) or code == "E502"


def test_duplicate_and_missing_bank(tmp_path):
    line = json.dumps(
        {"id": "x", "text": "Halo", "type": "reflection", "phase": "closing", "register": "santai"}
    )
    p = tmp_path / "bank.jsonl"
    p.write_text(line + "\n" + line + "\n")
    with pytest.raises(BankError, match="E503"):
        SuggestionBank.load(p)
    with pytest.raises(BankError, match="E501"):
        SuggestionBank.load(tmp_path / "none.jsonl")
