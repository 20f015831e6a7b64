"""Temperature scaling per head, threshold choice per label, calibration error."""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def fit_temperature(logits: np.ndarray, targets: np.ndarray, kind: str) -> float:
    """Temperature minimising dev NLL (golden-section search on log T); 1.0 when no data."""
    if kind == "multilabel":
        known = ~np.isnan(targets)
        if known.sum() == 0:
            return 1.0
        z, y = logits[known], targets[known]

        def nll(t: float) -> float:
            p = np.clip(sigmoid(z / t), 1e-7, 1 - 1e-7)
            return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())
    else:
        known = targets >= 0
        if known.sum() == 0:
            return 1.0
        z, y = logits[known], targets[known]

        def nll(t: float) -> float:
            p = np.clip(softmax(z / t), 1e-9, 1.0)
            return float(-np.log(p[np.arange(len(y)), y]).mean())

    lo, hi = np.log(0.05), np.log(20.0)
    g = (np.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    for _ in range(60):
        if nll(np.exp(a)) < nll(np.exp(b)):
            hi = b
        else:
            lo = a
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    return float(np.exp((lo + hi) / 2))


def expected_calibration_error(probs: np.ndarray, y: np.ndarray, bins: int = 10) -> tuple[float, list[dict]]:
    """ECE over binary decisions, with the reliability table used for the plot."""
    edges = np.linspace(0, 1, bins + 1)
    table, ece = [], 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (probs >= lo) & ((probs < hi) if hi < 1 else (probs <= hi))
        if sel.sum() == 0:
            continue
        conf, acc = float(probs[sel].mean()), float(y[sel].mean())
        ece += sel.mean() * abs(conf - acc)
        table.append({"lo": float(lo), "hi": float(hi), "n": int(sel.sum()), "confidence": conf, "accuracy": acc})
    return float(ece), table


def choose_threshold(probs: np.ndarray, y: np.ndarray, goal: str, min_recall: float = 0.95) -> dict:
    """`recall`: highest threshold with recall ≥ min_recall (best precision there); `f1`: max F1."""
    if y.sum() == 0:
        return {"threshold": 0.5, "goal": goal, "reason": "no positives on dev; default 0.5"}
    cands = np.unique(np.concatenate([probs, [0.5]]))
    best = None
    for t in cands:
        pred = probs >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        rec = tp / (tp + fn) if tp + fn else 0.0
        prec = tp / (tp + fp) if tp + fp else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if goal == "recall":
            if rec >= min_recall and (best is None or t > best["threshold"]):
                best = {"threshold": float(t), "precision": prec, "recall": rec, "f1": f1}
        elif best is None or f1 > best["f1"] or (f1 == best["f1"] and t > best["threshold"]):
            best = {"threshold": float(t), "precision": prec, "recall": rec, "f1": f1}
    if best is None:
        best = {"threshold": float(probs[y == 1].min()), "reason": "recall target unreachable"}
    # Midpoint to the next lower score: a threshold exactly on a dev score overfits.
    lower = probs[probs < best["threshold"]]
    if len(lower):
        best["threshold"] = float((best["threshold"] + lower.max()) / 2)
    best["goal"] = goal
    return best
