"""Indonesian personal-data recognisers: what they must catch, and what they must leave alone."""

from __future__ import annotations

import pytest

from copilot.pii import KINDS, PLACEHOLDERS, find_pii, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hubungi aku di 0812-3456-7890 ya", "hubungi aku di <PHONE> ya"),
        ("wa 0812 3456 7890 ya", "wa <PHONE> ya"),
        ("no hp +62 812 3456 7890.", "no hp <PHONE>."),
        ("+62-812-3456-789", "<PHONE>"),
        ("6281234567890", "<PHONE>"),
        ("(0812) 3456 7890", "<PHONE>"),
        ("0812.3456.7890", "<PHONE>"),
        ("08123456789", "<PHONE>"),
        ("telp kantor 021-5551234 atau (0274) 512345", "telp kantor <PHONE> atau <PHONE>"),
    ],
)
def test_phone_spellings(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_phone_does_not_swallow_the_next_number() -> None:
    assert redact("wa 0812 3456 7890 2 orang") == "wa <PHONE> 2 orang"


@pytest.mark.parametrize(
    "text",
    ["hotline 119 ext 8", "skor 2021-2022, tanggal 03-12-2023", "aku lahir 1998, umur 25",
     "harga @5000 per porsi", "aku jalan kaki 2 jam tadi", "jalan-jalan ke mall no 1 di kota"],
)
def test_leaves_ordinary_text_alone(text: str) -> None:
    assert find_pii(text) == []


def test_email_plain_and_spelled_out() -> None:
    assert redact("email budi.santoso@gmail.com ya") == "email <EMAIL> ya"
    assert redact("budi [at] gmail [dot] com") == "<EMAIL>"


def test_urls_including_chat_links() -> None:
    text = "cek https://bit.ly/abc123, wa.me/6281234567890, t.me/budi_s atau www.konseling.id/x."
    assert redact(text) == "cek <URL>, <URL>, <URL> atau <URL>."


def test_link_beats_the_phone_or_handle_inside_it() -> None:
    spans = find_pii("chat di wa.me/6281234567890 atau instagram.com/@budi")
    assert [s.kind for s in spans] == ["URL", "URL"]


def test_handles_but_not_email_domains() -> None:
    assert redact("follow ig @budi.santoso_ ya.") == "follow ig <USER> ya."
    assert [s.kind for s in find_pii("a@b.co")] == ["EMAIL"]


@pytest.mark.parametrize("text", ["NIK saya 3174011234560001", "nik 3174 0112 3456 0001"])
def test_nik(text: str) -> None:
    assert redact(text).endswith("<NIK>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rumahku di Jl. Merdeka No. 5 RT 02/RW 05, Bandung", "rumahku di <ADDRESS>, Bandung"),
        ("jalan mawar gg 3 no 12 ya", "<ADDRESS> ya"),
        ("Jalan Sudirman no 12", "<ADDRESS>"),
        ("Jl. Kenanga 12 Sleman", "<ADDRESS> Sleman"),
        ("perum griya asri blok C2 no 7", "<ADDRESS>"),
    ],
)
def test_street_addresses(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_spans_explain_themselves_and_point_into_the_text() -> None:
    text = "wa 0812-3456-7890 / budi@mail.com"
    spans = find_pii(text)
    assert [(s.kind, s.text) for s in spans] == [
        ("PHONE", "0812-3456-7890"), ("EMAIL", "budi@mail.com")]
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert "@" in s.recognizer  # name@version


def test_redact_can_limit_kinds_and_rejects_unknown() -> None:
    assert redact("@budi 0812-3456-7890", kinds=["PHONE"]) == "@budi <PHONE>"
    with pytest.raises(ValueError, match="unknown PII kinds"):
        redact("x", kinds=["SSN"])


def test_placeholders_cover_every_kind() -> None:
    assert set(PLACEHOLDERS) == set(KINDS)
    assert PLACEHOLDERS["USER"] == "<USER>"
