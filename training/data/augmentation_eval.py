"""Does chat-style augmentation help? A cheap, honest check on the dev split.

For `suicidal` (binary) and `emotion` (multi-class): embed Indonesian texts with the frozen
encoder, fit the same linear probe on the training rows without and with their augmented
copies, and score both on dev: all rows, and slices by register and origin. The difference
of the headline metric gets a paired-bootstrap 95% interval, so a change within noise is
reported as such. A synthetic slice (dev rows passed through the same augmenter) is included
but labelled: it measures robustness to this noise, and flatters augmentation by design.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from training.data.build_settings import MeasureSettings
from training.data.example import Example
from training.data.linear_probe import (
    auroc,
    average_precision,
    f1_binary,
    fit_probe,
    macro_f1,
    paired_bootstrap,
)
from training.data.text_encoders import TextEncoder

log = logging.getLogger(__name__)

TASKS = ("suicidal", "emotion")
HEADLINE = {"suicidal": "average_precision", "emotion": "macro_f1"}
MIN_SLICE = 20  # below this a slice's metrics are noise; reported as counts only


def _sample(rows: list[Example], limit: int, seed: int) -> list[Example]:
    """A deterministic subset that does not change when unrelated rows are added."""

    def rank(row: Example) -> str:
        return hashlib.sha256(f"{seed}:{row.id}".encode()).hexdigest()

    return sorted(sorted(rows, key=rank)[:limit], key=lambda r: r.id)


def _parent_id(row: Example) -> str:
    return row.id.rsplit("#aug", 1)[0]


def _slices(dev: list[Example]) -> dict[str, np.ndarray]:
    idx = np.arange(len(dev))
    return {
        "all": idx,
        "informal": idx[[r.register == "informal" for r in dev]],
        "formal": idx[[r.register == "formal" for r in dev]],
        "authored": idx[[r.source.startswith("authored") for r in dev]],
        "public": idx[[not r.source.startswith("authored") for r in dev]],
    }


def _scores(task: str, y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    if task == "suicidal":
        score = proba[:, 1]
        return {
            "average_precision": average_precision(y, score),
            "auroc": auroc(y, score),
            "f1_at_0.5": f1_binary(y, (score >= 0.5).astype(int)),
        }
    pred = proba.argmax(axis=1)
    return {"macro_f1": macro_f1(y, pred), "accuracy": float((pred == y).mean())}


def _clean(value: Any) -> Any:
    """Round floats for byte-stable JSON; NaN (undefined metric) becomes null."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _run_task(
    task: str,
    rows: list[Example],
    encoder: TextEncoder,
    settings: MeasureSettings,
    seed: int,
    stylise: Callable[[Example], str] | None,
) -> dict[str, Any]:
    knows = [r for r in rows if r.lang == "id" and r.knows(task)]
    base = _sample([r for r in knows if r.split == "train" and not r.augmented],
                   settings.eval_max_train, seed)
    base_ids = {r.id for r in base}
    copies = [r for r in knows if r.augmented and _parent_id(r) in base_ids]
    dev = _sample([r for r in knows if r.split == "dev" and not r.augmented],
                  settings.eval_max_dev, seed)
    classes: list[Any] = (
        [0, 1] if task == "suicidal" else sorted({r.emotion for r in base if r.emotion})
    )
    if task == "emotion":
        dev = [r for r in dev if r.emotion in classes]

    def label(row: Example) -> int:
        return row.risk["suicidal"] if task == "suicidal" else classes.index(row.emotion)
    result: dict[str, Any] = {
        "rows": {"train": len(base), "train_augmented_copies": len(copies), "dev": len(dev)},
        "classes": classes,
    }
    if not base or not dev or len({label(r) for r in base}) < 2:
        result["skipped"] = "not enough labelled train/dev rows"
        return result
    log.info("augmentation eval %s: %d train (+%d copies), %d dev", task, len(base), len(copies),
             len(dev))

    x_base = encoder.encode([r.text for r in base])
    x_copy = encoder.encode([r.text for r in copies]) if copies else x_base[:0]
    x_dev = encoder.encode([r.text for r in dev])
    y_base = np.array([label(r) for r in base])
    y_copy = np.array([label(r) for r in copies], dtype=int)
    y_dev = np.array([label(r) for r in dev])
    without = fit_probe(x_base, y_base, len(classes), settings.eval_l2, settings.eval_steps)
    with_aug = fit_probe(np.concatenate([x_base, x_copy]), np.concatenate([y_base, y_copy]),
                         len(classes), settings.eval_l2, settings.eval_steps)

    sets = {name: (x_dev[i], y_dev[i]) for name, i in _slices(dev).items()}
    if stylise is not None:
        synthetic = [r for r in dev if r.register != "informal"]
        if synthetic:
            sets["synthetic_stylised_dev"] = (
                encoder.encode([stylise(r) for r in synthetic]),
                np.array([label(r) for r in synthetic]),
            )
    result["slices"] = {
        name: _compare(task, y, without.predict_proba(x), with_aug.predict_proba(x), settings, seed)
        for name, (x, y) in sets.items()
    }
    return result


def _compare(
    task: str, y: np.ndarray, p0: np.ndarray, p1: np.ndarray, settings: MeasureSettings, seed: int
) -> dict[str, Any]:
    """Both systems' scores on one slice, and the headline difference with its interval."""
    entry: dict[str, Any] = {"n": int(len(y))}
    if task == "suicidal":
        entry["n_positive"] = int((y == 1).sum())
    if len(y) < MIN_SLICE or len(set(y.tolist())) < 2:
        return entry
    headline = HEADLINE[task]
    entry["without_augmentation"] = _scores(task, y, p0)
    entry["with_augmentation"] = _scores(task, y, p1)

    def delta(i: np.ndarray) -> float:
        return _scores(task, y[i], p1[i])[headline] - _scores(task, y[i], p0[i])[headline]

    low, high = paired_bootstrap(delta, len(y), settings.eval_bootstrap, seed)
    value = entry["with_augmentation"][headline] - entry["without_augmentation"][headline]
    entry["delta"] = {"metric": headline, "value": value, "ci95": [low, high]}
    entry["verdict"] = "helps" if low > 0 else "hurts" if high < 0 else "no clear effect"
    return entry


def evaluate_augmentation(
    rows: list[Example],
    encoder: TextEncoder,
    settings: MeasureSettings,
    seed: int,
    stylise: Callable[[Example], str] | None = None,
) -> dict[str, Any]:
    """Run the experiment for every task; a JSON-ready, rounded report."""
    report = {
        "encoder": encoder.name,
        "probe": {"kind": "softmax regression, class-balanced", "l2": settings.eval_l2,
                  "steps": settings.eval_steps},
        "bootstrap_rounds": settings.eval_bootstrap,
        "tasks": {task: _run_task(task, rows, encoder, settings, seed, stylise) for task in TASKS},
    }
    return _clean(report)
