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


def _cut(probs: np.ndarray, y: np.ndarray, goal: str, min_recall: float,
         covered: np.ndarray | None = None, min_model_recall: float = 0.0) -> tuple[float, float] | None:
    """One threshold choice on (probs, y): (threshold, next lower score or -inf); None if unreachable.

    Cuts sit between distinct scores: predicting positive for every score ≥ the cut's score.
    `covered` marks rows the safety net flags anyway: for the recall goal, a covered positive
    counts as found whatever the model scores, while the model alone must still reach
    `min_model_recall`."""
    order = np.argsort(-probs, kind="stable")
    p, t = probs[order], y[order]
    cov = np.zeros(len(t), dtype=bool) if covered is None else covered[order].astype(bool)
    tp = np.cumsum(t)
    tp_uncov = np.cumsum(t * ~cov)
    fp = np.cumsum(1 - t)
    last = np.r_[p[1:] != p[:-1], True]  # a cut after the last of each run of equal scores
    tp, tp_uncov, fp, ps = tp[last], tp_uncov[last], fp[last], p[last]
    lower = np.r_[ps[1:], -np.inf]
    pos = t.sum()
    recall = tp / pos
    system_recall = (tp_uncov + (t * cov).sum()) / pos
    precision = tp / (tp + fp)
    if goal == "recall":
        ok = np.flatnonzero((system_recall >= min_recall) & (recall >= min_model_recall))
        if not len(ok):
            return None
        k = ok[0]  # the highest score that still reaches the recall
    else:
        f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
        k = int(np.flatnonzero(f1 == f1.max())[0])  # ties: the highest threshold
    return float(ps[k]), float(lower[k])


def ranking_quality(probs: np.ndarray, y: np.ndarray) -> dict:
    """ROC AUC (rank form, ties halved) and average precision; threshold-free."""
    y = np.asarray(y).astype(int)
    pos, neg = int(y.sum()), int(len(y) - y.sum())
    if pos == 0 or neg == 0:
        return {}
    order = np.argsort(probs, kind="stable")
    ranks = np.empty(len(y))
    sorted_p = probs[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_p, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2 + 1
    ranks[order] = np.repeat(avg, counts)
    auc = (ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg)
    desc = np.argsort(-probs, kind="stable")
    hits = y[desc]
    prec_at = np.cumsum(hits) / np.arange(1, len(y) + 1)
    ap = float((prec_at * hits).sum() / pos)
    return {"auc": float(auc), "ap": ap}


def _at(probs: np.ndarray, y: np.ndarray, th: float) -> dict:
    pred = probs >= th
    tp = float((pred & (y == 1)).sum())
    fp = float((pred & (y == 0)).sum())
    fn = float((~pred & (y == 1)).sum())
    rec = tp / (tp + fn) if tp + fn else 0.0
    prec = tp / (tp + fp) if tp + fp else 1.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}


def choose_threshold(probs: np.ndarray, y: np.ndarray, goal: str, min_recall: float = 0.95,
                     n_boot: int = 200, seed: int = 0, covered: np.ndarray | None = None,
                     min_model_recall: float = 0.0) -> dict:
    """`recall`: highest threshold with recall ≥ min_recall (best precision there); `f1`: max F1.

    The choice sits midway to the next lower dev score (a threshold exactly on a dev score
    overfits). With 30–50 positives it hangs on two or three messages, so the spread of the
    same choice over `n_boot` bootstrap resamples of dev is reported with it (`bootstrap_iqr`).
    (Taking the bootstrap median instead was tried: on synthetic draws it varied as much as the
    single choice, so it is not used.) Metrics are those on the full dev set."""
    y = np.asarray(y).astype(int)
    probs = np.asarray(probs, dtype=np.float64)
    if y.sum() == 0:
        return {"threshold": 0.5, "goal": goal, "reason": "no positives on dev; default 0.5"}

    cov = None if covered is None else np.asarray(covered, dtype=bool)

    def once(pr: np.ndarray, yy: np.ndarray, cv: np.ndarray | None) -> float | None:
        c = _cut(pr, yy, goal, min_recall, cv, min_model_recall)
        if c is None:
            return None
        hi, lo = c
        return (hi + lo) / 2 if np.isfinite(lo) else hi

    point = once(probs, y, cov)
    out: dict = {"goal": goal}
    if point is None:  # cannot happen for recall ≤ 1, kept for safety
        point = float(probs[y == 1].min())
        out["reason"] = "recall target unreachable"
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].sum() == 0:
            continue
        b = once(probs[idx], y[idx], None if cov is None else cov[idx])
        if b is not None:
            boots.append(b)
    th = float(point)
    out.update({"threshold": th, "bootstrap_n": len(boots)})
    if boots:
        out["bootstrap_iqr"] = [float(np.percentile(boots, 25)), float(np.percentile(boots, 75))]
    out.update(_at(probs, y, th))
    if cov is not None:
        found = ((probs >= th) | cov) & (y == 1)
        out["system_recall"] = float(found.sum() / y.sum())
        out["safety_net_recall"] = float((cov & (y == 1)).sum() / y.sum())
    out.update(ranking_quality(probs, y))
    return out
