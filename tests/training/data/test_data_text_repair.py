"""Encoding repairs and anonymisation of public texts."""

from __future__ import annotations

from training.data.anonymise import anonymise_tweet
from training.data.text_repair import (
    decode_byte_escapes,
    drop_broken_utf8,
    fix_mojibake,
    tidy_whitespace,
    unescape_html,
)


def test_mojibake_is_repaired() -> None:
    broken = "tertekan banget 😔".encode().decode("latin-1")
    assert fix_mojibake(broken) == "tertekan banget 😔"


def test_literal_byte_escapes_become_characters() -> None:
    assert decode_byte_escapes(r"dkk \xf0\x9f\x98\x84\xf0\x9f\x98\x84") == "dkk 😄😄"
    assert decode_byte_escapes(r"baris\n\nbaris") == "baris\n\nbaris"


def test_truncated_and_invalid_escapes_are_dropped() -> None:
    assert decode_byte_escapes(r"bacot mulu \x8") == "bacot mulu "
    assert decode_byte_escapes(r"potong \xf0\x9f\x98") == "potong "


def test_lost_utf8_fragments_go_but_real_accents_stay() -> None:
    assert drop_broken_utf8("kita,â?? tutur café") == "kita, tutur café"
    assert drop_broken_utf8("muka keibuan ðŸ«") == "muka keibuan "


def test_html_and_whitespace() -> None:
    assert unescape_html("A &amp; B") == "A & B"
    assert tidy_whitespace("  a   b \n\n\n c ") == "a b\nc"


def test_tweets_lose_reply_prefixes_retweets_and_personal_data() -> None:
    assert anonymise_tweet("RT USER: USER siapa yang telat") == "siapa yang telat"
    assert anonymise_tweet("@budi @ani hai kamu @citra") == "hai kamu <USER>"
    assert anonymise_tweet("lihat [URL] dan [USERNAME]") == "lihat <URL> dan <USER>"
    assert anonymise_tweet("cek https://t.co/x wa 0812-3456-7890") == "cek <URL> wa <PHONE>"
