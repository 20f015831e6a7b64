"""Examples from the built dataset → masked multi-task targets and length-bucketed batches."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.classifier.tasks import HEADS


@dataclass
class Encoded:
    """Targets for one split; NaN / -1 mark labels a row does not know (masked from the loss)."""

    rows: list[dict]
    multilabel: dict[str, np.ndarray]  # head -> [N, L] float with NaN = unknown
    multiclass: dict[str, np.ndarray]  # head -> [N] int, -1 = unknown
    weights: np.ndarray  # [N] per-row loss weight (by source)


def read_examples(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def encode_targets(rows: list[dict], source_weights: dict[str, float]) -> Encoded:
    ml, mc = {}, {}
    for h in HEADS:
        if h.type == "multilabel":
            arr = np.full((len(rows), len(h.labels)), np.nan, dtype=np.float32)
            for i, r in enumerate(rows):
                known = r["targets"][h.target_key] or {}
                for j, lab in enumerate(h.labels):
                    if lab in known:
                        arr[i, j] = float(known[lab])
            ml[h.name] = arr
        else:
            idx = {lab: k for k, lab in enumerate(h.labels)}
            mc[h.name] = np.array(
                [idx.get(r["targets"][h.target_key], -1) if r["targets"][h.target_key] else -1 for r in rows],
                dtype=np.int64,
            )
    # `proxy` and `hard_negative` multiply the source weight of rows marked so
    w = np.array([source_weights.get(r["source"], 1.0)
                  * (source_weights.get("proxy", 1.0) if r.get("proxy") else 1.0)
                  * (source_weights.get("hard_negative", 1.0) if r.get("hard_negative") else 1.0)
                  for r in rows], dtype=np.float32)
    return Encoded(rows, ml, mc, w)


def sample_train(rows: list[dict], caps: dict[str, int], seed: int,
                 repeat: dict[str, int] | None = None) -> list[dict]:
    """Cap large public sources per epoch so authored data is not drowned, and repeat small
    in-domain sources `repeat[source]` times per epoch (seeded)."""
    rng = random.Random(seed)
    repeat = repeat or {}
    by_source: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_source[r["source"]].append(r)
    out = []
    for src in sorted(by_source):
        rs = by_source[src]
        cap = caps.get(src)
        if cap is not None and len(rs) > cap:
            rs = rng.sample(rs, cap)
        out.extend(rs * max(1, int(repeat.get(src, 1))))
    return out


def bucketed_batches(lengths: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Batches of similar length (less padding), in random order."""
    rng = random.Random(seed)
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def source_counts(rows: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(r["source"] for r in rows).items()))
