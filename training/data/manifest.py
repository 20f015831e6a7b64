"""Counts and checksums for manifest.json: rows per label and split, per source, per file."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, EMOTIONS, SKILLS
from training.data.example import SPLITS, Example


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_entry(path: Path, root: Path) -> dict[str, Any]:
    """Path relative to ``root``, size and sha256."""
    return {"path": path.relative_to(root).as_posix(), "bytes": path.stat().st_size,
            "sha256": sha256_file(path)}


def _per_split(counter: Counter[str]) -> dict[str, int]:
    return {s: counter.get(s, 0) for s in SPLITS} | {"total": sum(counter.values())}


def label_counts(rows: Iterable[Example]) -> dict[str, Any]:
    """Positives/negatives per binary label and counts per class, each per split.

    Only labels some row knows appear: a source that never annotates `kdrt` shows no `kdrt`.
    """
    rows = list(rows)
    binary: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    classes: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    flags: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        for label, value in (*r.risk.items(), *r.flags.items()):
            binary[label]["pos" if value else "neg"][r.split] += 1
        if r.skill is not None:
            classes["skill"][r.skill][r.split] += 1
        if r.emotion is not None:
            classes["emotion"][r.emotion][r.split] += 1
        for name, on in (("hard_negative", r.hard_negative), ("proxy", r.proxy)):
            if on:
                flags[name][r.split] += 1
    order = {"risk": CLIENT_RISK, "flags": COUNSELOR_FLAGS}
    out: dict[str, Any] = {"rows": _per_split(Counter(r.split for r in rows))}
    for group, labels in order.items():
        present = [label for label in labels if label in binary]
        if present:
            out[group] = {label: {k: _per_split(binary[label][k]) for k in ("pos", "neg")}
                          for label in present}
    for name, ids in (("skill", SKILLS), ("emotion", EMOTIONS)):
        if name in classes:
            out[name] = {c: _per_split(classes[name][c]) for c in ids if c in classes[name]}
    for name in ("hard_negative", "proxy"):
        if name in flags:
            out[name] = _per_split(flags[name])
    return out


def dataset_counts(rows: list[Example], source_order: Iterable[str]) -> dict[str, Any]:
    """Counts over original rows (overall and per source) plus augmented copies per source."""
    originals = [r for r in rows if not r.augmented]
    copies = [r for r in rows if r.augmented]
    by_source: dict[str, Any] = {}
    for source in source_order:
        mine = [r for r in originals if r.source == source]
        if mine:
            by_source[source] = label_counts(mine)
            aug = Counter(r.split for r in copies if r.source == source)
            if aug:
                by_source[source]["augmented_copies"] = _per_split(aug)
    return {
        "all": label_counts(originals),
        "augmented_copies": _per_split(Counter(r.split for r in copies)),
        "by_lang": {lang: _per_split(Counter(r.split for r in originals if r.lang == lang))
                    for lang in sorted({r.lang for r in originals})},
        "by_source": by_source,
    }
