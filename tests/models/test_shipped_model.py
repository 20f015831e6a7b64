"""The shipped model still meets the numbers in its card, on the project's own test split."""

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "konselor-id"
PUBLIC = (REPO / ".." / "shared" / "datasets").resolve()


def test_shipped_model_is_complete_and_small():
    from copilot.model_dir import load_manifest

    man = load_manifest(MODEL)  # checks every file's size and sha256
    assert man.kind == "classifier"
    assert set(man.heads) == {"risk", "flags", "skill", "emotion"}
    assert (MODEL / "model.onnx").stat().st_size <= 50 * 1024 * 1024
    assert (MODEL / "README.md").is_file() and man.metrics.get("headline")
    for card in man.data_cards:
        assert (REPO / card).is_file(), card


@pytest.mark.slow
@pytest.mark.skipif(not PUBLIC.is_dir(), reason=f"public datasets not found at {PUBLIC}")
def test_shipped_model_meets_its_card(tmp_path):
    from training.classifier.evaluate import evaluate
    from training.config import load_config
    from training.data.build import build_dataset

    dcfg = load_config(REPO / "training" / "configs" / "data.toml",
                       ["measure.eval_enabled=false", "measure.encoder=\"hashing\"", f"paths.public=\"{PUBLIC}\"",
                        f"paths.authored=\"{REPO / 'training' / 'data' / 'authored'}\"", "paths.cache=\"\""])
    build_dataset(dcfg, tmp_path / "data")
    cfg = load_config(REPO / "training" / "configs" / "classifier.toml",
                      [f"data.dir=\"{tmp_path / 'data'}\"", f"output.dir=\"{tmp_path / 'out'}\"",
                       f"output.model_dir=\"{MODEL}\""])
    report = evaluate(cfg)
    card = json.loads((MODEL / "manifest.json").read_text())["metrics"]
    for label, m in card["labels"].items():
        assert report["labels"][label]["system"]["f1"] == pytest.approx(m["system_f1"], abs=0.02), label
        assert report["labels"][label]["system"]["recall"] == pytest.approx(m["system_recall"], abs=0.02), label
    h = report["headline"]
    assert h["hard_negative_fpr"] == pytest.approx(card["headline"]["hard_negative_fpr"], abs=0.02)
    assert h["skill_accuracy"] == pytest.approx(card["headline"]["skill_accuracy"], abs=0.02)
