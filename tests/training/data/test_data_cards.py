"""Data cards: only the build block is rewritten, and every card exists with one."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from training.data.build import build_dataset
from training.data.cards import (
    END,
    START,
    CardError,
    _replace_block,
    counts_markdown,
    update_cards,
)
from training.data.sources import PUBLIC_SOURCES

CARDS = Path(__file__).resolve().parents[3] / "data_cards"


def test_block_replacement_keeps_the_rest(tmp_path: Path) -> None:
    card = tmp_path / "x.md"
    card.write_text(f"---\nlicense: x\n---\n# X\nhand-written\n{START}\nold\n{END}\ntail\n")
    _replace_block(card, "new numbers")
    expected = f"---\nlicense: x\n---\n# X\nhand-written\n{START}\nnew numbers\n{END}\ntail\n"
    assert card.read_text() == expected


def test_card_without_markers_fails(tmp_path: Path) -> None:
    card = tmp_path / "x.md"
    card.write_text("# X\n")
    with pytest.raises(CardError, match="E402"):
        _replace_block(card, "numbers")


def test_counts_markdown() -> None:
    split = {"train": 8, "dev": 1, "test": 1, "total": 10}
    md = counts_markdown({"rows": split, "risk": {"suicidal": {"pos": split, "neg": split}},
                          "emotion": {"sedih": split}})
    assert "| `suicidal` pos | 8 | 1 | 1 | 10 |" in md and "| `sedih` | 8 |" in md


def test_every_card_exists_with_front_matter_and_build_block() -> None:
    names = {src.card for src in PUBLIC_SOURCES.values()} | {"authored_id.md"}
    for name in names:
        text = (CARDS / name).read_text(encoding="utf-8")
        assert text.startswith("---\n") and "\n---\n" in text[4:], name
        assert START in text and END in text, name


def test_update_cards_from_a_tiny_build(make_config: Callable[..., dict[str, Any]],
                                        tmp_path: Path) -> None:
    result = build_dataset(make_config())
    cards = tmp_path / "cards"
    shutil.copytree(CARDS, cards)
    diversity = json.loads((result.out_dir / "diversity.json").read_text())
    written = update_cards(cards, result.manifest, diversity)
    assert len(written) == 10  # nine public cards (weak MI shares one) + authored
    apricitea = (cards / "apricitea_suicide_id.md").read_text()
    assert f"From build `{result.version}`" in apricitea and "| `suicidal` pos |" in apricitea
    head = (CARDS / "apricitea_suicide_id.md").read_text().split(START)[0]
    assert apricitea.startswith(head)  # the hand-written part is untouched
    assert "Requirements of the issue" in (cards / "authored_id.md").read_text()
