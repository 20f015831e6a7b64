"""Fixtures for the suggestion, summary, review and replay tests.

`FakeAnalyzer` (suggest_fakes.py) stands in for the ONNX model where a test needs to decide
what the model says (a line it flags, a skill it disagrees on). Tests of the real runtime path
use the degraded analyzer, the tiny trained classifier, or the shipped model (slow).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from suggest_fakes import FakeAnalyzer

REPO = Path(__file__).resolve().parents[2]
AUTHORED = REPO / "training" / "data" / "authored"
SHIPPED_MODEL = REPO / "models" / "konselor-id"


def load_sessions() -> list[dict]:
    out = []
    for f in sorted(AUTHORED.glob("sessions_*.jsonl")):
        out += [
            json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return out


@pytest.fixture(scope="session")
def sessions() -> list[dict]:
    return load_sessions()


@pytest.fixture
def fake_analyzer() -> FakeAnalyzer:
    return FakeAnalyzer()


@pytest.fixture(scope="session")
def shipped_analyzer():
    """The real shipped model, for the slow end-to-end figures."""
    if not (SHIPPED_MODEL / "manifest.json").is_file():
        pytest.skip("models/konselor-id is not there yet")
    from copilot.analyzer import Analyzer
    from copilot.settings import Settings

    a = Analyzer.from_settings(Settings(model_dir=SHIPPED_MODEL))
    if a.degraded:
        pytest.fail(f"shipped model failed to load: {a.load_error}")
    return a


@pytest.fixture(scope="session")
def shipped_suggester(shipped_analyzer):
    from copilot.suggest import Suggester, SuggestionBank

    return Suggester(shipped_analyzer, SuggestionBank.load().prepare(shipped_analyzer))


@pytest.fixture(scope="session")
def tiny_classifier_dir(tiny_hf_dir, tmp_path_factory) -> Path:
    """A tiny classifier with all four heads, trained and exported by the real pipeline
    (as tests/training/classifier/test_pipeline.py does): the runtime path end to end."""
    from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS
    from training.classifier.export_model import export_classifier
    from training.classifier.train import train_classifier

    client = [
        ("aku pengen mati", {"suicidal": 1}, "putus_asa"),
        ("aku capek banget", {}, "sedih"),
        ("suami pukul aku takut", {"kdrt": 1}, "cemas"),
        ("aku sedih kak", {}, "sedih"),
    ]
    counselor = [
        ("kamu mau cerita?", {}, "open_question"),
        ("gak usah lebay", {"judgmental": 1}, "other"),
        ("kamu sedih ya", {}, "reflection"),
        ("kamu takut?", {}, "closed_question"),
    ]
    rows = []
    for k, split in enumerate(["train"] * 4 + ["dev"] * 2 + ["test"] * 2):
        for i, (t, risk, emo) in enumerate(client):
            rows.append(
                {
                    "id": f"c{k}-{i}",
                    "source": "authored_client",
                    "lang": "id",
                    "role": "client",
                    "text": t,
                    "group": f"c{k}-{i}",
                    "split": split,
                    "proxy": False,
                    "hard_negative": False,
                    "register": "informal",
                    "augmented": False,
                    "targets": {
                        "risk": {x: risk.get(x, 0) for x in CLIENT_RISK},
                        "flags": {},
                        "skill": None,
                        "emotion": emo,
                    },
                }
            )
        for i, (t, flags, skill) in enumerate(counselor):
            rows.append(
                {
                    "id": f"k{k}-{i}",
                    "source": "authored_counselor",
                    "lang": "id",
                    "role": "counselor",
                    "text": t,
                    "group": f"k{k}-{i}",
                    "split": split,
                    "proxy": False,
                    "hard_negative": False,
                    "register": "informal",
                    "augmented": False,
                    "targets": {
                        "risk": {},
                        "flags": {x: flags.get(x, 0) for x in COUNSELOR_FLAGS},
                        "skill": skill,
                        "emotion": None,
                    },
                }
            )
    root = tmp_path_factory.mktemp("tiny-clf")
    (root / "data").mkdir()
    (root / "data" / "examples.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    cfg = {
        "data": {"dir": str(root / "data"), "augmented": True},
        "model": {"base_dir": str(tiny_hf_dir), "prefix": "query: "},
        "train": {
            "seed": 1,
            "epochs": 2,
            "batch_size": 8,
            "max_length": 32,
            "lr": 1e-3,
            "head_lr": 1e-2,
            "weight_decay": 0.0,
            "warmup": 0.0,
            "dropout": 0.0,
            "freeze_embeddings": False,
            "freeze_layers": 0,
            "log_every": 50,
            "threads": 1,
        },
        "thresholds": {"crisis_min_recall": 0.95, "dev_sources": ["authored_"]},
        "export": {
            "max_length": 32,
            "fp32_tolerance": 1e-3,
            "int8_min_cosine": 0.5,
            "keep_fp32": False,
        },
        "output": {
            "dir": str(root / "ckpt"),
            "model_dir": str(root / "model"),
            "name": "tiny",
            "version": "0.0.1",
            "data_cards": [],
        },
    }
    train_classifier(cfg)
    export_classifier(root / "ckpt", root / "model", cfg)
    return root / "model"
