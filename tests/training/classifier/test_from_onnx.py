"""Reading a parent model out of git history for an update stage."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from training.classifier.from_onnx import OnnxCheckpointError, load_parent, materialize_parent, word_table


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def test_the_parent_is_read_from_the_named_commit_even_after_models_moved_on(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    model = repo / "models" / "m"
    model.mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.org")
    _git(repo, "config", "user.name", "t")
    (model / "manifest.json").write_text(json.dumps({"name": "m", "version": "0.2.0"}))
    (model / "model.onnx").write_bytes(b"\x00graph-0.2.0\xff")
    (model / "tokenizer.json").write_text('{"model": {"type": "Unigram", "vocab": [["<s>", 0.0]]}}')
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "0.2.0")
    rev = _git(repo, "rev-parse", "--short", "HEAD")
    (model / "manifest.json").write_text(json.dumps({"name": "m", "version": "0.3.0"}))
    (model / "model.onnx").write_bytes(b"graph-0.3.0")
    _git(repo, "commit", "-qam", "0.3.0")

    monkeypatch.chdir(repo)
    with pytest.raises(OnnxCheckpointError, match="0.3.0"):
        load_parent(Path("models/m"), "0.2.0")  # the working tree has moved on
    dest = materialize_parent(Path("models/m"), rev, tmp_path / "parent")
    assert (dest / "model.onnx").read_bytes() == b"\x00graph-0.2.0\xff"
    assert (dest / "tokenizer.json").exists()
    assert load_parent(dest, "0.2.0")["version"] == "0.2.0"
    with pytest.raises(OnnxCheckpointError, match="cannot read"):
        materialize_parent(Path("models/m"), "0000000", tmp_path / "nowhere")
    with pytest.raises(OnnxCheckpointError, match="manifest.json missing"):
        load_parent(tmp_path / "nowhere", None)


def test_a_grown_base_vocabulary_is_matched_piece_by_piece():
    """New authored text adds pieces to the trimmed base vocabulary after the parent shipped:
    shared pieces keep their rows wherever they moved, new pieces take the base's rows."""
    rng = np.random.default_rng(0)
    base_pieces = ["<s>", "aku", "mati", "gaya", "kamek", "</s>"]     # "kamek" is new
    parent_pieces = ["<s>", "aku", "gaya", "mati", "</s>"]            # different order, no "kamek"
    base = rng.normal(size=(6, 4)).astype(np.float32)
    rows = [base_pieces.index(p) for p in parent_pieces]
    step = 0.01
    frozen = base[rows] + rng.uniform(-step / 2, step / 2, size=(5, 4)).astype(np.float32)  # int8 copy
    assert word_table(frozen, step, base, base_pieces, parent_pieces) is base

    trained = base[rows] + 1.0  # a parent trained with unfrozen embeddings: its rows win
    word = word_table(trained, step, base, base_pieces, parent_pieces)
    for p in parent_pieces:
        assert np.allclose(word[base_pieces.index(p)], trained[parent_pieces.index(p)])
    assert np.allclose(word[base_pieces.index("kamek")], base[base_pieces.index("kamek")])

    with pytest.raises(OnnxCheckpointError, match="no parent tokenizer"):
        word_table(frozen, step, base, base_pieces, None)
    with pytest.raises(OnnxCheckpointError, match="tokenizer sizes"):
        word_table(frozen, step, base, base_pieces, parent_pieces[:-1])
    with pytest.raises(OnnxCheckpointError, match="share no piece"):
        word_table(frozen, step, base, base_pieces, ["x", "y", "z", "v", "w"])
