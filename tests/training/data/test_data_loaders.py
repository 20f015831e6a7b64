"""Every public loader on its tiny fixture: repairs, anonymisation, honest label mapping."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from training.data.emotion_mapping import map_emotion
from training.data.example import Example
from training.data.sources import PUBLIC_SOURCES


def load(name: str, public_dir: Path) -> tuple[list[Example], Counter[str]]:
    stats: Counter[str] = Counter()
    src = PUBLIC_SOURCES[name]
    return src.load(public_dir / src.folder, stats), stats


def by_id(rows: list[Example]) -> dict[str, Example]:
    return {r.id: r for r in rows}


def test_apricitea(public_dir: Path) -> None:
    rows, stats = load("apricitea_suicide_id", public_dir)
    r = by_id(rows)
    assert r["apricitea_suicide_id:1"].text == "suasana batin ngerasa tertekan banget 😔"
    assert r["apricitea_suicide_id:2"].text.startswith("KAMU MAU")  # reply handle gone
    assert r["apricitea_suicide_id:3"].text.endswith("<URL>")
    assert "<PHONE>" in r["apricitea_suicide_id:9"].text
    assert stats["dropped_empty_after_cleaning"] == 1  # "@a @b" is nothing but handles
    for row in rows:
        assert set(row.risk) == {"suicidal"} and not row.flags and row.emotion is None
        assert row.hard_negative == (row.risk["suicidal"] == 0)
        assert row.role == "client" and row.lang == "id" and not row.proxy


def test_ibrohim_2019_escapes_quotes_and_placeholders(public_dir: Path) -> None:
    rows, stats = load("ibrohim_hate_abusive", public_dir)
    texts = [r.text for r in rows]
    assert "basic elo cowok bego ! ! !" in texts[0] and not texts[0].endswith("'")
    assert texts[1] == "siapa yang telat ngasih tau elu?edan sarap gue"
    assert texts[2] == "Ya bani taplak dkk 😄😄"
    assert "kita² juga... <URL>" in texts[3]
    assert texts[4] == "kekayaan kita, tutur Djarot & kawan\nlanjut besok"
    assert stats["dropped_empty_after_cleaning"] == 1
    assert all(r.proxy and set(r.risk) == {"abusive"} for r in rows)
    assert [r.risk["abusive"] for r in rows] == [1, 1, 1, 0, 0]


def test_ibrohim_2018_only_offensive_is_abusive(public_dir: Path) -> None:
    rows, _ = load("ibrohim_abusive_2018", public_dir)
    assert [(r.risk["abusive"], r.hard_negative) for r in rows] == [
        (1, False), (0, True), (0, False)]
    assert rows[1].text.endswith("😑")
    assert rows[2].text == "selamat pagi semua <USER> <URL>"


def test_saputri_maps_emotions_and_drops_love(public_dir: Path) -> None:
    rows, stats = load("saputri_emotion", public_dir)
    assert [r.emotion for r in rows] == ["marah", "senang", "sedih", "cemas"]
    assert stats["dropped_label:love"] == 1
    assert rows[0].text.endswith("<USER> <URL>")


def test_riccosan_is_tab_separated_with_quotes(public_dir: Path) -> None:
    rows, stats = load("riccosan_emotion_opinion", public_dir)
    assert stats["dropped_label:love"] == 2
    assert Counter(r.emotion for r in rows) == Counter(
        {"marah": 2, "cemas": 2, "senang": 2, "netral": 2, "sedih": 2})
    assert any(r.text.startswith('"cilukba" pake') for r in rows)


def test_annomi_skills_majority_and_ties(public_dir: Path) -> None:
    rows, stats = load("annomi_en", public_dir)
    r = by_id(rows)
    assert r["annomi_en:0:0"].skill == "open_question"
    assert r["annomi_en:0:2"].skill == "closed_question"
    assert r["annomi_en:0:3"].skill == "reflection"
    assert r["annomi_en:2:0"].skill == "reflection"  # 2 of 3 annotators
    assert "annomi_en:1:1" not in r and stats["dropped_annotator_tie"] == 1
    assert "annomi_en:0:1" not in r  # client utterances carry no skill
    assert {x.group for x in rows} == {"annomi_en/0", "annomi_en/1", "annomi_en/2"}
    assert all(x.lang == "en" and x.role == "counselor" for x in rows)


def test_mi_strategy_judgmental_proxy(public_dir: Path) -> None:
    rows, _ = load("mi_strategy_en", public_dir)
    assert [(r.skill, r.flags["judgmental"]) for r in rows] == [
        ("open_question", 0), ("other", 1), ("other", 1), ("reflection", 0), ("closed_question", 0)]
    assert all(r.proxy for r in rows)
    weak, stats = load("mi_strategy_en_weak", public_dir)
    assert len(weak) == 1 and weak[0].group == "mi_strategy_en_weak/0"
    assert stats["dropped_no_weak_label"] == 1


def test_esconv_drops_questions_and_recovers_conversations(public_dir: Path) -> None:
    rows, stats = load("esconv_en", public_dir)
    assert [(r.text, r.skill) for r in rows] == [
        ("Hello", "other"), ("You sound exhausted.", "reflection"),
        ("Maybe take a walk.", "other"), ("So work is the main worry.", "reflection")]
    assert stats["dropped_unmapped:Questions"] == 1
    assert [r.group for r in rows] == ["esconv_en/dev-0000", "esconv_en/dev-0000",
                                       "esconv_en/dev-0001", "esconv_en/test-0000"]


def test_epitome_only_mechanism_free_replies(public_dir: Path) -> None:
    rows, stats = load("epitome_en", public_dir)
    assert [(r.id, r.skill) for r in rows] == [("epitome_en:s1:r1", "other")]
    assert stats["dropped_no_honest_skill"] == 2  # an emotional reaction; a question


def test_unknown_emotion_label_fails_loudly() -> None:
    assert map_emotion("Sad") == "sedih" and map_emotion("love") is None
    with pytest.raises(KeyError):
        map_emotion("disgust")


def test_every_source_declares_provenance() -> None:
    for src in PUBLIC_SOURCES.values():
        assert "@" in src.repository and src.licence and src.card.endswith(".md")
