"""Gentler rewordings: phrase-aware, several alternatives, never judgmental themselves."""

from __future__ import annotations

import pytest

from copilot.rewording import GENERIC, RULES, _register, find_phrases, suggest


@pytest.mark.parametrize(("draft", "label", "rule"), [
    ("kenapa sih kamu gak dari dulu ninggalin dia?", "judgmental", "why_didnt_you@1"),
    ("Kamu terlalu sensitif.", "judgmental", "labels_the_client@1"),
    ("Itu salahmu sendiri.", "judgmental", "your_fault@1"),
    ("Masalah sepele gitu kok dipikirin.", "judgmental", "minimises@1"),
    ("Harusnya kamu bilang dari awal.", "judgmental", "should_have@1"),
    ("Masa sih gitu aja marah?", "judgmental", "disbelief@1"),
    ("Pantas aja kamu ditinggal.", "judgmental", "deserved_it@1"),
    ("Kamu harus lebih rajin sholat.", "imposes_beliefs", "prescribes_worship@1"),
    ("Pacaran itu dosa, tahu.", "imposes_beliefs", "sin_and_punishment@1"),
    ("Kamu kurang bersyukur aja.", "imposes_beliefs", "lacks_faith@1"),
    ("Kalau aku jadi kamu, aku pergi.", "imposes_beliefs", "if_i_were_you@1"),
    ("Istri itu harus nurut sama suami.", "imposes_beliefs", "prescribes_roles@1"),
])
def test_each_rule_rewords_its_phrase(draft, label, rule):
    [rw] = suggest(draft, label)
    assert rw.rule == rule
    assert draft[rw.start:rw.end] == rw.text
    assert len(rw.alternatives) >= 3 and len(set(rw.alternatives)) == len(rw.alternatives)


@pytest.mark.parametrize("draft", [
    "Apa yang paling berat buatmu minggu ini?",
    "Sepertinya kamu merasa sangat lelah. Boleh ceritakan lebih lanjut?",
    "Kamu merasa tidak dihargai oleh pasanganmu, ya?",
    "Kalau kamu mau, kita bisa susun rencana keselamatan bersama.",
    "Apa yang biasanya membantumu merasa lebih tenang?",
])
def test_gentle_drafts_match_no_rule(draft):
    assert find_phrases(draft) == []


def test_no_alternative_is_itself_judgmental_in_either_register():
    alts = [a for r in RULES for a in r.alternatives] + [a for g in GENERIC.values() for a in g]
    for a in alts + [_register(a, formal=True) for a in alts]:
        assert find_phrases(a) == [], a


def test_only_the_offending_sentence_is_replaced_and_register_follows():
    draft = "Terima kasih sudah cerita. Anda harus lebih banyak berdoa. Kita lanjut besok ya."
    [rw] = suggest(draft, "imposes_beliefs")
    for full, alt in zip(rw.rewritten, rw.alternatives):
        assert full == f"Terima kasih sudah cerita. {alt} Kita lanjut besok ya."
        assert "kamu" not in alt.lower() and not alt.lower().endswith("mu?")


def test_model_span_without_rule_gets_generic_alternatives():
    draft = "Hmm, begitu ya. Menurutku itu keputusan yang kurang tepat."
    start = draft.index("Menurutku")
    [rw] = suggest(draft, "judgmental", [(start, start + 9)])
    assert rw.rule == "generic@1" and rw.sentence_start == start
    assert rw.rewritten[0].startswith("Hmm, begitu ya. ")
    with pytest.raises(ValueError):
        suggest(draft, "shares_contact")
