"""A numpy-only linear probe on frozen embeddings, and the metrics used to score it.

Softmax regression (binary is the two-class case) with class-balanced weights and L2,
trained full-batch with Adam for a fixed number of steps: deterministic, dependency-free and
fast enough for a few thousand rows, which is all a cheap data experiment needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LinearProbe:
    """Standardisation plus one linear layer; ``predict_proba`` gives class probabilities."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: np.ndarray

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per input."""
        return _softmax(((x - self.mean) / self.scale) @ self.weights + self.bias)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_probe(
    x: np.ndarray, y: np.ndarray, n_classes: int, l2: float = 1e-3, steps: int = 300,
    lr: float = 0.05,
) -> LinearProbe:
    """Fit on features ``x`` and integer labels ``y`` (0..n_classes-1), classes balanced."""
    x = x.astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    # Balanced: every present class weighs the same in total, however rare it is.
    sample_w = (len(y) / (np.count_nonzero(counts) * np.maximum(counts, 1)))[y]
    sample_w /= sample_w.sum()
    w = np.zeros((x.shape[1], n_classes))
    b = np.zeros(n_classes)
    onehot = np.eye(n_classes)[y]
    m_w, v_w, m_b, v_b = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        grad = (_softmax(xs @ w + b) - onehot) * sample_w[:, None]
        g_w = xs.T @ grad + l2 * w
        g_b = grad.sum(axis=0)
        for param, g, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            param -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return LinearProbe(mean, scale, w, b)


def auroc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (ties get half credit); NaN when a class is absent."""
    pos, neg = y == 1, y == 0
    if not pos.any() or not neg.any():
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    # Average ranks over ties.
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1
    ranks[order] = np.repeat(avg, counts)
    n_pos, n_neg = pos.sum(), neg.sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the precision-recall curve, step-wise (as scikit-learn computes it)."""
    if not (y == 1).any():
        return float("nan")
    order = np.argsort(-score, kind="mergesort")
    hits = (y[order] == 1).astype(np.float64)
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / hits.sum())


def f1_binary(y: np.ndarray, pred: np.ndarray) -> float:
    """F1 of the positive class."""
    tp = float(((pred == 1) & (y == 1)).sum())
    denom = float((pred == 1).sum() + (y == 1).sum())
    return 2 * tp / denom if denom else float("nan")


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean per-class F1 over the classes present in ``y``."""
    scores = []
    for c in np.unique(y):
        tp = float(((pred == c) & (y == c)).sum())
        denom = float((pred == c).sum() + (y == c).sum())
        scores.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(scores)) if scores else float("nan")


def paired_bootstrap(
    metric: Callable[[np.ndarray], float], n: int, rounds: int, seed: int
) -> tuple[float, float]:
    """95% interval of ``metric(indices)`` (a difference between two systems) over resamples."""
    rng = np.random.default_rng(seed)
    values = [metric(rng.integers(0, n, n)) for _ in range(rounds)]
    values = [v for v in values if not np.isnan(v)]
    if not values:
        return float("nan"), float("nan")
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))
