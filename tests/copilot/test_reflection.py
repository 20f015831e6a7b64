"""Reflections from the client's own words: pronoun shift, nickname, emotion, what is never said back."""

import pytest

from copilot.analysis import Analysis
from copilot.reflection import address_term, reflect, shift_pronouns
from copilot.transcript import Turn


def client(text, emotion="sedih", flags=(), index=5):
    a = Analysis("client", list(flags), {}, {}, {}, "model", False, emotion=emotion)
    return Turn(index, "client", text, a)


@pytest.mark.parametrize(
    "said, heard",
    [
        ("suamiku pukul aku lagi", "suamimu pukul kamu lagi"),
        ("gue takut, gw ga tau harus gimana", "kamu takut, kamu ga tau harus gimana"),
        ("saya capek sama kerjaan saya", "kamu capek sama kerjaan kamu"),
        ("hidupku berantakan", "hidupmu berantakan"),
        ("kurasa dia marah", "kamu rasa dia marah"),
        # words that merely end in "ku" keep their ending
        ("buku sama bangku sebangku", "buku sama bangku sebangku"),
    ],
)
def test_pronoun_shift_informal(said, heard):
    assert shift_pronouns(said) == heard


def test_pronoun_shift_follows_a_formal_counselor():
    assert shift_pronouns("suamiku pukul aku", "Anda") == "suami Anda pukul Anda"
    assert shift_pronouns("istri saya pergi", "Bapak") == "istri Bapak pergi"


def test_address_term_is_what_the_counselor_uses():
    turns = [
        Turn(0, "counselor", "Selamat malam, Pak. Bapak mau dipanggil siapa?"),
        Turn(2, "counselor", "Baik, Pak Hendra, apa yang ingin Bapak bicarakan?"),
    ]
    assert address_term(turns) == "Bapak"
    assert (
        address_term([Turn(0, "counselor", "Hai, kamu mau cerita apa? Ceritain aja kisahmu.")])
        == "kamu"
    )
    assert address_term([]) == "kamu"


def test_reflection_keeps_nickname_and_model_emotion():
    out = reflect(
        client("suamiku kalau marah suka banting barang di rumah kak", emotion="cemas"),
        nickname="Yuli",
    )
    texts = [r.text for r in out]
    assert (
        texts[0]
        == "Kedengarannya kamu merasa cemas, Yuli, karena suamimu kalau marah suka banting barang di rumah."
    )
    assert texts[1] == "Jadi, suamimu kalau marah suka banting barang di rumah, Yuli."
    assert out[0].kind == "feeling+content" and out[0].emotion == "cemas"
    start, end = out[1].span
    assert (
        "suamiku" in client("suamiku kalau marah suka banting barang di rumah kak").text[start:end]
    )


def test_neutral_emotion_gives_content_only_and_abbreviations_are_spelled_out():
    out = reflect(client("udh 2 minggu gw ga bisa tidur tiap malem", emotion="netral"))
    assert [r.kind for r in out] == ["content"]
    assert out[0].text == "Jadi, sudah 2 minggu kamu nggak bisa tidur tiap malem."


def test_honorific_nickname_becomes_the_subject():
    out = reflect(
        client("sy di PHK 4 bulan lalu dari pabrik", emotion="sedih"),
        nickname="Pak Marulak",
        you="Bapak",
    )
    assert out[0].text.startswith(
        "Kedengarannya Pak Marulak merasa sedih, karena Bapak di PHK 4 bulan lalu"
    )


def test_what_is_never_reflected():
    # questions to the counselor, insults, and an abusive turn
    assert reflect(client("kakak praktek di mana? boleh minta nomor wa?", emotion="netral")) == []
    assert reflect(client("mandor gw anjing bgt", emotion="marah"))[0].kind == "feeling"
    assert (
        reflect(client("otak lu di mana sih goblok tolol", flags=["abusive"], emotion="marah"))
        == []
    )
    # crisis evidence is left to the protocol
    t = client("aku pengen mati aja. aku capek sama kuliah aku", emotion="putus_asa")
    out = reflect(t, avoid=[(0, 21)])
    assert all("mati" not in r.text for r in out)


def test_reflect_rejects_counselor_turns():
    with pytest.raises(ValueError):
        reflect(Turn(0, "counselor", "Halo"))


def test_summary_in_the_clients_own_words():
    from copilot.reflection import summarize

    turns = [
        client("aku baru tau suamiku selingkuh minggu lalu", index=1),
        client("aku ga kerja dan anak 2 masih kecil", index=3),
        client("otak lu di mana sih", flags=["abusive"], index=5),
        client("aku bingung harus gimana sama hidupku", index=7),
    ]
    r = summarize(turns, nickname="Rina")
    assert r.kind == "summary"
    assert r.text == (
        "Jadi, sejauh ini yang kamu ceritakan, Rina: kamu baru tau suamimu selingkuh minggu lalu, "
        "kamu nggak kerja dan anak 2 masih kecil, dan kamu bingung harus bagaimana sama hidupmu."
    )
    assert summarize(turns[:1]) is None  # one statement is a reflection, not a summary
