"""Diversity measures, the requirement check and the embedding cache on tiny inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training.data.authored import read_authored
from training.data.diversity import (
    cosine_baseline,
    distinct_n,
    diversity_report,
    near_duplicates,
    tokens,
)
from training.data.diversity_render import render_diversity
from training.data.requirements import check_requirements
from training.data.slang_lexicon import build_lexicon
from training.data.text_encoders import CachedEncoder, HashingEncoder


def test_distinct_n_and_tokens() -> None:
    toks = [tokens("Aku capek, aku capek!"), tokens("aku senang")]
    assert toks[0] == ["aku", "capek", "aku", "capek"]
    assert distinct_n(toks, 1) == round(3 / 6, 4)
    assert distinct_n(toks, 2) == round(3 / 4, 4)  # (aku capek) x2, (capek aku), (aku senang)
    assert distinct_n([[]], 2) is None


def test_near_duplicates_pairs_and_rate() -> None:
    v = np.array([[1, 0], [1, 0.01], [0, 1]], dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    twins, pairs = near_duplicates(v, 0.95)
    assert twins.tolist() == [True, True, False]
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert set(cosine_baseline(v, seed=0)) == {"p50", "p90", "p99", "p99.9"}


def test_report_on_fixture(authored_dir: Path) -> None:
    lexicon = build_lexicon([("udah", "sudah"), ("gak", "tidak"), ("aja", "saja")])
    report = diversity_report(read_authored(authored_dir), HashingEncoder(), lexicon, 0.95, 3, 1)
    assert report["overall"]["texts"] == 20
    assert set(report["files"]) == {"client_test.jsonl", "counselor_test.jsonl",
                                    "sessions_test.jsonl"}
    client = report["by_kind"]["client"]["labels"]
    assert client["risk"]["suicidal"] == 1 and client["no_label"] == 3
    assert client["no_label_hard_negative"] == 2
    assert report["files"]["sessions_test.jsonl"]["labels"]["sessions_per_risk"]["suicidal"] == 1
    assert 0 < report["overall"]["slang_share"] < 1
    req = check_requirements(report["by_kind"], {"client_per_risk_label": 1, "sessions": 2})
    assert req["items"]["client_suicidal"]["met"] and not req["items"]["client_harm_others"]["met"]
    assert req["items"]["sessions"]["met"] and not req["all_met"]
    md = render_diversity(report, req)
    assert "| **overall** | 20 |" in md and "client_harm_others | 0 | 1 | **no** |" in md


def test_embedding_cache_returns_what_it_stored(tmp_path: Path) -> None:
    texts = ["halo kak", "aku sedih", "halo kak"]
    fresh = HashingEncoder().encode(texts)
    first = CachedEncoder(HashingEncoder(), tmp_path).encode(texts)
    reloaded = CachedEncoder(HashingEncoder(), tmp_path).encode(texts[::-1])
    assert np.array_equal(first, fresh) and np.array_equal(reloaded, fresh[::-1])
    assert not any(p.suffix == ".pkl" for p in tmp_path.rglob("*"))


def test_cross_split_twins_are_listed() -> None:
    from training.data.example import Example
    from training.data.split_leakage import cross_split_twins, summary

    def row(i: str, text: str, split: str, source: str = "authored_client") -> Example:
        return Example(id=i, source=source, lang="id", role="client", text=text,
                       group=f"text/{i}", split=split)

    rows = [row("a", "aku sedih banget hari ini kak", "train"),
            row("b", "aku sedih banget hari ini kak!", "test"),
            row("c", "besok aku ujian matematika", "dev"),
            row("d", "aku sedih banget hari ini kak", "test", source="apricitea_suicide_id")]
    report = cross_split_twins(rows, HashingEncoder(), 0.9)
    assert report["test"]["with_train_twin"] == 1 and report["test"]["twins"][0]["train_id"] == "a"
    assert report["dev"]["with_train_twin"] == 0
    assert "twins" not in summary(report)["test"]
