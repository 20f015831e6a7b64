"""The crisis lexicon: spelling variants, context suppression, offsets, loading errors."""

import dataclasses
import json

import pytest

from copilot.labels import CRISIS
from copilot.risk_lexicon import DEFAULT_PATH, LexiconError, LexiconHit, Normalizer, RiskLexicon


@pytest.fixture(scope="module")
def lex() -> RiskLexicon:
    return RiskLexicon.load()


def labels(lex: RiskLexicon, text: str) -> set[str]:
    return set(lex.flags(text))


def why(lex: RiskLexicon, text: str, label: str) -> set[str | None]:
    return {h.suppressed_by for h in lex.find(text) if h.label == label}


def test_loads_default_file_with_name_and_version(lex):
    assert lex.name == "crisis_id"
    assert lex.version
    assert set(lex.labels) == set(CRISIS)


@pytest.mark.parametrize("text", [
    "aku pengen bunuh diri", "pengen bundir aja", "kepikiran bnh dri terus", "sudoku aja kayaknya solusinya",
    "jujur aku pengen unalive", "kms rasanya", "pengen mati", "pgn mati ajaaa", "pengen matiiiii", "pengen m4t1 aja",
    "mending gue mati aja", "pengen ilang selamanya", "gue ga pengen bangun lagi besok", "pengen nyusul almarhum bapak",
    "tadi aku nyilet lagi", "aku sayat tangan sendiri", "pengen ngelukain diri sendiri", "udah beli baygon",
    "mau minum racun tikus aja", "kepikiran overdosis", "pengen loncat dari jembatan", "kepikiran gantung diri",
    "aku udah nyiapin tali", "ga mau idup lg", "capek hidup kak", "lebih baik aku ga pernah lahir",
])
def test_suicidal_phrases_and_spellings(lex, text):
    assert "suicidal" in labels(lex, text)


@pytest.mark.parametrize("text", [
    "gue mau bunuh dia", "sumpah gue habisin dia besok", "pengen bakar rumahnya", "gue nyolong duit nyokap",
    "aku udah ngerampok warung", "besok gue bacok dia", "mau nusuk dia pake pisau", "gue sebarin foto bugilnya",
    "gue mau hack akunnya", "kubunuh dia kalau ketemu",
])
def test_harm_others_phrases(lex, text):
    assert "harm_others" in labels(lex, text)


@pytest.mark.parametrize("text", [
    "aku dipukul suami lagi", "tadi ditampar bapak", "ditendang istri sampe jatuh", "aku dicekik ibu tiriku",
    "ini kdrt kan kak", "aku dikunci di kamar sama suami", "suamiku ngancam bunuh aku kalau lapor",
    "aku mukul istri tadi malam", "mertua sering nampar aku",
])
def test_kdrt_phrases(lex, text):
    assert "kdrt" in labels(lex, text)


@pytest.mark.parametrize("text", [
    "aku denger suara yang nyuruh aku", "ada bisikan di kepalaku tiap malam", "ada yg ngikutin aku terus",
    "gue ga tidur 4 hari", "kayaknya aku halusinasi", "serangan panik lagi tadi", "flashback kejadian itu terus",
    "aku didiagnosis bipolar", "depresiku kambuh", "udah sebulan rasanya kosong banget",
])
def test_acute_disorder_phrases(lex, text):
    assert "acute_disorder" in labels(lex, text)


@pytest.mark.parametrize("text", [
    "gak pengen mati kok", "bukan mau bunuh diri", "ga pernah kepikiran bunuh diri", "tidak ada niat bunuh diri",
])
def test_negation_suppresses(lex, text):
    assert "suicidal" not in labels(lex, text)
    assert "negation" in why(lex, text, "suicidal")


def test_a_question_is_not_a_negation(lex):
    assert "suicidal" in labels(lex, "kak pernah ga sih ngerasa pengen pulang aja ke Tuhan?")


@pytest.mark.parametrize("text,reason", [
    ("temenku mau bunuh diri, aku harus gimana", "third_person"),
    ("temen SMA gue meninggal krn bunuh diri", "third_person"),
    ("kakakku cerito pengen bunuh diri", "third_person"),
    ("berita orang gantung diri bikin sedih", "media"),
    ("di film itu ada adegan bunuh diri", "media"),
])
def test_someone_else_or_media_is_not_the_client(lex, text, reason):
    assert "suicidal" not in labels(lex, text)
    assert reason in why(lex, text, "suicidal")


def test_the_client_named_after_a_friend_is_still_the_client(lex):
    # decision (EVALUATION.md): a friend telling the client to die is about the client
    assert "suicidal" in labels(lex, "temenku bilang aku mending mati aja")


def test_asking_for_oneself_lifts_the_third_person_reading(lex):
    assert "suicidal" in labels(lex, "nek wong bunuh diri iku dosane diampuni ora? aku takon gawe aku dewe")


@pytest.mark.parametrize("text,label", [
    ("mati gaya aku di kondangan", "suicidal"), ("lagi mati lampu sekampung", "suicidal"),
    ("lagi bunuh waktu nunggu kereta", "harm_others"), ("gila kerjaan numpuk bgt", "acute_disorder"),
    ("pengen ngilang dari grup kelas", "suicidal"), ("mati ketawa liat video itu", "suicidal"),
    ("aku kesel, kubilang kubunuh kau nanti. becanda lah kak", "harm_others"),
    ("gue lagi nge-kill quest harian", "harm_others"),
])
def test_idioms_and_jokes_raise_nothing(lex, text, label):
    assert label not in labels(lex, text)


def test_laughter_alone_does_not_silence_a_death_wish(lex):
    assert "suicidal" in labels(lex, "iya kadang mending gw mati aja lol")
    assert "suicidal" not in labels(lex, "malu bgt salah kirim stiker, pengen mati aja wkwk")


def test_past_resolved_and_relapse(lex):
    resolved = "dulu waktu SMP aku pernah kepikiran bunuh diri, tapi sekarang udah baik2 aja"
    assert "suicidal" not in labels(lex, resolved)
    assert "past_resolved" in why(lex, resolved, "suicidal")
    relapse = "aku udh pernah nyoba bunuh diri taun lalu. skrg pikiran itu balik lagi"
    assert "suicidal" in labels(lex, relapse)


def test_a_school_task_or_a_book_about_the_topic_is_not_the_clients_risk(lex):
    for text, label in (
        ("aku dapet tugas bikin poster tentang pencegahan bunuh diri, ada referensi?", "suicidal"),
        ("Saya menyusun makalah mengenai faktor risiko menyakiti diri pada remaja.", "suicidal"),
        ("lagi baca buku tentang skizofrenia buat kuliah", "acute_disorder"),
    ):
        assert label not in labels(lex, text), text
        assert "topic" in why(lex, text, label), text
    # the client named between the topic and the hit, or a plain personal statement, still counts
    assert "suicidal" in labels(lex, "makalah tentang aku yang pengen bunuh diri aja")
    assert "suicidal" in labels(lex, "gagal skripsi, pengen bunuh diri aja")
    assert "suicidal" in labels(lex, "aku mikir tentang bunuh diri terus tiap malam")


def test_negation_reaches_through_a_purpose_word_and_recovery_is_not_a_relapse(lex):
    assert "suicidal" not in labels(lex, "saya capek, tapi saya tidak punya pikiran untuk menyakiti diri")
    assert "suicidal" in labels(lex, "saya punya pikiran untuk menyakiti diri")
    recovered = "dulu saya pernah ingin mati. sekarang alhamdulillah saya sudah jauh lebih kuat"
    assert "past_resolved" in why(lex, recovered, "suicidal")
    assert "suicidal" in labels(lex, "dulu pernah pengen mati, sekarang pikiran itu makin kuat")
    stopped = "waktu SMA saya sering melukai diri. sudah sepuluh tahun saya berhenti"
    assert "suicidal" not in labels(lex, stopped)


def test_household_violence_of_another_household_is_not_kdrt(lex):
    assert "kdrt" not in labels(lex, "temen sekelas gue sering dipukul bokapnya")
    assert "kdrt" not in labels(lex, "sepupu aku dipukulin suaminya tiap lebaran")
    assert "kdrt" in labels(lex, "bokap mukulin gue lagi pake gesper")


def test_a_relative_saying_they_want_to_die_or_divorce_is_not_a_threat(lex):
    # "bilang mau mati": the relative wants to die (someone else's ideation), not a threat to the client
    assert "kdrt" not in labels(lex, "adek ku bilang mau mati, anak2 di rumah pada bingung")
    assert "kdrt" not in labels(lex, "istriku bilang mau cerai dan bawa anak")
    # ...while a relative saying the client will die, or that they will kill, still is
    assert "kdrt" in labels(lex, "suami bilang aku bakal mati kalau lapor polisi, anak2 diambil")
    assert "kdrt" in labels(lex, "suami bilang mau bunuh aku kalau aku minta cerai")


def test_jakarta_causative_matiin_is_a_threat_to_kill_but_not_for_a_lamp(lex):
    assert "kdrt" in labels(lex, "bapak ngancam mau matiin aku")
    assert "harm_others" in labels(lex, "pengen gue matiin aja tuh orang")
    assert labels(lex, "gue matiin lampu dulu ya") == set()


def test_offsets_point_into_the_original_text(lex):
    text = "😭😭 kak... aku pgn MATIIII ajaaa 🥲 serius"
    hits = lex.flags(text)["suicidal"]
    assert hits
    for h in hits:
        assert text[h.start:h.end] == h.text
    assert "MATIIII" in hits[0].text and hits[0].text.startswith("pgn")


def test_offsets_cover_abbreviations_and_reduplication(lex):
    text = "kadang bnh dri keliatan jalan keluar"
    (hit,) = lex.flags(text)["suicidal"]
    assert text[hit.start:hit.end] == hit.text == "bnh dri"
    text = "aku nyakar2 tangan sampe berdarah"
    for h in lex.find(text):
        assert text[h.start:h.end] == h.text


def test_find_keeps_suppressed_hits_and_flags_does_not(lex):
    text = "gak pengen mati kok"
    assert lex.find(text) and all(h.suppressed_by for h in lex.find(text))
    assert lex.flags(text) == {}


def test_hit_is_frozen_and_explains_itself(lex):
    (hit,) = lex.flags("aku pengen bunuh diri")["suicidal"]
    assert isinstance(hit, LexiconHit) and hit.rule.startswith("suicidal.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.label = "kdrt"  # type: ignore[misc]


def test_empty_and_bad_input(lex):
    assert lex.find("") == [] and lex.find("   ...  ") == []
    with pytest.raises(TypeError):
        lex.find(None)  # type: ignore[arg-type]


def test_a_thousand_messages_are_analysed_correctly(lex):
    messages = ["pengen mati aja", "mati gaya nih", "dipukul suami lagi", "temenku mau bunuh diri"] * 250
    results = [set(lex.flags(m)) for m in messages]
    assert results[0::4] == [{"suicidal"}] * 250
    assert results[1::4] == [set()] * 250
    assert results[2::4] == [{"kdrt"}] * 250
    assert results[3::4] == [set()] * 250


# ---- the normaliser ----------------------------------------------------------------------

def test_normaliser_folds_spelling_and_keeps_the_map():
    norm = Normalizer({"pgn": "pengen"})
    text = "Aku PGN m4t1iii 😭, temen2 gk peduli. Dr. Budi"
    nt = norm.normalize(text)
    assert nt.text == "aku pengen mati , temen temen gk peduli . dr budi"
    for tok in nt.tokens:
        assert text[tok.ostart:tok.oend]  # every token maps back to some original text
    assert [text[t.ostart:t.oend] for t in nt.tokens][:3] == ["Aku", "PGN", "m4t1iii"]


# ---- fail fast on bad data ---------------------------------------------------------------

def _tiny(rules: list[dict]) -> dict:
    """A minimal lexicon: compiling the shipped one takes seconds."""
    return {
        "name": "tiny", "version": "0",
        "classes": {"WANT": ["pengen", "mau"], "DIE": ["mati"]},
        "context": {"self": ["aku"], "others": {"default": ["temen*"]}, "media": ["film"],
                    "negators": ["ga", "gak"], "negation_bridge": ["pernah"]},
        "rules": rules,
    }


def test_a_tiny_lexicon_works_end_to_end():
    lex = RiskLexicon.from_dict(_tiny([{"id": "s.want", "label": "suicidal", "phrases": ["@WANT ...1 @DIE"]}]))
    assert set(lex.flags("aku pengen banget mati")) == {"suicidal"}
    assert lex.flags("aku ga pengen mati") == {}
    assert lex.flags("temenku pengen mati") == {}


def test_unknown_label_is_rejected():
    with pytest.raises(LexiconError, match="E-LEX-007"):
        RiskLexicon.from_dict(_tiny([{"id": "x", "label": "sad", "phrases": ["sedih"]}]))


def test_unknown_class_names_the_rule_and_suggests():
    with pytest.raises(LexiconError, match=r"x\.typo.*@WANTT.*WANT"):
        RiskLexicon.from_dict(_tiny([{"id": "x.typo", "label": "suicidal", "phrases": ["@WANTT @DIE"]}]))


def test_unknown_rule_key_and_duplicate_ids_are_rejected():
    with pytest.raises(LexiconError, match="E-LEX-005"):
        RiskLexicon.from_dict(_tiny([{"id": "x", "label": "suicidal", "phrases": ["mati"], "gapp": 2}]))
    rule = {"id": "x", "label": "suicidal", "phrases": ["mati"]}
    with pytest.raises(LexiconError, match="E-LEX-004"):
        RiskLexicon.from_dict(_tiny([rule, rule]))


def test_missing_file_fails_fast(tmp_path):
    with pytest.raises(LexiconError, match="E-LEX-001"):
        RiskLexicon.load(tmp_path / "nope.json")


def test_shipped_file_is_valid_json_with_notes():
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert all(r.get("note") for r in data["rules"]), "every rule says what it is for"


def test_weak_rules_mark_their_hits_and_the_floor_is_validated():
    rules = [{"id": "s.term", "label": "suicidal", "phrases": ["bundir"], "weak": True},
             {"id": "s.want", "label": "suicidal", "phrases": ["@WANT ...1 @DIE"]}]
    lex = RiskLexicon.from_dict(_tiny(rules) | {"model_floor": 0.2})
    assert lex.model_floor == 0.2
    [term] = lex.flags("berita bundir lagi")["suicidal"]
    [want] = lex.flags("aku pengen mati")["suicidal"]
    assert term.weak and not want.weak
    absent = RiskLexicon.from_dict(_tiny(rules))
    assert absent.model_floor == absent.strong_floor == 0.0  # absent: the model never overrules
    for key in ("model_floor", "strong_floor"):
        for bad in (1.0, -0.1, "0.1", True):
            with pytest.raises(LexiconError, match=f"E-LEX-012 .*{key}"):
                RiskLexicon.from_dict(_tiny(rules) | {"model_floor": 0.5, key: bad})
    with pytest.raises(LexiconError, match="E-LEX-013"):
        RiskLexicon.from_dict(_tiny(rules) | {"model_floor": 0.1, "strong_floor": 0.2})


def test_the_floor_a_hit_needs_depends_on_its_rule_and_on_what_the_model_read():
    rules = [{"id": "s.term", "label": "suicidal", "phrases": ["bundir"], "weak": True},
             {"id": "s.want", "label": "suicidal", "phrases": ["@WANT ...1 @DIE"]}]
    lex = RiskLexicon.from_dict(_tiny(rules) | {"model_floor": 0.2, "strong_floor": 0.01})
    [term] = lex.flags("berita bundir lagi")["suicidal"]
    [want] = lex.flags("aku pengen mati")["suicidal"]
    assert lex.model_floor_for([term]) == 0.2
    assert lex.model_floor_for([want]) == lex.model_floor_for([term, want]) == 0.01
    # a hit past the end of what the model read needs nothing from the model
    assert lex.model_floor_for([term], seen_end=term.start) == lex.model_floor_for([want], seen_end=want.start) == 0.0
    assert lex.model_floor_for([term], seen_end=term.end) == 0.2


def test_shipped_lexicon_keeps_stated_intent_strong_and_the_bare_term_weak():
    lex = RiskLexicon.default()
    assert 0.0 < lex.strong_floor <= 0.02 < lex.model_floor < 0.5  # strong hits: only a near-certain model overrules
    [bare] = lex.flags("angka bunuh diri naik lagi")["suicidal"]
    assert bare.weak
    for text in ("aku mau bunuh diri", "kepikiran bunuh diri terus tiap malem", "kemarin aku nyoba bunuh diri"):
        hits = lex.flags(text)["suicidal"]
        assert any(not h.weak for h in hits), text
    assert "suicidal" not in lex.flags("temenku mau bunuh diri")
