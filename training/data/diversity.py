"""Diversity report of the authored data, per file and overall.

Measures: distinct-1/2/3 (unique n-grams / all n-grams; they fall as a corpus grows, so the
size-controlled mean over random samples of ``distinct_sample`` texts is given too), the
near-duplicate rate (share of texts with another text at encoder cosine >= threshold),
vocabulary size, share of slang spellings (tokens that are keys of the slang/abbreviation
dictionaries), length in words, and per-label counts.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

import numpy as np

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, EMOTIONS, REFERRALS, SKILLS
from training.data.authored import AuthoredData
from training.data.slang_lexicon import SlangLexicon
from training.data.text_encoders import TextEncoder

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
BLOCK = 1024  # rows per block of the cosine matrix: bounded memory for any corpus size
# e5 cosines are compressed (unrelated chat messages sit around 0.86), so at 0.95 the rate
# also counts same-topic paraphrases; stricter cut-offs show how much is near-verbatim.
STRICTER_COSINES = (0.97, 0.99)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits)."""
    return _TOKEN.findall(text.lower())


def distinct_n(token_lists: list[list[str]], n: int) -> float | None:
    """Unique n-grams over all n-grams of the corpus."""
    grams = [tuple(t[i:i + n]) for t in token_lists for i in range(len(t) - n + 1)]
    return round(len(set(grams)) / len(grams), 4) if grams else None


def sampled_distinct_n(token_lists: list[list[str]], n: int, size: int, seed: int) -> float | None:
    """Mean distinct-n over 5 seeded samples of ``size`` texts (None if the file is smaller)."""
    if len(token_lists) < size:
        return None
    rng = random.Random(seed)
    values = [distinct_n(rng.sample(token_lists, size), n) for _ in range(5)]
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


def near_duplicates(
    vectors: np.ndarray, threshold: float
) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """Per text, whether another text reaches ``threshold`` cosine; and all such pairs (i < j)."""
    n = len(vectors)
    has_twin = np.zeros(n, dtype=bool)
    pairs: list[tuple[int, int, float]] = []
    for start in range(0, n, BLOCK):
        sims = vectors[start:start + BLOCK] @ vectors.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if i < c:
                pairs.append((i, c, float(sims[r, c])))
                has_twin[i] = has_twin[c] = True
    return has_twin, pairs


def _near_duplicate_stats(vectors: np.ndarray, threshold: float) -> dict[str, Any]:
    """Near-duplicate rate and pair count at ``threshold``, and rates at stricter cut-offs."""
    twins, pairs = near_duplicates(vectors, threshold)
    stats: dict[str, Any] = {
        "near_duplicate_rate": round(float(twins.mean()), 4) if len(twins) else None,
        "near_duplicate_pairs": len(pairs),
    }
    stricter = {}
    for cut in STRICTER_COSINES:
        has = np.zeros(len(vectors), dtype=bool)
        for i, j, cos in pairs:
            if cos >= cut:
                has[i] = has[j] = True
        stricter[str(cut)] = round(float(has.mean()), 4) if len(has) else None
    stats["near_duplicate_rate_stricter"] = stricter
    return stats


def cosine_baseline(vectors: np.ndarray, seed: int, n_pairs: int = 200_000) -> dict[str, float]:
    """Percentiles of the cosine of random pairs: what "similar" means for this encoder."""
    if len(vectors) < 2:
        return {}
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(vectors), n_pairs)
    j = rng.integers(0, len(vectors), n_pairs)
    keep = i != j
    sims = np.einsum("ij,ij->i", vectors[i[keep]], vectors[j[keep]])
    return {f"p{q}": round(float(np.percentile(sims, q)), 4) for q in (50, 90, 99, 99.9)}


def _text_stats(
    texts: list[str], lexicon: SlangLexicon | None, sample: int, seed: int
) -> dict[str, Any]:
    toks = [tokens(t) for t in texts]
    flat = [w for t in toks for w in t]
    lengths = [len(t) for t in toks]
    return {
        "texts": len(texts),
        "distinct_1": distinct_n(toks, 1),
        "distinct_2": distinct_n(toks, 2),
        "distinct_3": distinct_n(toks, 3),
        f"distinct_2_at_{sample}": sampled_distinct_n(toks, 2, sample, seed),
        "vocabulary": len(set(flat)),
        "slang_share": (round(sum(lexicon.is_slang(w) for w in flat) / len(flat), 4)
                        if lexicon is not None and flat else None),
        "length_words": {
            "mean": round(sum(lengths) / len(lengths), 2) if lengths else None,
            "min": min(lengths, default=None),
            "max": max(lengths, default=None),
        },
    }


def _client_labels(recs: list[dict[str, Any]]) -> dict[str, Any]:
    labels = Counter(label for r in recs for label in r["labels"])
    no_label = [r for r in recs if not r["labels"]]
    return {
        "risk": {label: labels.get(label, 0) for label in CLIENT_RISK},
        "no_label": len(no_label),
        "no_label_hard_negative": sum(r["hard_negative"] for r in no_label),
        "multi_label": sum(len(r["labels"]) > 1 for r in recs),
        "emotion": {e: sum(r["emotion"] == e for r in recs) for e in EMOTIONS},
        "register": dict(sorted(Counter(r["register"] for r in recs).items())),
    }


def _counselor_labels(recs: list[dict[str, Any]]) -> dict[str, Any]:
    labels = Counter(label for r in recs for label in r["labels"])
    return {
        "flags": {label: labels.get(label, 0) for label in COUNSELOR_FLAGS},
        "no_flag": sum(not r["labels"] for r in recs),
        "skill": {s: sum(r["skill"] == s for r in recs) for s in SKILLS},
        "register": dict(sorted(Counter(r["register"] for r in recs).items())),
    }


def _session_labels(recs: list[dict[str, Any]]) -> dict[str, Any]:
    turns = [t for r in recs for t in r["turns"]]
    n_turns = [len(r["turns"]) for r in recs]
    risks = Counter(x["label"] for r in recs for x in r["summary"]["risiko"])
    return {
        "sessions": len(recs),
        "turns": {"total": len(turns), "min": min(n_turns, default=None),
                  "max": max(n_turns, default=None),
                  "mean": round(sum(n_turns) / len(n_turns), 2) if n_turns else None},
        "sessions_per_risk": {label: risks.get(label, 0) for label in CLIENT_RISK},
        "sessions_without_risk": sum(not r["summary"]["risiko"] for r in recs),
        "client_turn_risk": _client_labels(
            [{**t, "hard_negative": False, "register": None} for t in turns
             if t["role"] == "client"])["risk"],
        "counselor_turns": {k: v for k, v in _counselor_labels(
            [{**t, "register": None} for t in turns if t["role"] == "counselor"]).items()
            if k != "register"},  # turns carry no register
        "referrals": {ref: sum(ref in r["summary"]["tindakan_rujukan"] for r in recs)
                      for ref in REFERRALS},
    }


_LABELLERS = {"client": _client_labels, "counselor": _counselor_labels,
              "sessions": _session_labels}


def _texts_of(kind: str, rec: dict[str, Any]) -> list[tuple[str, str]]:
    if kind == "sessions":
        return [(f"{rec['id']}#t{i:02d}", t["text"]) for i, t in enumerate(rec["turns"])]
    return [(rec["id"], rec["text"])]


def diversity_report(
    data: AuthoredData,
    encoder: TextEncoder | None,
    lexicon: SlangLexicon | None,
    threshold: float,
    sample: int,
    seed: int,
) -> dict[str, Any]:
    """Per-file and overall diversity figures of the authored data (JSON-ready)."""
    by_file: dict[str, list[tuple[str, str, str]]] = {}  # file -> [(kind, id, text)]
    recs_by_file: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for kind, records in data.records.items():
        for r in records:
            by_file.setdefault(r.file, []).extend((kind, i, t) for i, t in _texts_of(kind, r.rec))
            recs_by_file.setdefault(r.file, (kind, []))[1].append(r.rec)
    everything = [item for f in sorted(by_file) for item in by_file[f]]
    vectors = encoder.encode([t for _, _, t in everything]) if encoder and everything else None
    offsets, pos = {}, 0
    for f in sorted(by_file):
        offsets[f] = (pos, pos + len(by_file[f]))
        pos += len(by_file[f])

    files: dict[str, Any] = {}
    for f in sorted(by_file):
        kind, recs = recs_by_file[f]
        stats = _text_stats([t for _, _, t in by_file[f]], lexicon, sample, seed)
        if vectors is not None:
            lo, hi = offsets[f]
            stats.update(_near_duplicate_stats(vectors[lo:hi], threshold))
        files[f] = {"kind": kind, **stats, "labels": _LABELLERS[kind](recs)}

    overall = _text_stats([t for _, _, t in everything], lexicon, sample, seed)
    identical: list[dict[str, Any]] = []
    closest: list[dict[str, Any]] = []
    if vectors is not None:
        overall.update(_near_duplicate_stats(vectors, threshold))
        overall["random_pair_cosine"] = cosine_baseline(vectors, seed)
        _, pairs = near_duplicates(vectors, threshold)
        for i, j, cos in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
            a, b = everything[i], everything[j]
            pair = {"a": a[1], "b": b[1], "cosine": round(cos, 4), "text_a": a[2], "text_b": b[2]}
            # Same text written twice (often in two files) is for the authors to fix; the
            # closest *different* texts show whether messages were varied or templated.
            same = a[2].strip().casefold() == b[2].strip().casefold()
            bucket = identical if same else closest
            if len(bucket) < 20:
                bucket.append(pair)
        overall["identical_text_pairs"] = sum(
            everything[i][2].strip().casefold() == everything[j][2].strip().casefold()
            for i, j, _ in pairs)
    per_kind = {}
    for kind in ("client", "counselor", "sessions"):
        recs = [rec for k, rs in recs_by_file.values() if k == kind for rec in rs]
        mask = np.array([k == kind for k, _, _ in everything], dtype=bool)
        if not recs:
            continue
        stats = _text_stats([t for k, _, t in everything if k == kind], lexicon, sample, seed)
        if vectors is not None:
            stats.update(_near_duplicate_stats(vectors[mask], threshold))
        per_kind[kind] = {**stats, "labels": _LABELLERS[kind](recs)}
    return {
        "encoder": encoder.name if encoder else None,
        "near_duplicate_cosine": threshold,
        "slang_dictionary_size": lexicon.size if lexicon else None,
        "overall": overall,
        "by_kind": per_kind,
        "files": files,
        "identical_pairs": identical,
        "closest_pairs": closest,
    }
