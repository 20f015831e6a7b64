"""Reading a parent model out of git history for an update stage."""

import json
import subprocess
from pathlib import Path

import pytest

from training.classifier.from_onnx import OnnxCheckpointError, load_parent, materialize_parent


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
    assert load_parent(dest, "0.2.0")["version"] == "0.2.0"
    with pytest.raises(OnnxCheckpointError, match="cannot read"):
        materialize_parent(Path("models/m"), "0000000", tmp_path / "nowhere")
    with pytest.raises(OnnxCheckpointError, match="manifest.json missing"):
        load_parent(tmp_path / "nowhere", None)
