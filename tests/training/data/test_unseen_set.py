"""The unseen set stays valid and apart from everything a data build reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.config import load_config
from training.data.authored import read_authored
from training.data.dedupe import normalise

REPO = Path(__file__).resolve().parents[3]
UNSEEN = REPO / "training" / "data" / "unseen"
AUTHORED = REPO / "training" / "data" / "authored"
PENDING = REPO / "training" / "data" / "pending"  # written and checked, waiting for the next model


def _texts(folder: Path) -> set[str]:
    data = read_authored(folder)  # validates against SCHEMA.md, raises listing file:line
    out = {normalise(r.rec["text"]) for kind in ("client", "counselor") for r in data.records[kind]}
    out |= {normalise(t["text"]) for r in data.records["sessions"] for t in r.rec["turns"]}
    return out


def test_unseen_files_are_valid_and_share_no_text_with_the_training_folder():
    unseen = _texts(UNSEEN)
    assert len(unseen) >= 700
    assert not unseen & _texts(AUTHORED)
    if any(PENDING.glob("*.jsonl")):
        assert not unseen & _texts(PENDING)


def test_pending_files_are_valid_and_not_yet_in_the_training_folder():
    """Batches wait in pending/ until the model trained on them ships: a data build grown under a
    shipped model would move the test split away from the figures in its card."""
    if not any(PENDING.glob("*.jsonl")):
        pytest.skip("no batch is waiting in training/data/pending/")
    _texts(PENDING)  # valid against SCHEMA.md
    assert not {p.name for p in PENDING.glob("*.jsonl")} & {p.name for p in AUTHORED.glob("*.jsonl")}


def test_no_data_build_config_reads_the_unseen_folder():
    for cfg_path in (REPO / "training" / "configs").glob("*.toml"):
        cfg = load_config(cfg_path)
        authored = cfg.get("paths", {}).get("authored")
        if authored:
            assert (REPO / authored).resolve() != UNSEEN.resolve(), cfg_path
    assert not {p.name for p in UNSEEN.glob("*.jsonl")} & {p.name for p in AUTHORED.glob("*.jsonl")}
