"""Augmentation: deterministic, training rows only, copies stay in their parent's group."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from training.data.augment import AugmentSettings, ChatStyler, augment, row_rng
from training.data.example import Example
from training.data.slang_lexicon import build_lexicon, load_lexicon, plausible_spelling

SETTINGS = AugmentSettings(seed=7, copies=2, sources=("src",), registers=("formal", None),
                           p_slang=0.9, p_typo=0.2)
FORMAL = "Saya sangat sedih karena tidak bisa tidur sejak ayah saya meninggal dunia."


def rows() -> list[Example]:
    base = Example(id="r0", source="src", lang="id", role="client", text=FORMAL, group="g/0",
                   split="train", risk={"suicidal": 0}, register="formal")
    return [
        base,
        replace(base, id="r1", split="dev"),
        replace(base, id="r2", split="test"),
        replace(base, id="r3", register="informal"),
        replace(base, id="r4", lang="en", text="I feel very sad because I cannot sleep."),
        replace(base, id="r5", source="other"),
        replace(base, id="r6", register=None, text="Tidak ada yang peduli <USER> sekarang."),
    ]


def lexicon(public_dir: Path):  # type: ignore[no-untyped-def]
    return load_lexicon(public_dir)[0]


def test_only_eligible_training_rows_are_augmented(public_dir: Path) -> None:
    copies = augment(rows(), lexicon(public_dir), SETTINGS)
    assert {c.id.split("#")[0] for c in copies} == {"r0", "r6"}
    for c in copies:
        assert c.augmented and c.split == "train" and c.group == "g/0"
        assert c.register == "informal" and c.risk == {"suicidal": 0}
        assert c.text != FORMAL


def test_augmentation_is_deterministic_and_independent_of_other_rows(public_dir: Path) -> None:
    lex = lexicon(public_dir)
    first = [c.to_json() for c in augment(rows(), lex, SETTINGS)]
    again = [c.to_json() for c in augment(rows(), lex, SETTINGS)]
    alone = [c.to_json() for c in augment(rows()[:1], lex, SETTINGS)]
    assert first == again
    assert alone == [c for c in first if c["id"].startswith("r0#")]


def test_seed_changes_the_copies(public_dir: Path) -> None:
    lex = lexicon(public_dir)
    a = augment(rows(), lex, SETTINGS)
    b = augment(rows(), lex, replace(SETTINGS, seed=8))
    assert [c.text for c in a] != [c.text for c in b]


def test_placeholders_survive_and_text_gets_chat_like(public_dir: Path) -> None:
    styler = ChatStyler(lexicon(public_dir), replace(SETTINGS, p_slang=1.0, p_lowercase=1.0))
    out = styler.stylise("Tidak ada yang peduli <USER> sekarang. Sudah.", row_rng(1, "x", 1))
    assert "<USER>" in out
    assert out.replace("<USER>", "") == out.replace("<USER>", "").lower()
    assert not any(w in out.split() for w in ("Tidak", "yang"))  # replaced by chat spellings


def test_lexicon_inverts_only_plausible_spellings() -> None:
    lex = build_lexicon([("dgn", "dengan"), ("with", "dengan"), ("nsudah", "sudah"),
                         ("udah", "sudah"), ("ahokbtpjakarta", "ahok"), ("mu\u00e2", "x")])
    assert lex.formal_to_slang == {"dengan": ("dgn",), "sudah": ("udah",)}
    assert lex.is_slang("with") and not lex.is_slang("nsudah")
    assert not lex.is_slang("ahokbtpjakarta")
    assert plausible_spelling("belom", "belum") and not plausible_spelling("karo", "dengan")
