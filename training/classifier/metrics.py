"""Classification metrics with bootstrap confidence intervals."""

from __future__ import annotations

import numpy as np


def prf(y: np.ndarray, pred: np.ndarray) -> dict:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn, "support": int(y.sum()), "n": len(y)}


def bootstrap_prf(y: np.ndarray, pred: np.ndarray, n: int = 1000, seed: int = 0) -> dict:
    """Point estimates plus 95% percentile intervals for precision, recall and F1."""
    out = prf(y, pred)
    if len(y) == 0:
        return out
    rng = np.random.default_rng(seed)
    samples = {"precision": [], "recall": [], "f1": []}
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        m = prf(y[idx], pred[idx])
        for k in samples:
            samples[k].append(m[k])
    for k, v in samples.items():
        out[f"{k}_ci"] = [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
    return out


def confusion(y: np.ndarray, pred: np.ndarray, k: int) -> list[list[int]]:
    m = np.zeros((k, k), dtype=int)
    for a, b in zip(y, pred):
        m[a, b] += 1
    return m.tolist()


def macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    fs = [prf((y == c).astype(int), (pred == c).astype(int))["f1"] for c in range(k) if (y == c).any()]
    return float(np.mean(fs)) if fs else 0.0
