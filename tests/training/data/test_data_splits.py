"""Hashed group splits: fixed, proportional, never leaking."""

from __future__ import annotations

from collections import Counter

import pytest

from training.data.example import Example
from training.data.splits import assign_splits, conversation_group, split_of, text_group


def row(i: int, group: str) -> Example:
    return Example(id=str(i), source="s", lang="id", role="client", text=f"t{i}", group=group)


def test_split_depends_only_on_the_group() -> None:
    assert split_of("annomi_en/7") == split_of("annomi_en/7")
    assert text_group("Halo Kak!") == text_group("halo   kak")  # normalised text
    assert conversation_group("annomi_en", "7") == "annomi_en/7"


def test_ratios_are_roughly_kept() -> None:
    counts = Counter(split_of(f"g/{i}") for i in range(20000))
    assert abs(counts["train"] / 20000 - 0.8) < 0.015
    assert abs(counts["dev"] / 20000 - 0.1) < 0.01


def test_split_of_a_row_never_changes_when_rows_are_added() -> None:
    rows = [row(i, f"g/{i % 50}") for i in range(200)]
    assign_splits(rows)
    before = {r.id: r.split for r in rows}
    more = rows + [row(1000 + i, f"new/{i}") for i in range(500)]
    assign_splits(more)
    assert {r.id: r.split for r in more if r.id in before} == before


def test_no_group_in_two_splits() -> None:
    rows = [row(i, f"g/{i % 37}") for i in range(1000)]
    assign_splits(rows)
    splits_per_group: dict[str, set[str]] = {}
    for r in rows:
        splits_per_group.setdefault(r.group, set()).add(r.split)
    assert all(len(s) == 1 for s in splits_per_group.values())


def test_bad_ratios_are_rejected() -> None:
    with pytest.raises(ValueError, match="summing to 100"):
        split_of("g", {"train": 80, "dev": 10, "test": 5})
